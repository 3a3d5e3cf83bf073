// Traditional Chinese messages of the profile choice, the first start and the Settings screen's new sections.
export const profileZhTW = {
  'demo.marker': '示範 — 合成資料',
  'demo.markerDetail': '您正在使用示範平臺：所有人物與資料都是虛構的，不是您的真實資料。',

  'firstStart.title': '歡迎使用 MyData 個人化資料自主運用',
  'firstStart.intro': '請先選擇要如何使用本應用程式。之後可隨時在「設定」中變更；兩者的資料分開保存，永不混合。',
  'firstStart.legend': '使用方式',
  'firstStart.official': '使用官方 MyData 服務',
  'firstStart.officialDetail':
    '您的真實資料。官方 MyData 服務沒有提供應用程式可連線的介面：請在 MyData 官方網站下載資料，再由本應用程式匯入、加密保存在您的電腦上。',
  'firstStart.demo': '試用示範（合成人物）',
  'firstStart.demoDetail': '內建的示範平臺，所有人物與資料都是虛構的，可以體驗每一個流程。示範資料與真實資料分開保存。',
  'firstStart.continue': '開始使用',
  'firstStart.working': '正在準備…',

  'settings.profile.legend': '資料來源（設定檔）',
  'settings.profile.current': '目前使用：{name}',
  'settings.profile.official': '官方 MyData 服務',
  'settings.profile.officialDetail': '匯入您從 MyData 官方網站下載的真實資料。',
  'settings.profile.demo': '示範（合成資料）',
  'settings.profile.demoDetail': '內建的示範平臺，只有虛構的人物與資料。',
  'settings.profile.platform': '其他 MyData 平臺',
  'settings.profile.platformDetail': '使用與本應用程式相同介面的其他平臺，須輸入其 https 網址。',
  'settings.profile.apart': '每個設定檔各自保存保險庫、金鑰、分享紀錄、同意收據與信任憑證；切換時畫面會重新載入，不會顯示其他設定檔的資料。',
  'settings.profile.url': '平臺網址（https）',
  'settings.profile.urlHint': '例如 https://mydata.example.tw。應用程式會讀取該網址的 /.well-known/mydata-platform 平臺資訊加以確認。',
  'settings.profile.check': '確認網址',
  'settings.profile.checking': '正在確認平臺…',
  'settings.profile.checked': '已確認：{name}（{origin}）',
  'settings.profile.switch': '切換到這個設定檔',
  'settings.profile.switching': '正在切換設定檔…',
  'settings.profile.needsUrl': '請先輸入平臺網址。',

  'settings.updates.legend': '更新',
  'settings.updates.label': '啟動時檢查是否有新版本',
  'settings.updates.hint': '只會通知您；未經您同意不會安裝任何更新。',

  'settings.downloads.legend': '監看的下載資料夾',
  'settings.downloads.hint': '從 MyData 官方網站下載的檔案會存到這裡，應用程式據此提示您匯入。',
  'settings.downloads.current': '目前資料夾：{folder}',
  'settings.downloads.osDefault': '{folder}（作業系統預設的下載資料夾）',
  'settings.downloads.choose': '選擇資料夾…',
  'settings.downloads.reset': '改回預設資料夾',

  'profile.notAvailable.title': '官方服務設定檔中無法使用此功能',
  'profile.notAvailable.body':
    '官方 MyData 服務沒有提供應用程式可連線的介面，因此這個畫面需要的平臺功能在此設定檔中無法使用。請在 MyData 官方網站下載您的資料，再到「我的資料」匯入。',
  'profile.notAvailable.mydata': '前往「我的資料」',
  'profile.notAvailable.settings': '變更設定檔',
} as const satisfies Record<string, string>;
