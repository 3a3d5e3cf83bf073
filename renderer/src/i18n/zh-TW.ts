// The Traditional Chinese message catalogue: the source of truth for message keys (zh-TW is the default language).
// The first screen's messages are in zh-TW.start.ts (the entry bundle); this module loads with the first later screen.
import { zhTWStart } from './zh-TW.start.ts';
import { identityZhTW } from '../features/identity/messages.zh-TW.ts';
import { directoryZhTW } from '../features/directory/messages.zh-TW.ts';
import { consentZhTW } from '../features/consent/messages.zh-TW.ts';
import { mydataZhTW } from '../features/mydata/messages.zh-TW.ts';
import { historyZhTW } from '../features/history/messages.zh-TW.ts';
import { updateZhTW } from '../features/update/messages.zh-TW.ts';
import { datasetsZhTW } from '../features/datasets/messages.zh-TW.ts';
import { profileZhTW } from '../features/settings/messages.zh-TW.ts';
import { vaultProtectionZhTW } from '../features/settings/vault-protection.messages.zh-TW.ts';
export const zhTW = {
  ...zhTWStart,
  'services.title': '服務目錄',
  'mydata.title': '我的資料',
  'history.title': '分享紀錄',
  'settings.title': '設定',
  'settings.language.legend': '語言',
  'settings.theme.legend': '佈景主題',
  'settings.theme.system': '跟隨作業系統',
  'settings.theme.light': '淺色',
  'settings.theme.dark': '深色',
  'settings.theme.high-contrast': '高對比',
  'settings.calendar.legend': '日期顯示方式',
  'settings.calendar.gregorian': '西元',
  'settings.calendar.roc': '民國',
  'settings.calendar.example': '今天會顯示為：{date}',
  'settings.saving': '正在儲存…',
  'settings.saved': '設定已儲存並套用。',
  ...identityZhTW,
  ...directoryZhTW,
  ...consentZhTW,
  ...mydataZhTW,
  ...historyZhTW,
  ...updateZhTW,
  ...datasetsZhTW,
  ...profileZhTW,
  ...vaultProtectionZhTW,
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof zhTW;
/** Every catalogue must define every key: the compiler enforces it through this type. */
export type Catalogue = Readonly<Record<MessageKey, string>>;
