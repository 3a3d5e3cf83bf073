// English messages of the directory feature: one entry for every key of messages.zh-TW.ts.
import type { directoryZhTW } from './messages.zh-TW.ts';

export const directoryEn: Readonly<Record<keyof typeof directoryZhTW, string>> = {};
