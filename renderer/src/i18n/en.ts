// The English message catalogue: complete, one entry for every key of the zh-TW catalogue.
import type { Catalogue } from './zh-TW.ts';
import { identityEn } from '../features/identity/messages.en.ts';
import { directoryEn } from '../features/directory/messages.en.ts';
import { consentEn } from '../features/consent/messages.en.ts';
import { mydataEn } from '../features/mydata/messages.en.ts';
import { historyEn } from '../features/history/messages.en.ts';
import { updateEn } from '../features/update/messages.en.ts';
import { datasetsEn } from '../features/datasets/messages.en.ts';
import { profileEn } from '../features/settings/messages.en.ts';
import { vaultProtectionEn } from '../features/settings/vault-protection.messages.en.ts';

export const en: Catalogue = {
  'app.name': 'MyData Desktop',
  'app.pageTitle': '{page} – MyData Desktop',
  'shell.skipLink': 'Skip to main content',
  'shell.navLabel': 'Main navigation',
  'shell.loading': 'Loading…',
  'shell.footer.version': 'Version {version}',
  'nav.home': 'Home',
  'nav.services': 'Services',
  'nav.mydata': 'My data',
  'nav.history': 'History',
  'nav.settings': 'Settings',
  'home.title': 'Home',
  'home.intro':
    "This desktop app lets you verify your identity with the MyData platform, see a service's terms and every data field it asks for before you consent, and then either download your own data once or have it delivered to a service provider you choose. The verified data, a receipt for each consent and a record of what was shared with whom are kept encrypted on your own computer.",
  'home.status':
    'This version offers settings only; identity verification, the service catalogue, data downloads and the sharing history will come in later versions.',
  'home.platform.heading': 'Connected platform',
  'home.platform.profile': 'Platform profile',
  'home.platform.name': 'Platform name',
  'home.platform.version': 'App version',
  'home.platform.runtime': 'Running as',
  'profile.demo': 'Demo (the built-in sandbox platform, synthetic people and data only)',
  'profile.official': 'Official MyData service (imports downloads from its website)',
  'profile.platform': 'External platform',
  'runtime.electron': 'Desktop app',
  'runtime.bridge': 'Test bridge (running in a browser)',
  'services.title': 'Services',
  'services.notYet': 'The service catalogue is not available yet.',
  'mydata.title': 'My data',
  'mydata.notYet': 'Viewing and exporting the data you have downloaded is not available yet.',
  'history.title': 'History',
  'history.notYet': 'The sharing history is not available yet.',
  'settings.title': 'Settings',
  'settings.language.legend': 'Language',
  'settings.theme.legend': 'Theme',
  'settings.theme.system': 'Follow the operating system',
  'settings.theme.light': 'Light',
  'settings.theme.dark': 'Dark',
  'settings.theme.high-contrast': 'High contrast',
  'settings.calendar.legend': 'Date display',
  'settings.calendar.gregorian': 'Gregorian calendar',
  'settings.calendar.roc': 'Republic of China (Minguo) calendar',
  'settings.calendar.example': 'Today is shown as: {date}',
  'settings.saving': 'Saving…',
  'settings.saved': 'Settings saved and applied.',
  'error.title': 'Something went wrong',
  'error.code': 'Error code: {code}',
  'error.retry': 'Try again',
  'notFound.title': 'Page not found',
  'notFound.body': 'The page you tried to open does not exist.',
  'notFound.home': 'Go to the home page',
  'deeplink.received':
    'A service provider sent a data request through {platform}. Handling such requests is not available yet.',
  'deeplink.rejected': 'A link was not accepted:',
  'notice.dismiss': 'Dismiss notice',
  ...identityEn,
  ...directoryEn,
  ...consentEn,
  ...mydataEn,
  ...historyEn,
  ...updateEn,
  ...datasetsEn,
  ...profileEn,
  ...vaultProtectionEn,
};
