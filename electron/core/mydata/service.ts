// The My data feature's core (G1, G9, G12): download tasks with progress and cancel, the vault's packages as views, reading,
// export, delete, import of packages from the MyData website, and the vault passphrase for Linux without a keyring.
//
// Paths never come from the renderer: export folders and import files are chosen through main's dialogs (the
// FileDialogs port), and an import file is referred to by a random token afterwards, so a compromised page cannot
// name a file to read or a folder to write.
import { randomBytes, randomUUID } from 'node:crypto';
import { link, mkdir, open, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppFailure, type AppError } from '../../contract/errors.ts';
import type { ImportSource, LocalizedName } from '../../contract/history.ts';
import { PDF_VIEW_MAX_BYTES, type DownloadTask, type ExportResult, type PendingDownload, type ImportChoice, type ImportResult, type PackageProviderView, type PackageView, type VaultStatus } from '../../contract/package.ts';
import type { CatalogueService } from '../../contract/platform.ts';
import type { IdentitySession } from '../../contract/identity.ts';
import { profileReceipts } from '../consent/receipt-store.ts';
import { DOWNLOAD_SUSPEND, downloadPackage, type DownloadDeps, type DownloadJob } from '../package/download.ts';
import type { PlatformFetcher } from '../package/download-transport.ts';
import type { DatasetInfo } from '../package/into-vault.ts';
import { sweepSpools } from '../package/download-spool.ts';
import { catalogueBindings } from '../package/signers.ts';
import type { TrustMaterial } from '../package/trust.ts';
import { isValidPersonalId } from '../../common/ids.ts';
import { decodeText, detectTextEncoding } from '../datasets/text.ts';
import type { Clock } from '../ports.ts';
import { importCandidate, inspectCandidate, type ImportCandidate, type ImportInspection } from './importer.ts';
import type { LocalStores } from '../stores.ts';
import { VaultError, type PackageSummary, type PassphraseOptions } from '../vault/index.ts';
import { VaultProtection } from '../vault/protection.ts';

/** Main's dialogs (Electron's in the app, a stub in the browser tests); null means the person cancelled. */
export interface FileDialogs {
  chooseFolder(purpose: 'export'): Promise<string | null>;
  chooseFile(purpose: 'import'): Promise<string | null>;
}

export interface MyDataOptions {
  stores: LocalStores;
  profileDir: string;
  clock: Clock;
  /** The platform's directory: services (names, datasets) and trust anchors. */
  directory(): Promise<{ services: CatalogueService[]; trustAnchors: string[] }>;
  /**
   * The profile's own trust material when it is not the catalogue's (the official profile: GRCA G3 and the shipped
   * bindings of real datasets). Absent: the catalogue's anchors and the signers its providers state (demo).
   */
  trust?: () => TrustMaterial;
  /** The current directory without fetching (names for views); null when none was loaded. */
  knownServices(): CatalogueService[];
  identity: { session(): IdentitySession | null; platformClient(): PlatformFetcher };
  dialogs: FileDialogs | null;
  onTask(task: DownloadTask): void;
  /** For tests: overrides of the download's dependencies (waits, limits). */
  downloadOverrides?: Partial<DownloadDeps>;
  /** The demo profile: imports are labelled demo and never mixed with real sources. */
  demo?: () => boolean;
  /** The dataset registry (real ids and names), when there is one, for naming imported files. */
  datasets?: () => DatasetInfo[];
  /** For tests: a lower scrypt cost for vault passphrases. */
  passphraseOptions?: PassphraseOptions;
}

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

function failure(code: string, zh: string, en: string, retryable = false): AppFailure {
  return new AppFailure({ code, message_zh: zh, message_en: en, retryable });
}

const IMPORT_TOKEN_TTL_MS = 30 * 60_000;
const RUNNING_STATES: ReadonlySet<DownloadTask['state']> = new Set(['waiting', 'downloading', 'verifying']);
const READ_LIMIT = 8 * 1024 * 1024;

function kindOf(name: string): PackageView['files'][number]['kind'] {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.pdf')) return 'pdf';
  if (lower.endsWith('.csv')) return 'csv';
  return 'other';
}

/** Where a PDF's header may start: within the first 1024 bytes, as readers allow (ISO 32000, annex H). */
const PDF_HEADER_WINDOW = 1024;
const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

function hasPdfHeader(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, PDF_HEADER_WINDOW)).includes(PDF_MAGIC);
}

