// IPC contract of the one-time download, the My data screen, import and the vault passphrase (ARCHITECTURE §5, §6, §8; G1, G9, G12).
import { z } from 'zod';
import { AppErrorSchema } from './errors.ts';
import { BilingualSchema as Bilingual } from '../common/schemas.ts';

/** My data failures core produces (AppError.code); the screen tells "not verified, keep anyway?" by its code. */
export const MyDataErrorCode = {
  TASK_NOT_FOUND: 'MYDATA_TASK_NOT_FOUND',
  SERVICE_UNKNOWN: 'MYDATA_SERVICE_UNKNOWN',
  NOT_TEXT: 'MYDATA_NOT_TEXT',
  NOT_PDF: 'MYDATA_NOT_PDF',
  PDF_TOO_LARGE: 'MYDATA_PDF_TOO_LARGE',
  IMPORT_EXPIRED: 'MYDATA_IMPORT_CHOICE_EXPIRED',
  IMPORT_FAILED: 'MYDATA_IMPORT_VERIFICATION_FAILED',
  /** Intact but not verified (no known signer, unknown issuer): kept only if the person asks, labelled. */
  IMPORT_NOT_VERIFIED: 'MYDATA_IMPORT_NOT_VERIFIED',
  PASSWORD_FORMAT: 'MYDATA_IMPORT_PASSWORD_FORMAT',
} as const;
export type MyDataErrorCodeValue = (typeof MyDataErrorCode)[keyof typeof MyDataErrorCode];

const Empty = z.object({}).strict();
const PackageId = z.string().min(1).max(100);

/**
 * A provider's verdict as the screen shows it: verified; issuer not recognised or no known signer for the dataset
 * (both intact but NOT verified, kept only when the person asked); failed; not delivered; or unsigned (a download with
 * no provider signatures, such as the official website's: never "verified").
 */
export const ProviderBadgeSchema = z.enum(['verified', 'issuer-not-recognised', 'no-known-signer', 'failed', 'not-delivered', 'unsigned']);
export type ProviderBadge = z.infer<typeof ProviderBadgeSchema>;

export const PackageProviderViewSchema = z.object({
  resourceId: z.string(),
  /** The dataset's name (the outer manifest's resource_name, or the catalogue's). */
  dataset: Bilingual,
  /** The data provider (G4) when the catalogue knows it. */
  provider: Bilingual.nullable(),
  badge: ProviderBadgeSchema,
  /** The per-dataset status code from the outer manifest (null for a single provider part). */
  code: z.string().nullable(),
  signature: z.string(),
  certificate: z.string(),
  /** Who signed and who issued the signing certificate, as the certificate says. */
  signer: z.string().nullable(),
  issuer: z.string().nullable(),
  /** The verifier's errors for this provider (for an unrecognised issuer, the one explaining it). */
  errors: z.array(AppErrorSchema),
});
export type PackageProviderView = z.infer<typeof PackageProviderViewSchema>;

export const PackageFileViewSchema = z.object({
  name: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  /** How the screen can show it: JSON (and CSV) as tables, PDF in the viewer, anything else by saving it. */
  kind: z.enum(['json', 'pdf', 'csv', 'other']),
  resourceId: z.string().nullable(),
});
export type PackageFileView = z.infer<typeof PackageFileViewSchema>;

export const PackageViewSchema = z.object({
  id: PackageId,
  source: z.enum(['download', 'import']),
  service: z.object({ id: z.string(), name: Bilingual }).strict(),
  txId: z.string().nullable(),
  storedAt: z.string(),
  receivedAt: z.string().nullable(),
  totalSize: z.number().int().nonnegative(),
  providers: z.array(PackageProviderViewSchema),
  files: z.array(PackageFileViewSchema),
  /** For an import: its source, the file's name and the SHA-256 of the whole file as received (the integrity reference). */
  origin: z
    .object({ source: z.enum(['official-website', 'counter', 'service-provider-package', 'demo']), fileName: z.string(), sha256: z.string(), size: z.number().int().nonnegative() })
    .nullable()
    .optional(),
});
export type PackageView = z.infer<typeof PackageViewSchema>;

/** One download as the screen follows it. `rate` is bytes per second; `etaSeconds` null while unknown. */
export const DownloadTaskSchema = z.object({
  taskId: z.string(),
  txId: z.string(),
  service: z.object({ id: z.string(), name: Bilingual }).strict(),
  state: z.enum(['waiting', 'downloading', 'verifying', 'done', 'failed', 'cancelled']),
  bytes: z.number().nonnegative(),
  total: z.number().nonnegative().nullable(),
  rate: z.number().nonnegative().nullable(),
  etaSeconds: z.number().nonnegative().nullable(),
  /** While the platform prepares (429), when it said to ask again. */
  retryAfterSeconds: z.number().nonnegative().nullable(),
  /** Connections dropped and resumed with Range. */
  resumes: z.number().int().nonnegative(),
  packageId: z.string().nullable(),
  /** 200 complete, 403 partly failed (per-dataset codes in the package). */
  platformStatus: z.number().int().nullable(),
  error: AppErrorSchema.nullable(),
});
export type DownloadTask = z.infer<typeof DownloadTaskSchema>;

