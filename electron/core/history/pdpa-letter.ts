// A PDPA request letter (G12): the person asks an organisation to let them view, copy, correct, stop or delete
// their data (Personal Data Protection Act Art. 3, 10, 11), citing the transmissions in the history and the
// answer deadlines of Art. 13. The person's name and address are filled in for this letter only, never stored.
import type { CalendarPreference, Language } from '../../contract/settings.ts';
import type { HistoryRecord, LocalizedName, PdpaRight } from '../../contract/history.ts';
import { PdfComposer } from '../pdf/document.ts';
import { addDays, formatDate } from '../../common/time.ts';

export interface PdpaLetterOptions {
  language: Language;
  calendar: CalendarPreference;
  /** The organisation the letter goes to: a service provider that received data, or a data provider. */
  addressee: { id: string; name: LocalizedName };
  /** Which Art. 3 rights to exercise (at least one), in any order; printed in the Act's order. */
  rights: readonly PdpaRight[];
  /** The transmissions to cite (see transmissionsFor). */
  transmissions: readonly HistoryRecord[];
  /** Filled in by the person for this letter; blank lines are printed for anything left out. */
  requester?: { name?: string; address?: string; contact?: string };
  /** What to correct or add (for 'correct'), and why to stop or delete, in the person's words. */
  correction?: string;
  reason?: string;
  date?: Date;
  chainHead?: string;
  timeZone?: string;
  fontPath?: string;
}

const ORDER: readonly PdpaRight[] = ['view', 'copy', 'correct', 'stop', 'delete'];
/** Art. 13: 15 days for Art. 10 requests (view, copy), 30 days for Art. 11 requests (correct, stop, delete). */
export const ANSWER_DAYS: Record<PdpaRight, 15 | 30> = { view: 15, copy: 15, correct: 30, stop: 30, delete: 30 };

/** Transmissions of data to or from an organisation that actually happened (success or partial), oldest first. */
export function transmissionsFor(records: readonly HistoryRecord[], orgId: string): HistoryRecord[] {
  return records.filter(
    (r) =>
      (r.result === 'success' || r.result === 'partial') &&
      (r.kind === 'delivery' || r.kind === 'self-download') &&
      ((r.recipient.kind === 'service-provider' && r.recipient.id === orgId) || r.provider.id === orgId),
  );
}

const BLANK = '＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿';

const ZH = {
  title: '個人資料當事人權利行使請求書',
  subtitle: '（依個人資料保護法第3條）',
  to: '受文者',
  from: '請求人',
  address: '地址',
  contact: '聯絡方式',
  date: '日期',
  subject: (org: string, rights: string) =>
    `主旨：本人依個人資料保護法（下稱個資法）第3條，請求${org}就本人經由「個人化資料自主運用（MyData）平臺」傳輸之個人資料，${rights}。`,
  rightsJoin: '、',
  right: {
    view: '查詢或請求閱覽',
    copy: '請求製給複製本',
    correct: '請求補充或更正',
    stop: '請求停止蒐集、處理或利用',
    delete: '請求刪除',
  },
  basis: {
    view: '個資法第3條第1款、第10條',
    copy: '個資法第3條第2款、第10條',
    correct: '個資法第3條第3款、第11條',
    stop: '個資法第3條第4款、第11條',
    delete: '個資法第3條第5款、第11條',
  },
  detail: {
    view: '請告知貴單位保有本人下列個人資料之內容，並提供本人閱覽。',
    copy: '請提供貴單位保有本人下列個人資料之複製本。',
    correct: '本人之個人資料有應補充或更正之處，內容如下：',
    stop: '請停止蒐集、處理及利用本人下列個人資料。理由：',
    delete: '請刪除貴單位保有本人下列個人資料，並告知刪除結果。理由：',
  },
  explain: '說明：',
  s1: (n: number) => `依本人之分享紀錄，下列 ${n} 筆傳輸涉及貴單位（詳如附表）。`,
  s2: '請求事項：',
  s3: '答覆期限（個資法第13條）：',
  deadline15: (d: string) =>
    `查詢、閱覽或製給複製本之請求，應於受理之日起15日內為准駁之決定；必要時得延長，延長期間不得逾15日，並應將原因以書面通知本人。以本請求書日期起算，約為 ${d} 前。`,
  deadline30: (d: string) =>
    `補充、更正、停止蒐集處理利用或刪除之請求，應於受理之日起30日內為准駁之決定；必要時得延長，延長期間不得逾30日，並應將原因以書面通知本人。以本請求書日期起算，約為 ${d} 前。`,
  s4: '如貴單位依個資法第14條就查詢、閱覽或製給複製本酌收必要成本費用，請先告知金額。',
  s5: '請以書面或電子郵件回覆至上列聯絡方式。',
  table: '附表：分享紀錄中的傳輸',
  cols: ['日期', '資料集', '資料提供者', '收件者', '交易序號 tx_id'],
  self: '本人',
  closing: '此致',
  sign: '請求人（簽名或蓋章）：',
  note: (head: string) => `本請求書由 MyData Desktop 依本人之分享紀錄產生。分享紀錄驗證鏈末端雜湊：${head}`,
  none: '本人之分享紀錄中沒有與貴單位有關的傳輸。',
  page: (n: number, t: number) => `第 ${n} 頁，共 ${t} 頁`,
};

