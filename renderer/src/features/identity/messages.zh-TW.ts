// Traditional Chinese messages of the identity feature; merged into the app catalogue (renderer/src/i18n/zh-TW.ts).
export const identityZhTW = {} as const satisfies Record<string, string>;
