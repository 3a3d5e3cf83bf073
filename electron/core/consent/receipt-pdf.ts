// A receipt's PDF (G12): Traditional Chinese first, then English, in one A4 document with the subset Noto Sans TC font.
import type { Receipt } from '../../contract/consent.ts';
import { formatDate } from '../../common/time.ts';
import { PdfComposer } from '../pdf/document.ts';

type Lang = 'zh-TW' | 'en';

const T = {
  'zh-TW': {
    heading: { consent: 'MyData 同意收據', refuse: 'MyData 拒絕收據' },
    receiptId: '收據編號',
    time: '時間',
    decision: '決定',
    decisions: { consent: '同意提供', refuse: '拒絕提供' },
    jurisdiction: '適用法域',
    method: '取得方式',
    methods: { 'app-self-download': 'MyData Desktop 同意畫面（自行下載）', 'app-service-provider-request': 'MyData Desktop 同意畫面（服務提供者請求）' },
    platform: '平臺',
    service: '服務',
    controllers: '資料控制者',
    roles: { 'service-provider': '服務提供者', 'data-provider': '資料提供者' },
    authority: '核准機關',
    recipient: '資料接收者',
    self: '本人（自行下載）',
    retention: '保存期限',
    purpose: '目的',
    categories: '資料類別與欄位',
    consented: '同意提供',
    declined: '未提供',
    required: '必要',
    optional: '選擇性',
    noPurpose: '未說明目的',
    none: '（無）',
    level: '所需驗證等級',
    terms: '服務條款版本',
    termsSha: '條款 SHA-256',
    subject: '當事人',
    company: '企業統一編號',
    natural: '自然人',
    legal: '法人（企業代表人）',
    verification: '身分驗證',
    tx: '交易序號 tx_id',
    request: '請求 request_uri',
    head: '分享紀錄驗證鏈末端（當時）',
    count: '紀錄筆數',
    note: '本收據記載您在上述時間所做的決定。驗證鏈末端雜湊可與匯出的分享紀錄比對，證明收據產生時紀錄的狀態。',
    footer: 'MyData Desktop 同意收據',
    sep: '、',
  },
  en: {
    heading: { consent: 'MyData consent receipt', refuse: 'MyData refusal receipt' },
    receiptId: 'Receipt id',
    time: 'Time',
    decision: 'Decision',
    decisions: { consent: 'Consented', refuse: 'Refused' },
    jurisdiction: 'Jurisdiction',
    method: 'Collection method',
    methods: { 'app-self-download': 'MyData Desktop consent screen (self-download)', 'app-service-provider-request': 'MyData Desktop consent screen (service-provider request)' },
    platform: 'Platform',
    service: 'Service',
    controllers: 'Controllers',
    roles: { 'service-provider': 'service provider', 'data-provider': 'data provider' },
    authority: 'approved by',
    recipient: 'Recipient',
    self: 'Myself (self-download)',
    retention: 'Retention',
    purpose: 'Purpose',
    categories: 'Data categories and fields',
    consented: 'Given',
    declined: 'Not given',
    required: 'required',
    optional: 'optional',
    noPurpose: 'no purpose stated',
    none: '(none)',
    level: 'Verification level required',
    terms: 'Terms version',
    termsSha: 'Terms SHA-256',
    subject: 'Subject',
    company: 'Company (統一編號)',
    natural: 'individual',
    legal: 'company representative',
    verification: 'Identity verification',
    tx: 'Transaction tx_id',
    request: 'Request request_uri',
    head: 'History chain head (at that moment)',
    count: 'Records',
    note: 'This receipt records the decision you made at the time above. The chain head can be compared with an exported history to show the state of the history when the receipt was made.',
    footer: 'MyData Desktop consent receipt',
    sep: ', ',
  },
} as const;

function pick(lang: Lang, text: { zh: string; en: string }): string {
  return lang === 'zh-TW' ? text.zh : text.en;
}

function section(doc: PdfComposer, r: Receipt, lang: Lang): void {
  const t = T[lang];
  doc.heading(t.heading[r.decision], 17);
  const recipient = r.recipient.kind === 'self' ? t.self : `${pick(lang, r.recipient.name)}${r.recipient.origin ? ` (${r.recipient.origin})` : ''}`;
  const rows: [string, string][] = [
    [t.receiptId, r.receipt_id],
    [t.time, formatDate(r.timestamp, { language: lang, calendar: 'gregorian', withTime: true })],
    [t.decision, t.decisions[r.decision]],
    [t.jurisdiction, r.jurisdiction],
    [t.method, t.methods[r.collection_method]],
    [t.platform, `${pick(lang, r.platform.name)} (${r.platform.origin})`],
    [t.service, `${pick(lang, r.service.name)} [${r.service.id}, ${r.service.status}]`],
    [t.controllers, r.controllers.map((c) => `${pick(lang, c.name)} — ${t.roles[c.role]}, ${t.authority} ${pick(lang, c.approving_authority)}`).join('\n')],
    [t.recipient, recipient],
  ];
  if (r.recipient.kind === 'service-provider') rows.push([t.retention, r.recipient.retention ? pick(lang, r.recipient.retention) : t.none]);
  rows.push([t.purpose, pick(lang, r.purpose)]);
  doc.fields(rows, 0.28);

  doc.heading(t.categories, 12);
  const fieldText = (f: Receipt['data_categories'][number]['consented'][number]) =>
    `${pick(lang, f.label)} (${f.required ? t.required : t.optional}) — ${f.purpose ? pick(lang, f.purpose) : `※ ${t.noPurpose}`}`;
  for (const c of r.data_categories) {
    doc.text(`${pick(lang, c.dataset.name)} — ${pick(lang, c.provider.name)} (${t.level} ${c.level_required})`, { size: 10.5 });
    doc.fields([
      [t.consented, c.consented.length ? c.consented.map(fieldText).join('\n') : t.none],
      [t.declined, c.declined.length ? c.declined.map(fieldText).join('\n') : t.none],
    ], 0.2, 9);
  }

  doc.fields([
    [t.terms, r.terms.version],
    [t.termsSha, r.terms.sha256],
    [t.subject, `${r.subject.masked_id} (${t[r.subject.type]})`],
    ...(r.subject.company_masked_id ? [[t.company, r.subject.company_masked_id] as [string, string]] : []),
    [t.verification, `${pick(lang, r.verification.name)} (${r.verification.level}) — ${pick(lang, r.verification.provider)}`],
    [t.tx, r.tx_id],
    ...(r.request_uri ? [[t.request, r.request_uri] as [string, string]] : []),
    [t.head, r.history.chain_head],
    [t.count, String(r.history.count)],
  ], 0.28);
  doc.text(t.note, { size: 8.5, color: 'grey' });
}

export async function buildReceiptPdf(receipt: Receipt, options: { fontPath?: string } = {}): Promise<Uint8Array> {
  const doc = await PdfComposer.create({
    title: `${T['zh-TW'].heading[receipt.decision]} ${T.en.heading[receipt.decision]} ${receipt.receipt_id}`,
    language: 'zh-TW',
    fontPath: options.fontPath,
    createdAt: new Date(receipt.timestamp),
    footer: `${T['zh-TW'].footer} · ${T.en.footer} · ${receipt.receipt_id}`,
  });
  section(doc, receipt, 'zh-TW');
  doc.newPage();
  section(doc, receipt, 'en');
  return doc.save();
}
