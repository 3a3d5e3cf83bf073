// Traditional Chinese messages of the update banner; merged into the app catalogue (renderer/src/i18n/zh-TW.ts).
export const updateZhTW = {
  'update.region': '應用程式更新',
  'update.downloading': '正在下載更新 {version}…',
  'update.progress': '更新 {version} 的下載進度',
  'update.ready': '更新 {version} 已下載並通過檢查。重新啟動後才會安裝；您尚未儲存的操作請先完成。',
  'update.restart': '重新啟動並更新',
  'update.later': '稍後',
  'update.failed': '更新未完成',
} as const satisfies Record<string, string>;