const EN: typeof ZH = {
  title: 'Request to exercise data subject rights',
  subtitle: '(Personal Data Protection Act of Taiwan, Article 3)',
  to: 'To',
  from: 'From',
  address: 'Address',
  contact: 'Contact',
  date: 'Date',
  subject: (org: string, rights: string) =>
    `Subject: Under Article 3 of the Personal Data Protection Act (the Act), I ask ${org}, regarding my personal data transmitted through the MyData platform (個人化資料自主運用平臺), ${rights}.`,
  rightsJoin: '; ',
  right: {
    view: 'to let me know what data you hold and to view it',
    copy: 'to give me a copy of it',
    correct: 'to complete or correct it',
    stop: 'to stop collecting, processing and using it',
    delete: 'to delete it',
  },
  basis: {
    view: 'the Act, Art. 3(1) and Art. 10',
    copy: 'the Act, Art. 3(2) and Art. 10',
    correct: 'the Act, Art. 3(3) and Art. 11',
    stop: 'the Act, Art. 3(4) and Art. 11',
    delete: 'the Act, Art. 3(5) and Art. 11',
  },
  detail: {
    view: 'Please tell me what personal data of mine listed below you hold, and let me view it.',
    copy: 'Please give me a copy of the personal data of mine listed below that you hold.',
    correct: 'My personal data needs to be completed or corrected as follows:',
    stop: 'Please stop collecting, processing and using the personal data of mine listed below. Reason:',
    delete: 'Please delete the personal data of mine listed below that you hold, and tell me when it is done. Reason:',
  },
  explain: 'Details:',
  s1: (n: number) => `According to my sharing history, the ${n} transmission(s) in the table below concern your organisation.`,
  s2: 'What I ask:',
  s3: 'Deadlines for your answer (the Act, Art. 13):',
  deadline15: (d: string) =>
    `Requests to view or copy must be decided within 15 days of receipt; if necessary this may be extended once by up to 15 days, with the reason given to me in writing. Counted from the date of this letter, that is around ${d}.`,
  deadline30: (d: string) =>
    `Requests to complete, correct, stop collecting, processing or using, or delete must be decided within 30 days of receipt; if necessary this may be extended once by up to 30 days, with the reason given to me in writing. Counted from the date of this letter, that is around ${d}.`,
  s4: 'If you charge the necessary costs for viewing or copying under Art. 14 of the Act, please tell me the amount first.',
  s5: 'Please answer in writing or by email to the contact above.',
  table: 'Table: transmissions in my sharing history',
  cols: ['Date', 'Dataset', 'Data provider', 'Recipient', 'Transaction tx_id'],
  self: 'myself',
  closing: 'Yours faithfully,',
  sign: 'Signature: ',
  note: (head: string) => `Prepared by MyData Desktop from my sharing history. Chain head of the history: ${head}`,
  none: 'My sharing history shows no transmission involving your organisation.',
  page: (n: number, t: number) => `Page ${n} of ${t}`,
};

