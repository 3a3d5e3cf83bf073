// English messages of the consent feature: one entry for every key of messages.zh-TW.ts.
import type { consentZhTW } from './messages.zh-TW.ts';

export const consentEn: Readonly<Record<keyof typeof consentZhTW, string>> = {};