/**
 * A self-download the person consented to whose package is neither in the vault nor accounted for in the history:
 * the app quit (or the download was cancelled) before it finished. The platform keeps the ticket until the package
 * is fully delivered or expires, so it can be downloaded now (G1).
 */
export const PendingDownloadSchema = z.object({
  txId: z.string(),
  receiptId: z.string(),
  service: z.object({ id: z.string(), name: Bilingual }).strict(),
  consentedAt: z.string(),
}).strict();
export type PendingDownload = z.infer<typeof PendingDownloadSchema>;

/** The JSON of a dataset file as text, for the table view (bounded in size). */
export const PackageReadResultSchema = z.object({ name: z.string(), text: z.string() });

/** The largest PDF the in-app viewer is given (bytes); larger ones are saved and opened with the person's reader. */
export const PDF_VIEW_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Bytes that cross IPC: a plain Uint8Array that spans its whole buffer. Structured clone copies a view's entire
 * backing buffer (a small Node Buffer shares its pool with unrelated memory), and the e2e bridge (Playwright's
 * serializer) carries a Uint8Array but not a Buffer; so Buffers and partial views are refused as results.
 */
const OwnBytes = z
  .instanceof(Uint8Array)
  .refine((b) => Object.getPrototypeOf(b) === Uint8Array.prototype && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength, 'a plain Uint8Array over its own buffer');

/** A PDF of a package for the viewer: its decrypted bytes, read in memory only, starting with the %PDF- header. */
export const PackagePdfResultSchema = z.object({
  name: z.string(),
  bytes: OwnBytes.refine((b) => b.byteLength <= PDF_VIEW_MAX_BYTES, 'at most PDF_VIEW_MAX_BYTES'),
});

export const ExportResultSchema = z.discriminatedUnion('cancelled', [
  z.object({ cancelled: z.literal(true) }),
  z.object({ cancelled: z.literal(false), folder: z.string(), files: z.array(z.string()) }),
]);
export type ExportResult = z.infer<typeof ExportResultSchema>;

/** The largest file accepted by drag and drop (it crosses IPC in memory); bigger ones go through the file picker. */
export const IMPORT_OFFER_MAX_BYTES = 256 * 1024 * 1024;

export const ImportChoiceSchema = z.discriminatedUnion('cancelled', [
  z.object({ cancelled: z.literal(true) }),
  /**
   * `token` names the file main picked; the renderer never sees or sends a path. `encrypted`: ask for the national ID
   * (a ZipCrypto zip or an ID-encrypted PDF). `layout`: a signed package, or the official website's unsigned download.
   */
  z.object({
    cancelled: z.literal(false),
    token: z.string(),
    fileName: z.string(),
    size: z.number().int().nonnegative(),
    encrypted: z.boolean(),
    layout: z.enum(['signed-package', 'website']).optional(),
  }),
]);
export type ImportChoice = z.infer<typeof ImportChoiceSchema>;

/**
 * `ok` only when every provider's signature verified. `verdict` says it honestly: `unsigned` for the website's
 * downloads (no provider signatures in them), with `sha256`, the whole file's digest recorded in the history.
 */
export const ImportResultSchema = z.object({
  package: PackageViewSchema,
  ok: z.boolean(),
  verdict: z.enum(['verified', 'unsigned', 'not-verified']).optional(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

/** Whether the vault is open, or what it needs first (Linux without a keyring: a passphrase). */
export const VaultStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('ready'), protection: z.enum(['os', 'passphrase']) }),
  /** No usable keyring and no vault yet: the person may choose a passphrase. */
  z.object({ state: z.literal('needs-new-passphrase'), minLength: z.number().int() }),
  /** The vault is passphrase-protected: ask for it. */
  z.object({ state: z.literal('needs-passphrase') }),
  z.object({ state: z.literal('error'), error: AppErrorSchema }),
]);
export type VaultStatus = z.infer<typeof VaultStatusSchema>;

/** For the Settings section: what guards the vault now (null while it is not open) and whether the OS keychain could. */
export const VaultProtectionInfoSchema = z.object({
  protection: z.enum(['os', 'passphrase']).nullable(),
  keychainAvailable: z.boolean(),
  minLength: z.number().int(),
});
export type VaultProtectionInfo = z.infer<typeof VaultProtectionInfoSchema>;

