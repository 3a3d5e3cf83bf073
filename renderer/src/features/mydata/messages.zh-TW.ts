// Traditional Chinese messages of the mydata feature; merged into the app catalogue (renderer/src/i18n/zh-TW.ts).
export const mydataZhTW = {} as const satisfies Record<string, string>;
