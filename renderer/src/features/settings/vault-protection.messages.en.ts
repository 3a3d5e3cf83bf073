// English messages of the vault-protection section of Settings; merged into the app catalogue.
import type { vaultProtectionZhTW } from './vault-protection.messages.zh-TW.ts';

export const vaultProtectionEn: Readonly<Record<keyof typeof vaultProtectionZhTW, string>> = {
  'settings.vault.heading': 'Vault protection',
  'settings.vault.intro': "The vault's master key is protected by the system keychain or by a passphrase you set. Before the protection changes you confirm it is you with the current protection; the data in the vault stays as it is.",
  'settings.vault.loading': 'Reading the vault protection…',
  'settings.vault.current.os': 'Now: protected by the system keychain.',
  'settings.vault.current.passphrase': 'Now: protected by your passphrase.',
  'settings.vault.current.locked': 'The vault is not open. Open it under My data first, then come back to change its protection.',
  'settings.vault.toPassphrase.heading': 'Use a passphrase instead',
  'settings.vault.toPassphrase.intro': 'With a passphrase you enter it each time you open MyData; if you lose it, the data in the vault cannot be recovered. The system keychain may ask you to confirm the change.',
  'settings.vault.change.heading': 'Change the passphrase',
  'settings.vault.toKeychain.heading': 'Go back to the system keychain',
  'settings.vault.toKeychain.intro': 'Afterwards MyData opens without a passphrase. Enter the current passphrase first to confirm it is you.',
  'settings.vault.keychainUnavailable': 'This computer has no system keychain available now, so only a passphrase can protect the vault.',
  'settings.vault.currentPassphrase': 'Current passphrase',
  'settings.vault.newPassphrase': 'New passphrase (at least {min} characters)',
  'settings.vault.confirmPassphrase': 'Enter the new passphrase again',
  'settings.vault.mismatch': 'The two new passphrases differ. Enter them again.',
  'settings.vault.understand': 'I understand the data cannot be recovered if I lose the passphrase',
  'settings.vault.submit.toPassphrase': 'Use a passphrase',
  'settings.vault.submit.change': 'Change the passphrase',
  'settings.vault.submit.toKeychain': 'Use the system keychain',
  'settings.vault.working': 'Changing the vault protection…',
  'settings.vault.done.os': 'The vault is now protected by the system keychain.',
  'settings.vault.done.passphrase': 'The vault is now protected by your passphrase.',
};
