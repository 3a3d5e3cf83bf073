// English messages of the mydata feature: one entry for every key of messages.zh-TW.ts.
import type { mydataZhTW } from './messages.zh-TW.ts';

export const mydataEn: Readonly<Record<keyof typeof mydataZhTW, string>> = {};
