// Public surface of the encrypted vault: open it, store/list/read/export/delete packages, derive keys for other stores.
export {
  openVault,
  inspectVault,
  
  
  
  type Vault,
  
  type PackageMeta,
  
  type PackageSummary,
  type VaultEntryInput,
  
  
} from './vault.ts';
export { VaultErrorCode, VaultError } from './errors.ts';
export { createPassphraseProtector,    type PassphraseOptions } from './keys.ts';
export { nodeVaultFs, type VaultFs, type VaultFile } from './fsio.ts';