/**
 * A change of protection the person chose in Settings (`confirm`), with re-authentication: `current` is the current
 * passphrase when the vault has one (the keychain is asked again by main when it guards the vault).
 */
export const VaultProtectionChangeSchema = z.discriminatedUnion('to', [
  z.object({ to: z.literal('os'), current: z.string().min(1).max(1000), confirm: z.literal(true) }).strict(),
  z.object({ to: z.literal('passphrase'), passphrase: z.string().min(1).max(1000), current: z.string().min(1).max(1000).optional(), confirm: z.literal(true) }).strict(),
]);
export type VaultProtectionChange = z.infer<typeof VaultProtectionChangeSchema>;

export const packageChannels = {
  /** Starts the one-time download of a consented self-download (G1); answers at once, progress comes as package:task events. */
  'package:download': {
    payload: z.object({ txId: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/), serviceId: z.string().min(1).max(200), receiptId: z.string().min(1).max(200).nullable().optional() }).strict(),
    result: z.object({ taskId: z.string() }),
  },
  'package:cancel': { payload: z.object({ taskId: z.string() }).strict(), result: Empty },
  /** Consented self-downloads not yet downloaded (from the receipts), newest first, for a "download now" list. */
  'package:pending': { payload: Empty, result: z.array(PendingDownloadSchema) },
  /** Downloads of this app run (in progress and finished), for a screen that opens midway. */
  'package:tasks': { payload: Empty, result: z.array(DownloadTaskSchema) },
  'package:dismiss': { payload: z.object({ taskId: z.string() }).strict(), result: Empty },
  'package:list': { payload: Empty, result: z.array(PackageViewSchema) },
  'package:get': { payload: z.object({ id: PackageId }).strict(), result: PackageViewSchema },
  /** A JSON (or CSV) dataset file as text, decrypted in memory only. */
  'package:read': { payload: z.object({ id: PackageId, name: z.string().min(1).max(1000) }).strict(), result: PackageReadResultSchema },
  /** A PDF file's bytes for the in-app viewer, decrypted in memory only; not a PDF or over PDF_VIEW_MAX_BYTES is refused. */
  'package:read-pdf': { payload: z.object({ id: PackageId, name: z.string().min(1).max(1000) }).strict(), result: PackagePdfResultSchema },
  /** After the renderer's confirmation: main asks for a folder, then decrypts the package into a new folder inside it. */
  'package:export': { payload: z.object({ id: PackageId }).strict(), result: ExportResultSchema },
  /** Saves one file (a PDF to open with the person's reader) into a folder main asks for. */
  'package:export-file': { payload: z.object({ id: PackageId, name: z.string().min(1).max(1000) }).strict(), result: ExportResultSchema },
  /** After the renderer's confirmation: ciphertext and its key both go. */
  'package:delete': { payload: z.object({ id: PackageId }).strict(), result: Empty },
  /** Main asks for a package file; answers a token for it and whether it is ZipCrypto-encrypted. */
  'package:import-choose': { payload: Empty, result: ImportChoiceSchema },
  /** Verifies and stores the chosen file; `password` (the national ID) is used for this call only and never stored. */
  'package:import': {
    payload: z.object({
      token: z.string().min(1).max(100),
      password: z.string().max(20).optional(),
      /** The person asked to keep parts that are intact but not verified (no known signer, unknown issuer), labelled as such. */
      keepUnverified: z.boolean().optional(),
    }).strict(),
    result: ImportResultSchema,
  },
  /** A file dropped on the window, as bytes (never a path): answers a token as package:import-choose does. */
  'package:import-offer': {
    payload: z.object({ fileName: z.string().min(1).max(255), bytes: z.instanceof(Uint8Array).refine((b) => b.byteLength <= IMPORT_OFFER_MAX_BYTES, 'at most IMPORT_OFFER_MAX_BYTES') }).strict(),
    result: ImportChoiceSchema,
  },
  'vault:status': { payload: Empty, result: VaultStatusSchema },
  /** Only while the vault asks for one (status needs-new-passphrase or needs-passphrase); otherwise VAULT_PASSPHRASE_NOT_EXPECTED. */
  'vault:passphrase': { payload: z.object({ passphrase: z.string().min(1).max(1000) }).strict(), result: VaultStatusSchema },
  'vault:protection': { payload: Empty, result: VaultProtectionInfoSchema },
  'vault:protection-change': { payload: VaultProtectionChangeSchema, result: VaultStatusSchema },
} as const;

export const packageEvents = {
  'package:task': DownloadTaskSchema,
} as const;
