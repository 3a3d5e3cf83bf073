// English messages of the identity feature: one entry for every key of messages.zh-TW.ts.
import type { identityZhTW } from './messages.zh-TW.ts';

export const identityEn: Readonly<Record<keyof typeof identityZhTW, string>> = {};
