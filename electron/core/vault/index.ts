// Public surface of the encrypted vault: open it, store/list/read/export/delete packages, derive keys for other stores.
export {
  openVault,
  inspectVault,
  PackageMetaSchema,
  ProviderVerdictSchema,
  VAULT_FORMAT_VERSION,
  type Vault,
  type OpenVaultOptions,
  type PackageMeta,
  type ProviderVerdict,
  type PackageSummary,
  type VaultEntryInput,
  type StoreProgress,
  type ExportProgress,
} from './vault.ts';
export { VaultErrorCode, VaultError, isVaultFailure } from './errors.ts';
export { createPassphraseProtector, isPassphraseProtector, MIN_PASSPHRASE_CHARS, type PassphraseKeyProtector, type PassphraseOptions } from './keys.ts';
export { nodeVaultFs, type VaultFs, type VaultFile } from './fsio.ts';
export { DEFAULT_CHUNK, cipherSizeFor } from './blob.ts';
