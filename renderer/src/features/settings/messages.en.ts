// English messages of the profile choice, the first start and the Settings screen's new sections.
import type { profileZhTW } from './messages.zh-TW.ts';

export const profileEn: Readonly<Record<keyof typeof profileZhTW, string>> = {
  'firstStart.title': 'Welcome to MyData Desktop',
  'firstStart.intro': 'First choose how you want to use the app. You can change this at any time in Settings; the two keep their data apart and never mix it.',
  'firstStart.legend': 'How to use the app',
  'firstStart.official': 'Use the official MyData service',
  'firstStart.officialDetail':
    'Your real data. The official MyData service offers no interface the app can connect to: download your data on the official MyData website, then import it here, where it is kept encrypted on your computer.',
  'firstStart.demo': 'Try the demo (synthetic people)',
  'firstStart.demoDetail': 'The built-in demo platform: every person and record is made up, and you can try every journey. Demo data is kept apart from real data.',
  'firstStart.continue': 'Start',
  'firstStart.working': 'Getting ready…',

  'settings.profile.legend': 'Data source (profile)',
  'settings.profile.current': 'In use now: {name}',
  'settings.profile.official': 'Official MyData service',
  'settings.profile.officialDetail': 'Import your real data downloaded from the official MyData website.',
  'settings.profile.demo': 'Demo (synthetic data)',
  'settings.profile.demoDetail': 'The built-in demo platform, with made-up people and data only.',
  'settings.profile.platform': 'Another MyData platform',
  'settings.profile.platformDetail': 'Another platform speaking the same interface as this app; enter its https address.',
  'settings.profile.apart':
    'Each profile keeps its own vault, keys, sharing history, consent receipts and trusted certificates; switching reloads the window and never shows another profile’s data.',
  'settings.profile.url': 'Platform address (https)',
  'settings.profile.urlHint': 'For example https://mydata.example.tw. The app reads the platform information at /.well-known/mydata-platform on that address to check it.',
  'settings.profile.check': 'Check address',
  'settings.profile.checking': 'Checking the platform…',
  'settings.profile.checked': 'Checked: {name} ({origin})',
  'settings.profile.switch': 'Switch to this profile',
  'settings.profile.switching': 'Switching profile…',
  'settings.profile.needsUrl': 'Enter the platform address first.',

  'settings.updates.legend': 'Updates',
  'settings.updates.label': 'Check for a new version when the app starts',
  'settings.updates.hint': 'You are only told; no update is ever installed without your consent.',

  'settings.downloads.legend': 'Downloads folder to watch',
  'settings.downloads.hint': 'Files you download from the official MyData website are saved here, and the app offers to import them.',
  'settings.downloads.current': 'Folder: {folder}',
  'settings.downloads.osDefault': '{folder} (the operating system’s downloads folder)',
  'settings.downloads.choose': 'Choose folder…',
  'settings.downloads.reset': 'Use the default folder',

  'profile.notAvailable.title': 'Not available in the official-service profile',
  'profile.notAvailable.mydata': 'Go to My data',
  'profile.notAvailable.settings': 'Change profile',
};
