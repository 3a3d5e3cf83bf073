// Public surface of package verification: read a MyData package defensively and verify it (G4, G9, ARCHITECTURE §6).
export { DEFAULT_LIMITS } from './archive.ts';
export {    PackageErrorCode } from './errors.ts';
export {   parseProviderManifest } from './manifest.ts';
export { findDuplicateName, unsafeNameReason } from './names.ts';
export {
  
  
  
  verifyPackage,
  verifyThenRead,
  
  
  
  type PackageVerdict,
  
  
  
  type VerifyOptions,
} from './verify.ts';
