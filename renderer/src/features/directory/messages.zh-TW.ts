// Traditional Chinese messages of the directory feature; merged into the app catalogue (renderer/src/i18n/zh-TW.ts).
export const directoryZhTW = {} as const satisfies Record<string, string>;
