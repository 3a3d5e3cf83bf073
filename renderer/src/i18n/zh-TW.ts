// The Traditional Chinese message catalogue: the source of truth for message keys (zh-TW is the default language).
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
  'app.name': 'MyData 個人化資料自主運用',
  'app.pageTitle': '{page}｜MyData 個人化資料自主運用',
  'shell.skipLink': '跳到主要內容',
  'shell.navLabel': '主要導覽',
  'shell.loading': '載入中…',
  'shell.footer.version': '版本 {version}',
  'nav.home': '首頁',
  'nav.services': '服務目錄',
  'nav.mydata': '我的資料',
  'nav.history': '分享紀錄',
  'nav.settings': '設定',
  'home.title': '首頁',
  'home.intro':
    '這個桌面應用程式讓您透過 MyData 平臺驗證身分、在同意前看清楚服務條款與每一個被要求的資料欄位，然後選擇下載自己的資料一次，或交由您指定的服務提供者取得。經驗證的資料、每一次同意的收據，以及「分享給誰」的紀錄，都加密保存在您自己的電腦上。',
  'home.status': '目前版本只提供設定功能；身分驗證、服務目錄、資料下載與分享紀錄將於後續版本提供。',
  'home.platform.heading': '連線的平臺',
  'home.platform.profile': '平臺設定檔',
  'home.platform.name': '平臺名稱',
  'home.platform.version': '應用程式版本',
  'home.platform.runtime': '執行方式',
  'profile.demo': '示範（內建的沙盒平臺，只有合成人物與資料）',
  'profile.official': '官方 MyData 服務（匯入官網下載的資料）',
  'profile.platform': '外部平臺',
  'runtime.electron': '桌面應用程式',
  'runtime.bridge': '測試橋接（在瀏覽器中執行）',
  'services.title': '服務目錄',
  'services.notYet': '服務目錄將於後續版本提供。',
  'mydata.title': '我的資料',
  'mydata.notYet': '查看、匯出已下載資料的功能將於後續版本提供。',
  'history.title': '分享紀錄',
  'history.notYet': '分享紀錄將於後續版本提供。',
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
  'error.title': '發生問題',
  'error.code': '錯誤代碼：{code}',
  'error.retry': '重試',
  'notFound.title': '找不到這個頁面',
  'notFound.body': '您要前往的頁面不存在。',
  'notFound.home': '回到首頁',
  'deeplink.received': '已收到服務提供者透過 {platform} 送來的資料請求。處理這類請求的功能將於後續版本提供。',
  'deeplink.rejected': '有一個連結未被接受：',
  'notice.dismiss': '關閉通知',
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
