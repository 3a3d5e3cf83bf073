// IPC for the history screen (G12, G14, G15): records, filters, chart counts, integrity, exports, PDPA letters, retention.
import { dirname, join } from 'node:path';
import type { SavedFile } from '../../contract/history-channels.ts';
import {
  MIN_RETENTION_YEARS,
  buildHistoryReportPdf,
  buildPdpaLetterPdf,
  transmissionsFor,
  type HistoryLog,
} from '../../core/history/index.ts';
import { nodeVaultFs, writeFileAtomic } from '../../core/vault/fsio.ts';
import { checkReceipts } from '../../core/history/receipt-check.ts';
import { compactDate, describeFilter, historyFacets, historyState, historyStats, organisationName, unknownOrganisation } from '../../core/history/overview.ts';
import { exportCsvFile } from '../../core/history/export-file.ts';
import { profileReceipts } from '../../core/consent/receipt-store.ts';
import type { FeatureContext } from './context.ts';

/** What main's save dialog is asked for; `filters` name the file kinds the dialog offers. */
export interface SaveRequest {
  defaultName: string;
  filters: { name: string; extensions: string[] }[];
}

/** Asks the person where to save a file: a path, or null when they cancel (main: Electron's save dialog). */
export type ChooseSavePath = (request: SaveRequest) => Promise<string | null>;

export interface HistoryFeatureOptions {
  /** Without one (the test bridge), files are written under the profile's `exports/` folder. */
  chooseSavePath?: ChooseSavePath;
}

