// Public surface of package verification: read a MyData package defensively and verify it (G4, G9, ARCHITECTURE §6).
export { DEFAULT_LIMITS, type PackageLimits } from './archive.ts';
export { checkCertificate, parseCertificate, parseTrustAnchors, verifyManifestSignature, type CertificateCheck, type CertificateInfo, type CertificateVerdict } from './certificate.ts';
export { isPackageFailure, packageError, packageFailure, PackageErrorCode } from './errors.ts';
export { DELIVERED_CODE, parseOuterManifest, parseProviderManifest, type OuterManifestEntry, type ProviderManifestEntry } from './manifest.ts';
export { findDuplicateName, unsafeNameReason } from './names.ts';
export type { PackageSource } from './readers.ts';
export {
  CERTIFICATE,
  MANIFEST,
  SIGNATURE,
  verifyPackage,
  verifyThenRead,
  type DataFileInfo,
  type FileSink,
  type FileVerdict,
  type PackageVerdict,
  type ProviderStatus,
  type ProviderVerdict,
  type SignatureVerdict,
  type VerifyOptions,
} from './verify.ts';
export { isSupportedPdfEncryption, pdfUserPasswordOpens, readPdfEncryption, type PdfCipher, type PdfEncryption } from './pdf-encryption.ts';
export {
  decodeText,
  detectLayout,
  detectTextEncoding,
  nameHints,
  normaliseId,
  readWebsiteDownload,
  type DownloadLayout,
  type DownloadNameHints,
  type TextEncoding,
  type WebsiteDownload,
  type WebsiteFile,
  type WebsiteFileInfo,
  type WebsiteFileType,
  type WebsiteReadOptions,
  type WebsiteSink,
} from './website.ts';