/** The bytes as a plain Uint8Array over exactly their own buffer (what the contract carries), copying only when needed. */
function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return new Uint8Array(buffer);
  return Uint8Array.from(bytes);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function datasetsOf(service: CatalogueService | undefined): DatasetInfo[] {
  return (service?.datasets ?? []).map((d) => ({
    id: d.id,
    name: { zh: d.name_zh, en: d.name_en },
    provider: { id: d.provider.id, name: { zh: d.provider.name_zh, en: d.provider.name_en } },
  }));
}

/** The company's 統一編號 or the person's ID, masked as the history requires (last four hidden). */
function historySubject(session: IdentitySession): { masked_id: string; type: 'natural' | 'legal' } {
  if (session.subjectType === 'legal' && session.company) return { masked_id: `${session.company.ban.slice(0, 4)}****`, type: 'legal' };
  return { masked_id: session.maskedId, type: 'natural' };
}

/** The identifiers of the verified person, as the signed content may name them (masked; the import's ID in full). */
function subjectIds(session: IdentitySession | null, id: string | undefined): string[] {
  const ids: string[] = [];
  if (session) ids.push(session.subjectType === 'legal' && session.company ? session.company.ban : session.maskedId);
  if (id !== undefined && id !== '') ids.push(id);
  return ids;
}

export class MyDataService {
  readonly #options: MyDataOptions;
  readonly #tasks = new Map<string, { task: DownloadTask; abort: AbortController }>();
  readonly #imports = new Map<string, { candidate: ImportCandidate; inspection: ImportInspection; source: ImportSource | undefined; expires: number }>();
  readonly #spoolDir: string;

  /** What guards the vault's master key, and the only way to give a passphrase or change it. */
  readonly vaultProtection: VaultProtection;

