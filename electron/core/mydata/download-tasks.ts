// The one-time downloads as tasks the screen follows: start (one per transaction), progress, cancel, suspend on quit, and the consented downloads an earlier run left unfinished.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AppFailure, type AppError } from '../../contract/errors.ts';
import { MyDataErrorCode, type DownloadTask, type PendingDownload } from '../../contract/package.ts';
import { profileReceipts } from '../consent/receipt-store.ts';
import { DOWNLOAD_SUSPEND, downloadPackage, type DownloadDeps, type DownloadJob } from '../package/download.ts';
import { sweepSpools } from '../package/download-spool.ts';
import { datasetsOf, historySubject, subjectIds, trustOf, type MyDataOptions } from './context.ts';
import { myDataFailure } from './errors.ts';

const RUNNING_STATES: ReadonlySet<DownloadTask['state']> = new Set(['waiting', 'downloading', 'verifying']);

function ended(task: DownloadTask): boolean {
  return task.state === 'done' || task.state === 'failed' || task.state === 'cancelled';
}

export class DownloadTasks {
  readonly #options: MyDataOptions;
  readonly #tasks = new Map<string, { task: DownloadTask; abort: AbortController }>();
  readonly #spoolDir: string;

  constructor(options: MyDataOptions) {
    this.#options = options;
    this.#spoolDir = join(options.profileDir, 'spool');
    // Spools of an earlier run that cannot be resumed (too old, or without checkpoints) are removed; the others wait
    // for the next download of their transaction, which continues with Range.
    void sweepSpools(this.#spoolDir).catch(() => undefined);
  }

  /**
   * Self-downloads consented to (their receipts) whose package is not in the vault and whose outcome the history
   * does not record, newest first: an earlier run quit, or the person cancelled, before the package was kept.
   * Downloads running now are left out.
   */
  async pending(): Promise<PendingDownload[]> {
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

  async start(request: { txId: string; serviceId: string; receiptId?: string | null }): Promise<{ taskId: string }> {
    for (const { task } of this.#tasks.values()) {
      if (task.txId === request.txId && RUNNING_STATES.has(task.state)) return { taskId: task.taskId };
    }
    const directory = await this.#options.directory();
    const service = directory.services.find((s) => s.id === request.serviceId);
    if (!service) throw myDataFailure(MyDataErrorCode.SERVICE_UNKNOWN);
    // Both throw named identity failures (no session, expired) for the caller to show.
    const platform = this.#options.identity.platformClient();
    const session = this.#options.identity.session();
    const { vault, history } = await this.#options.stores.get();
    const trust = trustOf(this.#options, directory);
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
    if (!entry) throw myDataFailure(MyDataErrorCode.TASK_NOT_FOUND);
    entry.abort.abort();
  }

  /** The app quits: running downloads stop and keep what arrived, so the next run continues them (G1). */
  async suspend(): Promise<void> {
    const running = [...this.#tasks.values()].filter(({ task }) => RUNNING_STATES.has(task.state));
    for (const { abort } of running) abort.abort(DOWNLOAD_SUSPEND);
    await Promise.all(running.map(({ task }) => this.settled(task.taskId).catch(() => undefined)));
  }

  list(): DownloadTask[] {
    return [...this.#tasks.values()].map((e) => e.task);
  }

  dismiss(taskId: string): void {
    const entry = this.#tasks.get(taskId);
    if (entry && ended(entry.task)) this.#tasks.delete(taskId);
  }

  /** Waits for a task to end (tests and callers that want the outcome). */
  async settled(taskId: string): Promise<DownloadTask> {
    for (;;) {
      const entry = this.#tasks.get(taskId);
      if (!entry) throw myDataFailure(MyDataErrorCode.TASK_NOT_FOUND);
      if (ended(entry.task)) return entry.task;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