/** Builds the letter PDF (bytes). */
export async function buildPdpaLetterPdf(options: PdpaLetterOptions): Promise<Uint8Array> {
  const zh = options.language === 'zh-TW';
  const t = zh ? ZH : EN;
  const rights = ORDER.filter((r) => options.rights.includes(r));
  if (rights.length === 0) throw new TypeError('buildPdpaLetterPdf: choose at least one right');
  const date = options.date ?? new Date();
  const fmt = { language: options.language, calendar: options.calendar, timeZone: options.timeZone };
  const org = zh ? options.addressee.name.zh : options.addressee.name.en;
  const doc = await PdfComposer.create({ title: t.title, language: options.language, fontPath: options.fontPath, createdAt: date, pageLabel: t.page });

  doc.heading(t.title, 17);
  doc.text(t.subtitle, { size: 10, color: 'grey', gapAfter: 10 });
  doc.fields(
    [
      [t.to, zh ? `${org}（${options.addressee.id}）` : `${org} (${options.addressee.id})`],
      [t.from, options.requester?.name ?? BLANK],
      [t.address, options.requester?.address ?? BLANK],
      [t.contact, options.requester?.contact ?? BLANK],
      [t.date, formatDate(date, fmt)],
    ],
    0.18,
    10.5,
  );
  doc.text(t.subject(zh ? `貴單位（${org}）` : org, rights.map((r) => t.right[r]).join(t.rightsJoin)), { size: 11, gapAfter: 8 });
  doc.text(t.explain, { size: 11 });
  let section = 0;
  const numbered = (text: string, gapAfter?: number) => {
    const n = zh ? `${'一二三四五六'[section] ?? ''}、` : `${section + 1}. `;
    section++;
    doc.text(n + text, gapAfter === undefined ? { indent: 10 } : { indent: 10, gapAfter });
  };
  numbered(options.transmissions.length > 0 ? t.s1(options.transmissions.length) : t.none);
  numbered(t.s2);
  rights.forEach((r, i) => {
    const n = zh ? `（${'一二三四五'[i] ?? ''}）` : `(${String.fromCharCode(97 + i)}) `;
    let line = zh ? `${n}${t.right[r]}（${t.basis[r]}）：${t.detail[r]}` : `${n}[${t.basis[r]}] ${t.detail[r]}`;
    if (r === 'correct') line += ` ${options.correction ?? BLANK}`;
    if (r === 'stop' || r === 'delete') line += ` ${options.reason ?? BLANK}`;
    doc.text(line, { indent: 22 });
  });
  numbered(t.s3);
  if (rights.some((r) => ANSWER_DAYS[r] === 15)) doc.text(t.deadline15(formatDate(addDays(date, 15), fmt)), { indent: 22 });
  if (rights.some((r) => ANSWER_DAYS[r] === 30)) doc.text(t.deadline30(formatDate(addDays(date, 30), fmt)), { indent: 22 });
  if (rights.includes('view') || rights.includes('copy')) numbered(t.s4);
  numbered(t.s5, 12);
  doc.text(t.closing, zh ? {} : { gapAfter: 16 });
  // 此致 is followed by the addressee on its own line; an English letter ends with the signature.
  if (zh) doc.text(org, { gapAfter: 16 });
  doc.text(`${t.sign}${BLANK}`, { gapAfter: 14 });

  if (options.transmissions.length > 0) {
    doc.heading(t.table, 12);
    doc.table(
      t.cols.map((header, i) => ({ header, weight: [2.2, 3.2, 3.2, 2.4, 2.4][i] ?? 1 })),
      options.transmissions.map((r) => [
        formatDate(r.time, { ...fmt, withTime: true }),
        zh ? r.dataset.name.zh : r.dataset.name.en,
        zh ? r.provider.name.zh : r.provider.name.en,
        r.recipient.kind === 'self' ? t.self : zh ? r.recipient.name.zh : r.recipient.name.en,
        r.tx_id,
      ]),
      8.5,
    );
  }
  if (options.chainHead) doc.text(t.note(options.chainHead), { size: 8, color: 'grey' });
  return doc.save();
}
