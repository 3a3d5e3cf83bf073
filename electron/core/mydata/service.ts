// The My data feature's core (G1, G9, G12) as one object for main: download tasks, the vault's packages and their files,
// import offers, and the vault passphrase for Linux without a keyring. Each part lives in its own module; this one
// only composes them over the same options.
import { join } from 'node:path';
import type { ImportSource } from '../../contract/history.ts';
import type { DownloadTask, ExportResult, ImportChoice, ImportResult, PackageView, PendingDownload, VaultStatus } from '../../contract/package.ts';
import { VaultProtection } from '../vault/protection.ts';
import type { MyDataOptions } from './context.ts';
import { DownloadTasks } from './download-tasks.ts';
import { ImportOffers } from './import-offers.ts';
import { PackageFiles } from './package-files.ts';

export type { FileDialogs, MyDataOptions } from './context.ts';

export class MyDataService {
  readonly #downloads: DownloadTasks;
  readonly #packages: PackageFiles;
  readonly #imports: ImportOffers;

  /** What guards the vault's master key, and the only way to give a passphrase or change it. */
  readonly vaultProtection: VaultProtection;

  constructor(options: MyDataOptions) {
    this.vaultProtection = new VaultProtection({ stores: options.stores, dir: join(options.profileDir, 'vault'), ...(options.passphraseOptions ? { passphrase: options.passphraseOptions } : {}) });
    this.#downloads = new DownloadTasks(options);
    this.#packages = new PackageFiles(options);
    this.#imports = new ImportOffers(options);
  }

  // ---- downloads (download-tasks.ts) ----

  pendingDownloads(): Promise<PendingDownload[]> {
    return this.#downloads.pending();
  }

  startDownload(request: { txId: string; serviceId: string; receiptId?: string | null }): Promise<{ taskId: string }> {
    return this.#downloads.start(request);
  }

  cancel(taskId: string): void {
    this.#downloads.cancel(taskId);
  }

  /** The app quits: running downloads stop and keep what arrived, so the next run continues them (G1). */
  suspendDownloads(): Promise<void> {
    return this.#downloads.suspend();
  }

  tasks(): DownloadTask[] {
    return this.#downloads.list();
  }

  dismiss(taskId: string): void {
    this.#downloads.dismiss(taskId);
  }

  /** Waits for a task to end (tests and callers that want the outcome). */
  settled(taskId: string): Promise<DownloadTask> {
    return this.#downloads.settled(taskId);
  }

  // ---- packages (package-files.ts) ----

  list(): Promise<PackageView[]> {
    return this.#packages.list();
  }

  get(id: string): Promise<PackageView> {
    return this.#packages.get(id);
  }

  read(id: string, name: string): Promise<{ name: string; text: string }> {
    return this.#packages.read(id, name);
  }

  readPdf(id: string, name: string): Promise<{ name: string; bytes: Uint8Array<ArrayBuffer> }> {
    return this.#packages.readPdf(id, name);
  }

  export(id: string): Promise<ExportResult> {
    return this.#packages.export(id);
  }

  exportFile(id: string, name: string): Promise<ExportResult> {
    return this.#packages.exportFile(id, name);
  }

  delete(id: string): Promise<void> {
    return this.#packages.delete(id);
  }

  // ---- import (import-offers.ts) ----

  importChoose(): Promise<ImportChoice> {
    return this.#imports.choose();
  }

  importOffer(fileName: string, bytes: Uint8Array): Promise<ImportChoice> {
    return this.#imports.offerBytes(fileName, bytes);
  }

  importOfferPath(path: string, source: ImportSource): Promise<Extract<ImportChoice, { cancelled: false }>> {
    return this.#imports.offerPath(path, source);
  }

  import(token: string, password?: string, keepUnverified = false): Promise<ImportResult> {
    return this.#imports.import(token, password, keepUnverified);
  }

  importedPath(token: string): string | null {
    return this.#imports.pathOf(token);
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