  constructor(options: MyDataOptions) {
    this.#options = options;
    this.vaultProtection = new VaultProtection({ stores: options.stores, dir: join(options.profileDir, 'vault'), ...(options.passphraseOptions ? { passphrase: options.passphraseOptions } : {}) });
    this.#spoolDir = join(options.profileDir, 'spool');
    // Spools of an earlier run that cannot be resumed (too old, or without checkpoints) are removed; the others wait
    // for the next download of their transaction, which continues with Range.
    void sweepSpools(this.#spoolDir).catch(() => undefined);
  }

  // ---- downloads ----

  /**
   * Self-downloads consented to (their receipts) whose package is not in the vault and whose outcome the history
   * does not record, newest first: an earlier run quit, or the person cancelled, before the package was kept.
   * Downloads running now are left out.
   */
  async pendingDownloads(): Promise<PendingDownload[]> {
    const { vault, history } = await this.#options.stores.get();
    const kept = new Set((await vault.list()).map((p) => p.meta.txId).filter((id) => id !== undefined));
    const recorded = new Set(history.records().map((r) => r.tx_id));
    const running = new Set([...this.#tasks.values()].filter(({ task }) => RUNNING_STATES.has(task.state)).map(({ task }) => task.txId));
    const receipts = profileReceipts(this.#options.profileDir, vault);
    const pending: PendingDownload[] = [];
    for (const summary of await receipts.list()) {
      if (summary.decision !== 'consent' || kept.has(summary.tx_id) || recorded.has(summary.tx_id) || running.has(summary.tx_id)) continue;
      const receipt = await receipts.get(summary.receipt_id).catch(() => null);
      if (receipt?.recipient.kind !== 'self') continue;
      pending.push({ txId: receipt.tx_id, receiptId: receipt.receipt_id, service: { id: receipt.service.id, name: receipt.service.name }, consentedAt: receipt.timestamp });
    }
    return pending.sort((a, b) => b.consentedAt.localeCompare(a.consentedAt));
  }

  async startDownload(request: { txId: string; serviceId: string; receiptId?: string | null }): Promise<{ taskId: string }> {
    for (const { task } of this.#tasks.values()) {
      if (task.txId === request.txId && RUNNING_STATES.has(task.state)) return { taskId: task.taskId };
    }
    const directory = await this.#options.directory();
    const service = directory.services.find((s) => s.id === request.serviceId);
    if (!service) {
      throw failure(MyDataErrorCode.SERVICE_UNKNOWN, '平臺目錄中找不到這項服務，無法下載。請重新整理服務目錄後再試一次。', 'This service is not in the platform directory, so it cannot be downloaded. Refresh the services and try again.', true);
    }
    // Both throw named identity failures (no session, expired) for the caller to show.
    const platform = this.#options.identity.platformClient();
    const session = this.#options.identity.session();
    const { vault, history } = await this.#options.stores.get();
    const trust = this.#trust(directory);
    const job: DownloadJob = {
      txId: request.txId,
      service: { id: service.id, name: { zh: service.name_zh, en: service.name_en } },
      datasets: datasetsOf(service),
      record: session
        ? { subject: historySubject(session), method: session.method, level: session.level, receiptId: request.receiptId ?? null, termsSha256: service.terms.sha256 }
        : null,
    };
    const taskId = randomUUID();
    const abort = new AbortController();
    const task: DownloadTask = {
      taskId,
      txId: request.txId,
      service: job.service,
      state: 'waiting',
      bytes: 0,
      total: null,
      rate: null,
      etaSeconds: null,
      retryAfterSeconds: null,
      resumes: 0,
      packageId: null,
      platformStatus: null,
      error: null,
    };
    this.#tasks.set(taskId, { task, abort });
    this.#publish(taskId, {});
    const deps: DownloadDeps = {
      platform,
      vault,
      history,
      spoolDir: this.#spoolDir,
      trustAnchors: trust.anchors,
      clock: this.#options.clock,
      ...this.#options.downloadOverrides,
      verifyOptions: {
        signers: trust.signers,
        intermediates: trust.intermediates,
        expect: { txId: request.txId, subjectIds: subjectIds(session, undefined) },
        ...this.#options.downloadOverrides?.verifyOptions,
      },
    };
    void downloadPackage(job, deps, {
      signal: abort.signal,
      onProgress: (p) => {
        this.#publish(taskId, { state: p.state, bytes: p.bytes, total: p.total, rate: p.rate, etaSeconds: p.etaSeconds, retryAfterSeconds: p.retryAfterSeconds, resumes: p.resumes });
      },
    }).then(
      (outcome) => {
        this.#publish(taskId, { state: 'done', packageId: outcome.package.id, platformStatus: outcome.platformStatus, bytes: outcome.bytes, total: outcome.bytes, etaSeconds: 0 });
      },
      (error: unknown) => {
        const appError: AppError =
          error instanceof AppFailure
            ? error.toAppError()
            : { code: 'DOWNLOAD_INTERNAL', message_zh: '下載時發生未預期的錯誤，未保存任何內容。請再試一次。', message_en: 'An unexpected error occurred during the download and nothing was kept. Try again.', retryable: true };
        this.#publish(taskId, { state: appError.code === 'DOWNLOAD_CANCELLED' ? 'cancelled' : 'failed', error: appError, rate: null, etaSeconds: null });
      },
    );
    return { taskId };
  }

  #publish(taskId: string, patch: Partial<DownloadTask>): void {
    const entry = this.#tasks.get(taskId);
    if (!entry) return;
    entry.task = { ...entry.task, ...patch };
    this.#options.onTask(entry.task);
  }

  cancel(taskId: string): void {
    const entry = this.#tasks.get(taskId);
    if (!entry) throw failure(MyDataErrorCode.TASK_NOT_FOUND, '找不到這個下載工作，可能已經結束。', 'This download cannot be found; it may have finished already.');
    entry.abort.abort();
  }

  /** The app quits: running downloads stop and keep what arrived, so the next run continues them (G1). */
  async suspendDownloads(): Promise<void> {
    const running = [...this.#tasks.values()].filter(({ task }) => RUNNING_STATES.has(task.state));
    for (const { abort } of running) abort.abort(DOWNLOAD_SUSPEND);
    await Promise.all(running.map(({ task }) => this.settled(task.taskId).catch(() => undefined)));
  }

  tasks(): DownloadTask[] {
    return [...this.#tasks.values()].map((e) => e.task);
  }

  dismiss(taskId: string): void {
    const entry = this.#tasks.get(taskId);
    if (entry && (entry.task.state === 'done' || entry.task.state === 'failed' || entry.task.state === 'cancelled')) this.#tasks.delete(taskId);
  }

  /** Waits for a task to end (tests and callers that want the outcome). */
  async settled(taskId: string): Promise<DownloadTask> {
    for (;;) {
      const entry = this.#tasks.get(taskId);
      if (!entry) throw failure(MyDataErrorCode.TASK_NOT_FOUND, '找不到這個下載工作。', 'This download cannot be found.');
      if (entry.task.state === 'done' || entry.task.state === 'failed' || entry.task.state === 'cancelled') return entry.task;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  // ---- packages ----

  #view(summary: PackageSummary): PackageView {
    const known = this.#options.knownServices().find((s) => s.id === summary.meta.service.id);
    const serviceName: LocalizedName = known ? { zh: known.name_zh, en: known.name_en } : { zh: summary.meta.service.name, en: summary.meta.service.name };
    const providers: PackageProviderView[] = summary.meta.providers.map((p) => {
      const d = (p.detail ?? {}) as Record<string, unknown>;
      const dataset = d.dataset as { zh?: unknown; en?: unknown } | null | undefined;
      const provider = d.provider as { zh?: unknown; en?: unknown } | null | undefined;
      const status = str(d.status);
      const badge = status === 'not-delivered' ? 'not-delivered' : p.verdict === 'issuer_unrecognised' ? 'issuer-not-recognised' : p.verdict === 'not_verified' ? 'no-known-signer' : p.verdict;
      const errors = Array.isArray(d.errors) ? (d.errors as AppError[]).filter((e) => typeof e.code === 'string') : [];
      return {
        resourceId: p.resourceId,
        dataset: { zh: str(dataset?.zh) ?? p.name, en: str(dataset?.en) ?? p.name },
        provider: provider && str(provider.zh) !== null ? { zh: str(provider.zh) ?? '', en: str(provider.en) ?? '' } : null,
        badge,
        code: str(d.code),
        signature: str(d.signature) ?? 'missing',
        certificate: str(d.certificate) ?? 'missing',
        signer: str(d.signer),
        issuer: str(d.issuer),
        errors,
      };
    });
    const folders = new Map(summary.meta.providers.map((p) => [str((p.detail as Record<string, unknown> | undefined)?.folder) ?? p.resourceId, p.resourceId]));
    return {
      id: summary.id,
      source: summary.meta.source,
      service: { id: summary.meta.service.id, name: serviceName },
      txId: summary.meta.txId ?? null,
      storedAt: summary.storedAt,
      receivedAt: summary.meta.receivedAt ?? null,
      totalSize: summary.totalSize,
      providers,
      origin: summary.meta.origin ?? null,
      files: summary.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256, kind: kindOf(f.name), resourceId: folders.get(f.name.split('/')[0] ?? '') ?? null })),
    };
  }

  async list(): Promise<PackageView[]> {
    const { vault } = await this.#options.stores.get();
    return (await vault.list()).map((s) => this.#view(s));
  }

  async get(id: string): Promise<PackageView> {
    const { vault } = await this.#options.stores.get();
    return this.#view(await vault.get(id));
  }

  /** A JSON or CSV file as text, decrypted in memory only (bounded). */
  async read(id: string, name: string): Promise<{ name: string; text: string }> {
    const kind = kindOf(name);
    if (kind !== 'json' && kind !== 'csv') {
      throw failure(MyDataErrorCode.NOT_TEXT, '這個檔案不是可在畫面上顯示的表格資料（JSON 或 CSV）。請用「儲存檔案」存到您選擇的資料夾後，以合適的程式開啟。', 'This file is not table data the screen can show (JSON or CSV). Use "Save file" to put it in a folder you choose and open it with a suitable program.');
    }
    const { vault } = await this.#options.stores.get();
    const bytes = await vault.readFileBytes(id, name, { maxBytes: READ_LIMIT });
    // The importer's own decoder (datasets/text.ts): UTF-8 with or without a BOM, UTF-16 with one, or Big5; never guessed.
    const encoding = detectTextEncoding(bytes);
    if (encoding === null) {
      throw failure(MyDataErrorCode.NOT_TEXT, '這個檔案不是 UTF-8、UTF-16 或 Big5 文字，無法在畫面上顯示。請用「儲存檔案」後以其他程式開啟。', 'This file is not UTF-8, UTF-16 or Big5 text and cannot be shown here. Use "Save file" and open it with another program.');
    }
    return { name, text: decodeText(bytes, encoding) };
  }

  /**
   * A PDF's bytes for the in-app viewer, decrypted in memory only (nothing is written to disk). Refused with a named
   * error when the file is over PDF_VIEW_MAX_BYTES (checked before decrypting) or is not a PDF (by name and header).
   */
  async readPdf(id: string, name: string): Promise<{ name: string; bytes: Uint8Array<ArrayBuffer> }> {
    const notPdf = () =>
      failure(
        MyDataErrorCode.NOT_PDF,
        '這個檔案不是 PDF，無法在 PDF 檢視器中顯示。請用「儲存檔案」存到您選擇的資料夾後，以合適的程式開啟。',
        'This file is not a PDF, so the PDF viewer cannot show it. Use "Save file" to put it in a folder you choose and open it with a suitable program.',
      );
    if (kindOf(name) !== 'pdf') throw notPdf();
    const { vault } = await this.#options.stores.get();
    const summary = await vault.get(id);
    const file = summary.files.find((f) => f.name === name);
    if (!file) throw VaultError.fileNotFound(id, name);
    if (file.size > PDF_VIEW_MAX_BYTES) {
      const mib = PDF_VIEW_MAX_BYTES / (1024 * 1024);
      throw failure(
        MyDataErrorCode.PDF_TOO_LARGE,
        `這個 PDF 超過 ${mib} MiB，太大而無法在程式內顯示。請用「儲存檔案」存到您選擇的資料夾，再用您的 PDF 閱讀器開啟。`,
        `This PDF is larger than ${mib} MiB, too large to show inside the app. Use "Save file" to put it in a folder you choose and open it with your PDF reader.`,
      );
    }
    const bytes = await vault.readFileBytes(id, file.name, { maxBytes: PDF_VIEW_MAX_BYTES });
    if (!hasPdfHeader(bytes)) throw notPdf();
    return { name: file.name, bytes: ownBytes(bytes) };
  }

  async #chooseFolder(): Promise<string | null> {
    if (this.#options.dialogs) return this.#options.dialogs.chooseFolder('export');
    // Without a dialog (the test bridge), exports go to the profile's exports/ folder.
    const dir = join(this.#options.profileDir, 'exports');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /** Decrypts a whole package into a new folder inside the one the person picks (G12). */
  async export(id: string): Promise<ExportResult> {
    const { vault } = await this.#options.stores.get();
    const summary = await vault.get(id);
    const parent = await this.#chooseFolder();
    if (parent === null) return { cancelled: true };
    const stamp = summary.storedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-');
    const base = `MyData-${summary.meta.service.id.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}`;
    let folder = '';
    for (let n = 1; ; n++) {
      folder = join(parent, n === 1 ? base : `${base}-${n}`);
      try {
        await mkdir(folder);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 50) throw VaultError.exportExists(folder);
      }
    }
    try {
      const { files } = await vault.export(id, folder);
      return { cancelled: false, folder, files };
    } catch (error) {
      await rmdir(folder).catch(() => undefined);
      throw error;
    }
  }

  /** Saves one file (a PDF for the person's reader) into a folder they pick; never overwrites. */
  async exportFile(id: string, name: string): Promise<ExportResult> {
    const { vault } = await this.#options.stores.get();
    const summary = await vault.get(id);
    const file = summary.files.find((f) => f.name === name);
    if (!file) throw VaultError.fileNotFound(id, name);
    const folder = await this.#chooseFolder();
    if (folder === null) return { cancelled: true };
    const target = join(folder, basename(file.name));
    const temp = join(folder, `.${basename(file.name)}.${randomBytes(6).toString('hex')}.part`);
    let created = false;
    try {
      const handle = await open(temp, 'wx', 0o600);
      created = true;
      try {
        for await (const chunk of vault.readFile(id, file.name)) await handle.write(chunk);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await link(temp, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw VaultError.exportExists(target);
        throw error;
      }
      return { cancelled: false, folder, files: [target] };
    } finally {
      if (created) await unlink(temp).catch(() => undefined);
    }
  }

  async delete(id: string): Promise<void> {
    const { vault } = await this.#options.stores.get();
    await vault.delete(id);
  }

  // ---- import ----

  async importChoose(): Promise<ImportChoice> {
    const path = this.#options.dialogs ? await this.#options.dialogs.chooseFile('import') : null;
    if (path === null) return { cancelled: true };
    const info = await stat(path);
    return this.#offer({ source: path, fileName: basename(path), size: info.size });
  }

  /** A file dropped on the window: its bytes stay in memory (never written to disk) until imported or expired. */
  async importOffer(fileName: string, bytes: Uint8Array): Promise<ImportChoice> {
    return this.#offer({ source: bytes, fileName: basename(fileName.replace(/\\/g, '/')), size: bytes.byteLength });
  }

  /**
   * A file found by the downloads-folder watcher (the journey): offered like a picked one, with its source known.
   * Returns the choice; the person confirms before anything is imported.
   */
  async importOfferPath(path: string, source: ImportSource): Promise<Extract<ImportChoice, { cancelled: false }>> {
    const info = await stat(path);
    return this.#offer({ source: path, fileName: basename(path), size: info.size }, source);
  }

  async #offer(candidate: ImportCandidate, source?: ImportSource): Promise<Extract<ImportChoice, { cancelled: false }>> {
    // An unknown format or a hostile archive is named here, before anything is kept.
    const inspection = await inspectCandidate(candidate);
    const now = Date.now();
    for (const [token, entry] of this.#imports) if (entry.expires < now) this.#imports.delete(token);
    const token = randomBytes(16).toString('base64url');
    this.#imports.set(token, { candidate, inspection, source, expires: now + IMPORT_TOKEN_TTL_MS });
    return { cancelled: false, token, fileName: candidate.fileName, size: candidate.size, encrypted: inspection.needsId, layout: inspection.layout };
  }

  /**
   * Imports the chosen file: a signed package (verified per provider) or the official website's download (verdict
   * unsigned). The national ID opens what it protects for this call only: it is not kept anywhere, and the history
   * gets only its masked form.
   */
  async import(token: string, password?: string, keepUnverified = false): Promise<ImportResult> {
    const choice = this.#imports.get(token);
    if (!choice || choice.expires < Date.now()) {
      throw failure(MyDataErrorCode.IMPORT_EXPIRED, '選擇的檔案已失效，請重新選擇要匯入的檔案。', 'The file choice has expired. Choose the file to import again.', true);
    }
    const id = password?.trim().toUpperCase();
    if (id !== undefined && id !== '' && !isValidPersonalId(id)) {
      throw failure(MyDataErrorCode.PASSWORD_FORMAT, '身分證統一編號格式或檢查碼不正確：應為 1 個英文字母加 9 碼數字（例如 A123456789）。請確認後再試一次。', 'The national ID number is not valid (format or check digit): one letter and 9 digits (for example A123456789). Check it and try again.', true);
    }
    const [{ vault, history }, directory] = await Promise.all([this.#options.stores.get(), this.#directoryOrEmpty()]);
    const session = this.#options.identity.session();
    const outcome = await importCandidate(choice.candidate, choice.inspection, {
      vault,
      history,
      clock: this.#options.clock,
      datasets: [...(this.#options.datasets?.() ?? []), ...directory.services.flatMap((s) => datasetsOf(s))],
      trust: this.#trust(directory),
      // Without a verification now, the signed content is checked against the ID typed for this import, if any.
      expectSubjectIds: subjectIds(session, id),
      keepUnverified,
      demo: this.#options.demo?.() ?? false,
      sessionSubject: session ? historySubject(session) : null,
    }, { id: id === '' ? undefined : id, source: choice.source });
    this.#imports.delete(token);
    return { package: this.#view(outcome.stored), ok: outcome.verdict === 'verified', verdict: outcome.verdict, sha256: outcome.sha256 };
  }

  /** The path behind a token the watcher offered (to offer deleting the plain copy after the import). */
  importedPath(token: string): string | null {
    const source = this.#imports.get(token)?.candidate.source;
    return typeof source === 'string' ? source : null;
  }

  /** The profile's trust: its own (official) or the catalogue's anchors and its providers' stated signers (demo); never both. */
  #trust(directory: { services: CatalogueService[]; trustAnchors: string[] }): TrustMaterial {
    if (this.#options.trust) return this.#options.trust();
    return { anchors: directory.trustAnchors, intermediates: [], signers: catalogueBindings(directory.services) };
  }

  async #directoryOrEmpty(): Promise<{ services: CatalogueService[]; trustAnchors: string[] }> {
    try {
      return await this.#options.directory();
    } catch {
      // Offline with no copy: an import still verifies signatures and digests; issuers show as not recognised.
      return { services: [], trustAnchors: [] };
    }
  }

  // ---- vault protection (the state machine lives in vault/protection.ts) ----

  vaultStatus(): Promise<VaultStatus> {
    return this.vaultProtection.status();
  }

  /** Only while the vault asks for a passphrase; a wrong one is reported and nothing else changes. */
  usePassphrase(passphrase: string): Promise<VaultStatus> {
    return this.vaultProtection.usePassphrase(passphrase);
  }
}
