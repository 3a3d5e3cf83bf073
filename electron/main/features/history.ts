// IPC for the history screen (G12, G14, G15): records, filters, chart counts, integrity, exports, PDPA letters, retention.
import { dirname, join } from 'node:path';
import { AppFailure } from '../../contract/errors.ts';
import type { HistoryFilter, HistoryState, HistoryStats, ReceiptCheck, SavedFile } from '../../contract/history-channels.ts';
import type { HistoryRecord, LocalizedName } from '../../contract/history.ts';
import type { Language } from '../../contract/settings.ts';
import {
  MIN_RETENTION_YEARS,
  buildHistoryReportPdf,
  buildPdpaLetterPdf,
  recipientKey,
  transmissionsFor,
  type HistoryLog,
} from '../../core/history/index.ts';
import { nodeVaultFs, writeFileAtomic } from '../../core/vault/fsio.ts';
import { checkReceiptHead } from '../../core/history/receipt-check.ts';
import { exportCsvFile } from '../../core/history/export-file.ts';
import { profileReceipts } from '../../core/consent/receipt-store.ts';
import type { FeatureContext } from './context.ts';
import { formatDate, taipeiDay, taipeiMonth } from '../../common/time.ts';

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

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${String(y + 1)}-01` : `${String(y)}-${String(m + 1).padStart(2, '0')}`;
}

function transmitted(r: HistoryRecord): boolean {
  return r.result === 'success' || r.result === 'partial';
}

/** Counts for the chart: every month from the first to the last matching record (gaps as zero), and per recipient. */
export function historyStats(records: readonly HistoryRecord[]): HistoryStats {
  const months = new Map<string, number>();
  const recipients = new Map<string, { id: string; name: LocalizedName | null; count: number }>();
  let first: string | null = null;
  let last: string | null = null;
  let sent = 0;
  for (const r of records) {
    if (!transmitted(r)) continue;
    sent++;
    const m = taipeiMonth(r.time);
    months.set(m, (months.get(m) ?? 0) + 1);
    if (first === null || m < first) first = m;
    if (last === null || m > last) last = m;
    const key = recipientKey(r.recipient);
    const entry = recipients.get(key) ?? { id: key, name: r.recipient.kind === 'self' ? null : r.recipient.name, count: 0 };
    entry.count++;
    recipients.set(key, entry);
  }
  const series: { month: string; count: number }[] = [];
  if (first !== null && last !== null) {
    for (let m = first; m <= last; m = nextMonth(m)) series.push({ month: m, count: months.get(m) ?? 0 });
  }
  return {
    months: series,
    recipients: [...recipients.values()].sort((a, b) => b.count - a.count || a.id.localeCompare(b.id)),
    total: records.length,
    transmitted: sent,
  };
}

/** The values each filter offers, from the records themselves (sorted by id for a stable order). */
export function historyFacets(records: readonly HistoryRecord[]): HistoryState['facets'] {
  const recipients = new Map<string, LocalizedName>();
  const providers = new Map<string, LocalizedName>();
  const datasets = new Map<string, LocalizedName>();
  for (const r of records) {
    const key = recipientKey(r.recipient);
    if (!recipients.has(key)) recipients.set(key, r.recipient.kind === 'self' ? { zh: '本人', en: 'Myself' } : r.recipient.name);
    if (!providers.has(r.provider.id)) providers.set(r.provider.id, r.provider.name);
    if (!datasets.has(r.dataset.id)) datasets.set(r.dataset.id, r.dataset.name);
  }
  const list = (m: Map<string, LocalizedName>) =>
    [...m.entries()].map(([id, name]) => ({ id, name })).sort((a, b) => (a.id === 'self' ? -1 : b.id === 'self' ? 1 : a.id.localeCompare(b.id)));
  return { recipients: list(recipients), providers: list(providers), datasets: list(datasets) };
}

const RESULT_NAMES: Record<HistoryRecord['result'], LocalizedName> = {
  success: { zh: '成功', en: 'success' },
  failure: { zh: '失敗', en: 'failure' },
  refused: { zh: '拒絕', en: 'refused' },
  partial: { zh: '部分成功', en: 'partial' },
};

/** The filter in words, in the report's language ("收件者：甲銀行；結果：成功"); undefined when nothing is filtered. */
export function describeFilter(filter: HistoryFilter, facets: HistoryState['facets'], language: Language, calendar: 'gregorian' | 'roc'): string | undefined {
  const zh = language === 'zh-TW';
  const name = (list: { id: string; name: LocalizedName }[], id: string) => {
    const n = list.find((x) => x.id === id)?.name;
    return n ? (zh ? n.zh : n.en) : id;
  };
  const parts: string[] = [];
  const fmt = { language, calendar } as const;
  if (filter.from !== undefined) parts.push(`${zh ? '起' : 'from'}${zh ? '：' : ' '}${formatDate(filter.from, fmt)}`);
  // `until` is exclusive: the last day shown is the day before it.
  if (filter.until !== undefined) parts.push(`${zh ? '迄' : 'until'}${zh ? '：' : ' '}${formatDate(new Date(Date.parse(filter.until) - 1), fmt)}`);
  if (filter.recipient !== undefined) parts.push(`${zh ? '收件者：' : 'recipient: '}${name(facets.recipients, filter.recipient)}`);
  if (filter.provider !== undefined) parts.push(`${zh ? '資料提供者：' : 'data provider: '}${name(facets.providers, filter.provider)}`);
  if (filter.dataset !== undefined) parts.push(`${zh ? '資料集：' : 'dataset: '}${name(facets.datasets, filter.dataset)}`);
  if (filter.result !== undefined) parts.push(`${zh ? '結果：' : 'result: '}${zh ? RESULT_NAMES[filter.result].zh : RESULT_NAMES[filter.result].en}`);
  if (filter.subject_type !== undefined) {
    const t = filter.subject_type === 'natural' ? (zh ? '自然人' : 'natural person') : zh ? '法人' : 'legal person';
    parts.push(`${zh ? '當事人類型：' : 'subject type: '}${t}`);
  }
  return parts.length === 0 ? undefined : parts.join(zh ? '；' : '; ');
}

function compactDate(d: Date): string {
  return taipeiDay(d).replaceAll('-', '');
}

const unknownOrganisation = (id: string) =>
  new AppFailure({
    code: 'HISTORY_UNKNOWN_ORGANISATION',
    message_zh: `分享紀錄與平臺目錄中都找不到機構「${id}」，因此無法產生請求書。請從「誰取得了我的資料」清單中選擇機構。`,
    message_en: `The organisation "${id}" is neither in the history nor in the platform directory, so no letter was made. Choose an organisation from the "Who has my data" list.`,
    retryable: false,
  });

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

  dispatcher.handle('history:state', async () => {
    const log = await history();
    const records = log.records();
    let oldest: string | null = null;
    let newest: string | null = null;
    for (const r of records) {
      if (oldest === null || Date.parse(r.time) < Date.parse(oldest)) oldest = r.time;
      if (newest === null || Date.parse(r.time) > Date.parse(newest)) newest = r.time;
    }
    return {
      integrity: log.integrity(),
      retentionYears: log.getRetentionYears(),
      minRetentionYears: MIN_RETENTION_YEARS,
      oldest,
      newest,
      facets: historyFacets(records),
    };
  });
  dispatcher.handle('history:query', async (q) => (await history()).query(q));
  dispatcher.handle('history:recipients', async () => (await history()).recipients());
  dispatcher.handle('history:stats', async (filter) => historyStats((await history()).query({ ...filter, order: 'oldest', limit: 100_000 }).records));
  dispatcher.handle('history:verify', async () => (await history()).verify());
  dispatcher.handle('history:acknowledge', async ({ id }) => (await history()).acknowledge(id));
  dispatcher.handle('history:check-receipts', async () => {
    const log = await history();
    const { vault } = await ctx.stores.get();
    const store = profileReceipts(ctx.profileDir, vault);
    const chain = log.position();
    const result: ReceiptCheck = { checked: 0, pruned: 0, flagged: [] };
    for (const id of await store.ids()) {
      let receipt;
      try {
        receipt = await store.get(id);
      } catch {
        continue; // a damaged receipt is named when it is opened (Receipts screen), not here
      }
      result.checked++;
      const status = checkReceiptHead(chain, receipt.history);
      if (status === 'pruned') result.pruned++;
      if (status === 'not-in-log' || status === 'beyond-log') {
        result.flagged.push({ receipt_id: id, timestamp: receipt.timestamp, service: receipt.service.name, status, ...receipt.history });
      }
    }
    result.flagged.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
    return result;
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
    const description = describeFilter(filter, historyFacets(log.records()), language, calendar);
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
    let name: LocalizedName | null = null;
    for (const r of all) {
      if (r.recipient.kind === 'service-provider' && r.recipient.id === id) name = r.recipient.name;
      else if (r.provider.id === id) name = r.provider.name;
      if (name) break;
    }
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
