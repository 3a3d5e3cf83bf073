// Traditional Chinese messages of the consent feature; merged into the app catalogue (renderer/src/i18n/zh-TW.ts).
export const consentZhTW = {} as const satisfies Record<string, string>;
