// Traditional Chinese messages of the history feature; merged into the app catalogue (renderer/src/i18n/zh-TW.ts).
export const historyZhTW = {} as const satisfies Record<string, string>;
