// What the history screen shows, computed from the records (G12, G14, G15): chart counts by Taipei month and
// recipient, the filters' values, the filter in words for reports, and the names of exported files.
import { AppFailure } from '../../contract/errors.ts';
import type { HistoryFilter, HistoryState, HistoryStats } from '../../contract/history-channels.ts';
import type { HistoryRecord, LocalizedName } from '../../contract/history.ts';
import type { Language } from '../../contract/settings.ts';
import { formatDate, taipeiDay, taipeiMonth } from '../../common/time.ts';
import { recipientKey } from './query.ts';
import { MIN_RETENTION_YEARS, type HistoryLog } from './log.ts';

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${String(y + 1)}-01` : `${String(y)}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * A record that sent data to someone. An import is a file the person already had brought into the app: it stays in
 * the history (and its total) but sent nothing to anyone, so it counts neither in the chart nor in who has the data.
 */
function transmitted(r: HistoryRecord): boolean {
  return r.kind !== 'import' && (r.result === 'success' || r.result === 'partial');
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
export function historyFacets(records: readonly Pick<HistoryRecord, 'recipient' | 'provider' | 'dataset'>[]): HistoryState['facets'] {
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

/** YYYYMMDD in Taipei, for file names. */
export function compactDate(d: Date): string {
  return taipeiDay(d).replaceAll('-', '');
}

export const unknownOrganisation = (id: string) =>
  new AppFailure({
    code: 'HISTORY_UNKNOWN_ORGANISATION',
    message_zh: `分享紀錄與平臺目錄中都找不到機構「${id}」，因此無法產生請求書。請從「誰取得了我的資料」清單中選擇機構。`,
    message_en: `The organisation "${id}" is neither in the history nor in the platform directory, so no letter was made. Choose an organisation from the "Who has my data" list.`,
    retryable: false,
  });

/** The screen's header: integrity, retention, the time span and the filters' values. */
export function historyState(log: HistoryLog): HistoryState {
  // The rows the log holds in memory are enough here: after an open from the seal, full records are read from the
  // file only when shown, and the screen's header must not read all of them.
  const records = log.rows();
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
}

/** An organisation's name as the history first shows it (as recipient or as data provider), or null. */
export function organisationName(records: readonly HistoryRecord[], id: string): LocalizedName | null {
  for (const r of records) {
    if (r.recipient.kind === 'service-provider' && r.recipient.id === id) return r.recipient.name;
    if (r.provider.id === id) return r.provider.name;
  }
  return null;
}