export function registerHistory(ctx: FeatureContext, options: HistoryFeatureOptions = {}): void {
  const { dispatcher } = ctx;
  const chooseSavePath: ChooseSavePath =
    options.chooseSavePath ?? ((request) => Promise.resolve(join(ctx.profileDir, 'exports', request.defaultName)));
  let pruneChecked = false;

  async function history(): Promise<HistoryLog> {
    const { history: log } = await ctx.stores.get();
    // Retention runs once per app run, when the history is first looked at (nothing younger than the period goes, G14).
    if (!pruneChecked && log.broken === null) {
      pruneChecked = true;
      const years = ctx.settings.get().historyRetentionYears;
      if (years !== log.getRetentionYears()) log.setRetentionYears(Math.max(MIN_RETENTION_YEARS, years));
      await log.prune();
    }
    return log;
  }

  async function save(request: SaveRequest, bytes: Uint8Array | string, chainHead: string): Promise<SavedFile> {
    const path = await chooseSavePath(request);
    if (path === null) return { canceled: true, path: null, bytes: 0, chainHead };
    const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
    await nodeVaultFs.mkdir(dirname(path));
    await writeFileAtomic(nodeVaultFs, path, data);
    return { canceled: false, path, bytes: data.length, chainHead };
  }

  dispatcher.handle('history:state', async () => historyState(await history()));
  dispatcher.handle('history:query', async (q) => (await history()).query(q));
  dispatcher.handle('history:recipients', async () => (await history()).recipients());
  dispatcher.handle('history:stats', async (filter) => historyStats((await history()).query({ ...filter, order: 'oldest', limit: 100_000 }).records));
  dispatcher.handle('history:verify', async () => (await history()).verify());
  dispatcher.handle('history:acknowledge', async ({ id }) => (await history()).acknowledge(id));
  dispatcher.handle('history:check-receipts', async () => {
    const log = await history();
    const { vault } = await ctx.stores.get();
    return checkReceipts(log.position(), profileReceipts(ctx.profileDir, vault));
  });

  // One CSV export at a time; history:export-cancel stops it.
  let exporting: AbortController | null = null;
  dispatcher.handle('history:export-csv', async () => {
    const log = await history();
    const now = ctx.clock.now();
    const head = log.head();
    const path = await chooseSavePath({ defaultName: `mydata-history-${compactDate(now)}.csv`, filters: [{ name: 'CSV', extensions: ['csv'] }] });
    if (path === null) return { canceled: true, path: null, bytes: 0, chainHead: head };
    exporting?.abort();
    const controller = new AbortController();
    exporting = controller;
    const taskId = `history-export-${String(now.getTime())}`;
    try {
      // Built on a worker from the log file, streamed to a temporary file and renamed into place (export-file.ts).
      const done = await exportCsvFile(log, path, {
        exportedAt: now,
        signal: controller.signal,
        onProgress: (count, total) => ctx.emit('progress', { taskId, phase: 'history-export', done: count, total, unit: 'items' }),
      });
      return { canceled: false, path, bytes: done.bytes, chainHead: done.head };
    } finally {
      if (exporting === controller) exporting = null;
    }
  });
  dispatcher.handle('history:export-cancel', () => {
    exporting?.abort();
    return Promise.resolve({});
  });

  dispatcher.handle('history:export-pdf', async ({ language, filter }) => {
    const log = await history();
    const now = ctx.clock.now();
    const calendar = ctx.settings.get().calendar;
    const records = log.query({ ...filter, order: 'oldest', limit: 100_000 }).records;
    const description = describeFilter(filter, historyFacets(log.rows()), language, calendar);
    const pdf = await buildHistoryReportPdf(log, {
      language,
      calendar,
      // No description means no filter: the report then lists every record (ReportOptions.records absent).
      ...(description !== undefined ? { records, filterDescription: description } : {}),
      recipients: log.recipients(),
      generatedAt: now,
    });
    const suffix = language === 'zh-TW' ? 'zh' : 'en';
    return save({ defaultName: `mydata-history-report-${compactDate(now)}-${suffix}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] }, pdf, log.head());
  });

  dispatcher.handle('history:pdpa-letter', async (request) => {
    const log = await history();
    const all = log.records();
    const id = request.organisationId;
    let name = organisationName(all, id);
    if (!name) {
      const org = await (ctx.catalogue ?? { get: () => Promise.reject(new Error('no platform directory in this profile')) })
        .get()
        .then((d) => d.organizations.find((o) => o.id === id))
        .catch(() => undefined);
      if (!org) throw unknownOrganisation(id);
      name = { zh: org.name_zh, en: org.name_en };
    }
    const transmissions = transmissionsFor(all, id);
    const now = ctx.clock.now();
    const pdf = await buildPdpaLetterPdf({
      language: request.language,
      calendar: ctx.settings.get().calendar,
      addressee: { id, name },
      rights: request.rights,
      transmissions,
      ...(request.requester !== undefined ? { requester: request.requester } : {}),
      ...(request.correction !== undefined && request.correction.trim() !== '' ? { correction: request.correction } : {}),
      ...(request.reason !== undefined && request.reason.trim() !== '' ? { reason: request.reason } : {}),
      date: now,
      chainHead: log.head(),
    });
    const safeId = id.replace(/[^A-Za-z0-9_-]/g, '_');
    const saved = await save(
      { defaultName: `pdpa-request-${safeId}-${compactDate(now)}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] },
      pdf,
      log.head(),
    );
    return { ...saved, transmissions: transmissions.length };
  });

  dispatcher.handle('history:set-retention', async ({ years }) => {
    const log = await history();
    log.setRetentionYears(years);
    ctx.settings.update({ historyRetentionYears: years });
    const { pruned } = log.broken === null ? await log.prune() : { pruned: 0 };
    return { retentionYears: log.getRetentionYears(), pruned };
  });

  dispatcher.handle('history:delete-all', async ({ confirm }) => {
    const log = await history();
    await log.deleteAll({ confirm });
    return log.integrity();
  });

  dispatcher.handle('history:keep-valid', async ({ confirm }) => {
    const log = await history();
    const { evidence, dropped } = await log.keepValidPrefix({ confirm });
    return { evidence, dropped, integrity: log.integrity() };
  });
}
