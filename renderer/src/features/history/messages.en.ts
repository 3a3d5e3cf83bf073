// English messages of the history feature: one entry for every key of messages.zh-TW.ts.
import type { historyZhTW } from './messages.zh-TW.ts';

export const historyEn: Readonly<Record<keyof typeof historyZhTW, string>> = {};
