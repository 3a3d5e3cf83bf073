// The English message catalogue: complete, one entry for every key of the zh-TW catalogue.
import type { Catalogue } from './zh-TW.ts';
import { enStart } from './en.start.ts';
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
  ...enStart,
  'services.title': 'Services',
  'mydata.title': 'My data',
  'history.title': 'History',
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
