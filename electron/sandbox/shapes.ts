// The demo's data files in the shapes the real MyData datasets have (JSON keys, CSV headings, ROC dates, Big5 or UTF-8),
// so demo and real imports run the same code. Written from scratch here: the sandbox shares no code with core.
// Shapes: 戶籍, 車籍 and 公司負責人 follow public samples (see resources/datasets/registry.json, `sources.shape`); the
// layouts of 勞保, 健保, 所得 and 駕籍 are this demo's assumption (no public sample was found), marked so in the registry.
import { ROC_YEAR_OFFSET, rocCompact as isoToRocCompact } from '../common/time.ts';

export interface DataFile {
  name: string;
  bytes: Uint8Array;
}

type Data = Record<string, unknown>;

/** Gregorian YYYY-MM-DD to ROC yyyMMdd; '' for anything else. */
export function rocCompact(iso: unknown): string {
  return typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? isoToRocCompact(iso) : '';
}

function csvCell(v: unknown): string {
  const s = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
function csv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/**
 * Big5 through a table built from the platform's own TextDecoder (every two-byte Big5 code decoded once), so the
 * demo can write what the official website's Big5 CSVs look like without a Big5 encoder dependency.
 */
let big5Table: Map<string, number> | null = null;
function encodeBig5(text: string): Uint8Array {
  if (!big5Table) {
    big5Table = new Map();
    const decoder = new TextDecoder('big5');
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (const trail of [...Array.from({ length: 0x3f }, (_, i) => 0x40 + i), ...Array.from({ length: 0x5f }, (_, i) => 0xa1 + i)]) {
        const ch = decoder.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && ch !== '\uFFFD' && !big5Table.has(ch)) big5Table.set(ch, (lead << 8) | trail);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) out.push(code);
    else {
      const two = big5Table.get(ch);
      if (two === undefined) throw new Error(`not in Big5: ${ch}`);
      out.push(two >> 8, two & 0xff);
    }
  }
  return new Uint8Array(out);
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const utf8Bom = (s: string) => utf8(`\uFEFF${s}`);

interface Member {
  name?: string;
  relation?: string;
}

/** 現戶全戶戶籍資料: personHouseholdData21 (one entry per member) and householdBasicData21, ROC dates. */
function household(id: string, d: Data): DataFile {
  const members = (Array.isArray(d.household_members) ? (d.household_members as Member[]) : []).filter((m) => m.name !== d.name);
  const subject: Record<string, string> = { relationship: '' };
  if (typeof d.name === 'string') subject.person_name = d.name;
  if (d.birth_date !== undefined) subject.birth_yyymmdd = rocCompact(d.birth_date);
  if (d.gender !== undefined) subject.birth_order_sex = d.gender === '女' ? '長女' : '長男';
  if (d.registered_since !== undefined) subject.move_in_yyymmdd = rocCompact(d.registered_since);
  const own = (Array.isArray(d.household_members) ? (d.household_members as Member[]) : []).find((m) => m.name === d.name);
  subject.relationship = own?.relation ?? '';
  const people = [subject, ...members.map((m) => ({ person_name: m.name ?? '', relationship: m.relation ?? '' }))];
  const body: Data = { personHouseholdData21: people };
  if (typeof d.address === 'string') {
    // 戶籍地址 as the register splits it: 縣市區, 村里, 鄰, 街路門牌.
    const m = /^(.+?[市縣].+?[區鄉鎮市])(.+?[村里])?(\d+)鄰?(.*)$/.exec(d.address);
    body.householdBasicData21 = {
      householdAddress: m
        ? { from_site_id: m[1], village: m[2] ?? '', neighbor: (m[3] ?? '').padStart(3, '0'), neighbor_char: '鄰', street_doorplate: m[4] ?? '' }
        : { from_site_id: '', village: '', neighbor: '', neighbor_char: '', street_doorplate: d.address },
    };
  }
  return { name: `${id}.json`, bytes: utf8(`${JSON.stringify(body, null, 2)}\n`) };
}

interface IncomeItem {
  payer?: string;
  type?: string;
  amount?: number;
}

/** 個人所得資料 as a Big5 CSV (the demo's assumed layout): one row per payment, the year in ROC. */
function income(id: string, d: Data): DataFile {
  const year = typeof d.tax_year === 'number' ? d.tax_year - ROC_YEAR_OFFSET : '';
  const items = Array.isArray(d.income_items) ? (d.income_items as IncomeItem[]) : [];
  const total = typeof d.total_income === 'number' ? d.total_income : items.reduce((s, i) => s + (i.amount ?? 0), 0);
  const withheld = typeof d.withholding_total === 'number' ? d.withholding_total : null;
  // Tax withheld is split over the rows in proportion to their amounts (the demo record only has the total).
  let left = withheld ?? 0;
  const rows = items.map((item, i) => {
    const share = withheld === null ? '' : i === items.length - 1 ? left : Math.round(((item.amount ?? 0) * withheld) / (total || 1));
    if (typeof share === 'number') left -= share;
    return [year, item.type ?? '', item.payer ?? '', item.amount ?? '', share];
  });
  if (rows.length === 0) rows.push([year, '合計', '', total, withheld ?? '']);
  return { name: `${id}.csv`, bytes: encodeBig5(csv(['所得年度', '所得類別', '扣繳單位名稱', '給付總額', '扣繳稅額'], rows)) };
}

interface Enrolment {
  employer?: string;
  from?: string;
  to?: string | null;
  insured_salary?: number;
}

/** 勞保投保資料（明細） as a UTF-8 CSV with BOM (the demo's assumed layout), ROC dates. */
function labour(id: string, d: Data): DataFile {
  const list = Array.isArray(d.enrolments) ? (d.enrolments as Enrolment[]) : [{ employer: d.employer_name as string, from: d.enrolment_date as string, to: null, insured_salary: d.insured_salary as number }];
  const rows = list.map((e) => [e.employer ?? '', e.insured_salary ?? '', rocCompact(e.from), rocCompact(e.to)]);
  return { name: `${id}.csv`, bytes: utf8Bom(csv(['投保單位名稱', '投保薪資', '加保日期', '退保日期'], rows)) };
}

/** 健保個人投退保資料 as a UTF-8 CSV without BOM (the demo's assumed layout), ROC dates. */
function health(id: string, d: Data): DataFile {
  // Only consented fields leave the provider (G10): the enrolment date is not one of this dataset's fields.
  const since = typeof d.enrolled_since === 'string' ? d.enrolled_since : '';
  const rows = [[d.insured_unit ?? '', d.insured_category ?? '', rocCompact(since), '', d.premium_monthly ?? '']];
  return { name: `${id}.csv`, bytes: utf8(csv(['投保單位名稱', '投保類別', '加保日期', '退保日期', '每月保費'], rows)) };
}

interface Vehicle {
  plate?: string;
  type?: string;
  make?: string;
  year?: number;
}

/** 車籍資料: an array of vehicles with the keys of the public sample (plateNo, brandName, …), ISO timestamps. */
function vehicles(id: string, d: Data): DataFile {
  const list = Array.isArray(d.vehicles) ? (d.vehicles as Vehicle[]) : [];
  const body = list.map((v) => {
    const [brand, ...model] = (v.make ?? '').split(' ');
    const year = v.year ?? 2020;
    return {
      plateNo: v.plate ?? '',
      carType: v.type ?? '',
      brandName: brand ?? '',
      modelName: model.join(' '),
      txnName: '正常',
      licEffectDt: `${String(year)}-06-01T09:00:00+08:00`,
      nextExamDt: `${String(year + 6)}-06-01T00:00:00+08:00`,
    };
  });
  return { name: `${id}.json`, bytes: utf8(`${JSON.stringify(body, null, 2)}\n`) };
}

interface Licence {
  type?: string;
  status?: string;
  issued?: string;
  valid_until?: string;
}

/** 駕籍資料 as an array of licences (the demo's assumed keys: no public sample was found), ROC dates. */
function licences(id: string, d: Data): DataFile {
  const list = Array.isArray(d.licences) ? (d.licences as Licence[]) : [];
  const body = list.map((l) => ({
    licenseTypeName: l.type ?? '',
    statusName: l.status ?? '',
    issueDt: rocCompact(l.issued),
    validDt: rocCompact(l.valid_until),
    points: 0,
  }));
  return { name: `${id}.json`, bytes: utf8(`${JSON.stringify(body, null, 2)}\n`) };
}

interface Position {
  company?: string;
  ban?: string;
  title?: string;
  investment?: number;
  from?: string;
  to?: string | null;
  established?: string;
  registered_with?: string;
  address?: string;
  org_type?: string;
  status?: string;
  representative?: boolean;
}

/**
 * 公司負責人、董監事與經理人之公司登記資料 as the public sample writes it: an array of company rows with upper-case
 * keys (CMPY_NAME, BAN_NO, POS_NAME, INVEST_AMT as a number, ROC yyyMMdd dates, Y/N flags).
 */
function companyOfficers(id: string, d: Data): DataFile {
  const list = Array.isArray(d.positions) ? (d.positions as Position[]) : [];
  const body = list.map((p, i) => ({
    SEQ_NO: String(i + 1).padStart(4, '0'),
    CMPY_NAME: p.company ?? '',
    BAN_NO: p.ban ?? '',
    ORG_TYPE: p.org_type ?? '',
    CMPY_STATUS: p.status ?? '',
    CMPY_ADD: p.address ?? '',
    REG_UNIT_NAME: p.registered_with ?? '',
    ESTAB_APP_DATE: rocCompact(p.established),
    POS_NAME: p.title ?? '',
    INVEST_AMT: p.investment ?? 0,
    DTR_BEG_DATE: rocCompact(p.from),
    DTR_END_DATE: rocCompact(p.to),
    CMPY_REP: p.representative === true ? 'Y' : 'N',
    CORP_REP: 'N',
    CN: '中華民國',
  }));
  return { name: `${id}.json`, bytes: utf8(`${JSON.stringify(body, null, 2)}\n`) };
}

const BUILDERS: Record<string, (id: string, data: Data) => DataFile> = {
  'API.n0c9qVZBQI': licences,
  'API.ea0klQl5Wp': companyOfficers,
  'API.UDauDOLyZg': household,
  'API.syWqjr4flJ': income,
  'API.UZQkKbsOpz': labour,
  'API.zH584wn59r': health,
  'API.60GGfgGX1A': vehicles,
};

/**
 * The data file of a provider part: the dataset's real shape when the demo has one, else (demo-only datasets with
 * no known real id) the consented fields as a plain JSON object, which the app shows as a generic table.
 */
export function dataFile(datasetId: string, data: Data): DataFile {
  const build = BUILDERS[datasetId];
  return build ? build(datasetId, data) : { name: `${datasetId}.json`, bytes: utf8(`${JSON.stringify(data, null, 2)}\n`) };
}
