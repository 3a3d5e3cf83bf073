// The history's PDF report (zh-TW or English): who has my data, the records, and the chain head to check it by.
import type { CalendarPreference, Language } from '../../contract/settings.ts';
import type { HistoryRecord, HistoryRecipient, RecipientSummary } from '../../contract/history.ts';
import { PdfComposer } from '../pdf/document.ts';
import { formatDate } from '../../common/time.ts';
import type { ExportSource } from './export.ts';

export interface ReportOptions {
  language: Language;
  calendar: CalendarPreference;
  /** Records to list (a filtered query's result, oldest first); all records when absent. */
  records?: readonly HistoryRecord[];
  /** How the records were chosen, in the report's language (e.g. "收件者：甲商業銀行"). */
  filterDescription?: string;
  recipients: readonly RecipientSummary[];
  generatedAt?: Date;
  timeZone?: string;
  fontPath?: string;
  /** Rows listed at most (the CSV export always holds every record). */
  maxRows?: number;
}

const T = {
  'zh-TW': {
    title: 'MyData 分享紀錄報告',
    generated: '產生時間',
    head: '驗證鏈末端雜湊（SHA-256）',
    total: '紀錄總數',
    pruned: '已依保存期限刪除',
    listed: '本報告列出',
    filter: '篩選條件',
    all: '全部紀錄',
    verifyNote:
      '驗證方式：從 MyData Desktop 匯出 CSV，執行 npm run history:verify -- <檔案>，並比對上列末端雜湊。雜湊相同，表示紀錄自產生以來未被更動、刪除、插入或重排。',
    who: '誰取得了我的資料',
    recipient: '收件者',
    count: '傳輸次數',
    last: '最近一次',
    datasets: '資料集',
    records: '傳輸紀錄',
    time: '時間',
    dataset: '資料集（資料提供者）',
    subject: '當事人',
    result: '結果（代碼）',
    tx: '交易序號 tx_id',
    self: '本人（自行下載）',
    natural: '自然人',
    legal: '法人',
    truncated: (n: number, total: number) => `僅列出前 ${n} 筆，共 ${total} 筆；完整紀錄請見 CSV 匯出檔。`,
    results: { success: '成功', failure: '失敗', refused: '拒絕', partial: '部分成功' },
    footer: 'MyData Desktop 分享紀錄',
    page: (n: number, t: number) => `第 ${n} 頁，共 ${t} 頁`,
    none: '（無）',
  },
  en: {
    title: 'MyData sharing history report',
    generated: 'Generated',
    head: 'Chain head (SHA-256)',
    total: 'Records in the history',
    pruned: 'Removed under the retention period',
    listed: 'Listed in this report',
    filter: 'Filter',
    all: 'all records',
    verifyNote:
      'To check: export the CSV from MyData Desktop, run npm run history:verify -- <file>, and compare the chain head above. The same head means no record has been changed, removed, inserted or reordered since.',
    who: 'Who has my data',
    recipient: 'Recipient',
    count: 'Transmissions',
    last: 'Last',
    datasets: 'Datasets',
    records: 'Transmissions',
    time: 'Time',
    dataset: 'Dataset (data provider)',
    subject: 'Subject',
    result: 'Result (code)',
    tx: 'Transaction tx_id',
    self: 'Myself (self-download)',
    natural: 'person',
    legal: 'company',
    truncated: (n: number, total: number) => `Only the first ${n} of ${total} records are listed; the CSV export holds them all.`,
    results: { success: 'success', failure: 'failure', refused: 'refused', partial: 'partial' },
    footer: 'MyData Desktop sharing history',
    page: (n: number, t: number) => `Page ${n} of ${t}`,
    none: '(none)',
  },
} as const;

export function recipientName(r: HistoryRecipient, language: Language): string {
  if (r.kind === 'self') return T[language].self;
  return language === 'zh-TW' ? r.name.zh : r.name.en;
}

/** Builds the report PDF (bytes). */
export async function buildHistoryReportPdf(source: ExportSource, options: ReportOptions): Promise<Uint8Array> {
  const t = T[options.language];
  const lang = options.language;
  const at = options.generatedAt ?? new Date();
  const fmt = { language: lang, calendar: options.calendar, timeZone: options.timeZone };
  const all = source.records();
  const records = options.records ?? all;
  const max = options.maxRows ?? 5000;
  const doc = await PdfComposer.create({
    title: t.title,
    language: lang,
    fontPath: options.fontPath,
    createdAt: at,
    footer: t.footer,
    pageLabel: t.page,
  });
  doc.heading(t.title, 18);
  doc.fields([
    [t.generated, formatDate(at, { ...fmt, withTime: true })],
    [t.total, String(all.length)],
    [t.pruned, String(source.checkpoint?.pruned_count ?? 0)],
    [t.listed, String(Math.min(records.length, max))],
    [t.filter, options.filterDescription ?? t.all],
    [t.head, source.head()],
  ]);
  doc.text(t.verifyNote, { size: 9, color: 'grey', gapAfter: 10 });

  doc.heading(t.who, 13);
  if (options.recipients.length === 0) doc.text(t.none);
  else {
    doc.table(
      [
        { header: t.recipient, weight: 3 },
        { header: t.count, weight: 1.2 },
        { header: t.last, weight: 2 },
        { header: t.datasets, weight: 5 },
      ],
      options.recipients.map((s) => [
        recipientName(s.recipient, lang),
        String(s.transmissions),
        formatDate(s.last_time, fmt),
        s.datasets.map((d) => `${lang === 'zh-TW' ? d.name.zh : d.name.en} ×${d.count}`).join(lang === 'zh-TW' ? '、' : ', '),
      ]),
      9,
    );
  }

  doc.heading(t.records, 13);
  if (records.length > max) doc.text(t.truncated(max, records.length), { size: 9, color: 'grey' });
  doc.table(
    [
      { header: t.time, weight: 2.2 },
      { header: t.dataset, weight: 4 },
      { header: t.recipient, weight: 2.6 },
      { header: t.subject, weight: 1.8 },
      { header: t.result, weight: 1.6 },
      { header: t.tx, weight: 2.2 },
    ],
    records.slice(0, max).map((r) => [
      `#${r.seq} ${formatDate(r.time, { ...fmt, withTime: true })}`,
      lang === 'zh-TW' ? `${r.dataset.name.zh}（${r.provider.name.zh}）` : `${r.dataset.name.en} (${r.provider.name.en})`,
      recipientName(r.recipient, lang),
      r.subject === null ? '—' : `${r.subject.masked_id} ${t[r.subject.type]}`,
      `${t.results[r.result]} (${r.code})`,
      r.tx_id,
    ]),
    7.5,
  );
  return doc.save();
}
