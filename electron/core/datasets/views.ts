// Turns a dataset file (JSON or CSV bytes) into the view model its readable view shows, or a generic table; pure, no I/O.
import type { Cell, DatasetView, DatasetViewResult, DateValue, GenericTable, TableSection } from '../../contract/datasets.ts';
import { AppFailure } from '../../contract/errors.ts';
import { BOM, CsvSyntaxError, csvRow, parseCsv, spreadsheetSafe } from '../history/csv.ts';
import { dateOrNull, parseDate } from './dates.ts';
import { taipeiDay } from '../../common/time.ts';
import { datasetIdOfFile, type DatasetRegistry, type DatasetViewKind } from './registry.ts';
import { DatasetErrorCode, readText } from './text.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

export function unreadable(what: 'json' | 'csv', detail: string): AppFailure {
  return new AppFailure({
    code: DatasetErrorCode.UNREADABLE,
    message_zh: what === 'json' ? `這個檔案不是完整的 JSON（${detail}），無法以表格顯示。請用「儲存檔案」後以其他程式開啟。` : `這個 CSV 檔的格式有誤（${detail}），無法以表格顯示。請用「儲存檔案」後以其他程式開啟。`,
    message_en: what === 'json' ? `This file is not complete JSON (${detail}), so it cannot be shown as a table. Use "Save file" and open it with another program.` : `This CSV file is malformed (${detail}), so it cannot be shown as a table. Use "Save file" and open it with another program.`,
    retryable: false,
  });
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function str(v: Json | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? v.map((x) => str(x)).filter((x) => x !== '').join('；') : JSON.stringify(v);
}
function textOrNull(v: Json | undefined): string | null {
  const s = str(v);
  return s === '' || s === 'N/A' ? null : s;
}
/** Amounts as files write them: numbers, or text with thousands separators; null otherwise. */
export function amountOf(v: Json | undefined): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const s = v.trim().replace(/,/g, '');
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : null;
}

const DATE_COLUMN = /yyymmdd|date|_dt$|dt$|日期|年月日/i;

function cellOf(column: string, v: Json | undefined): Cell {
  const text = str(v);
  const date = DATE_COLUMN.test(column) ? parseDate(text) : null;
  // Codes with leading zeros (postcodes, account numbers) stay text; so do dates.
  const number = date === null && !/^0\d/.test(text) ? amountOf(v ?? null) : null;
  return { text, number, date: date?.iso ?? null };
}

/** Deeper nesting than this is refused before any walk (JSON.parse itself does not stop it; a walk would exhaust the stack). */
export const MAX_JSON_DEPTH = 64;

/** The nesting depth of parsed JSON, counted without recursion. */
function depthOf(value: Json): number {
  let max = 0;
  const stack: [Json, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [Json, number];
    if (d > max) max = d;
    if (d > MAX_JSON_DEPTH) break;
    if (Array.isArray(v)) for (const x of v) stack.push([x, d + 1]);
    else if (isObj(v)) for (const x of Object.values(v)) stack.push([x, d + 1]);
  }
  return max;
}

interface Section {
  path: string;
  columns: string[];
  rows: Record<string, Json>[];
  /** The column that names the parent row, for lists found under each entry of another list. */
  parentColumn: string | null;
  /** True once a child list points at this section's rows: it then shows its own row numbers. */
  numbered: boolean;
}

const isScalar = (v: Json): boolean => v === null || typeof v !== 'object';

/**
 * Any JSON as tables, one for every list and every object that holds plain values, in document order: a list of
 * records becomes a table (nested objects flattened into `a.b` columns, lists inside each record become their own
 * table whose rows name their parent row), an object's plain fields a field/value table. Nothing is dropped.
 */
export function jsonTables(value: Json): TableSection[] {
  const sections = new Map<string, Section>();
  const section = (path: string, parentColumn: string | null): Section => {
    let s = sections.get(path);
    if (!s) {
      s = { path, columns: [], rows: [], parentColumn, numbered: false };
      sections.set(path, s);
    }
    return s;
  };
  const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

  /** An object's fields into `out`; lists of records (or deeper nesting) go to `onList`. */
  function flatten(obj: Obj, prefix: string, out: Record<string, Json>, onList: (key: string, list: Json[]) => void): void {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix === '' ? k : `${prefix}.${k}`;
      if (isObj(v)) flatten(v, key, out, onList);
      else if (Array.isArray(v) && !v.every(isScalar)) onList(key, v);
      else out[key] = v;
    }
  }

  function list(items: Json[], path: string, parent: { section: Section; row: number } | null): void {
    const parentColumn = parent ? `${parent.section.path === '' ? '(root)' : parent.section.path} #` : null;
    const s = section(path, parentColumn);
    if (parent) parent.section.numbered = true;
    for (const item of items) {
      const row: Record<string, Json> = {};
      if (parent && parentColumn) row[parentColumn] = parent.row;
      const children: [string, Json[]][] = [];
      if (isObj(item)) flatten(item, '', row, (k, l) => children.push([k, l]));
      else row.value = item;
      s.rows.push(row);
      const number = s.rows.length;
      for (const k of Object.keys(row)) if (!s.columns.includes(k)) s.columns.push(k);
      for (const [k, l] of children) list(l, `${path}[].${k}`, { section: s, row: number });
    }
  }

  function object(obj: Obj, path: string): void {
    const fields: Record<string, Json> = {};
    const lists: [string, Json[]][] = [];
    flatten(obj, '', fields, (k, l) => lists.push([k, l]));
    if (Object.keys(fields).length > 0) {
      const s = section(path, null);
      s.columns = ['field', 'value'];
      s.rows = Object.entries(fields).map(([k, v]) => ({ field: k, value: v }));
    }
    for (const [k, l] of lists) list(l, join(path, k), null);
  }

  if (Array.isArray(value)) list(value, '', null);
  else if (isObj(value)) object(value, '');
  else {
    const s = section('', null);
    s.columns = ['value'];
    s.rows.push({ value });
  }
  if (sections.size === 0) section('', null);

  return [...sections.values()].map((s) => {
    const columns = s.numbered ? ['#', ...s.columns] : s.columns;
    const rows = s.rows.map((r, i) =>
      columns.map((c) => {
        if (c === '#' && s.numbered) return { text: String(i + 1), number: i + 1, date: null };
        // A field/value table's dates are known by the field's name, not the column's.
        if (s.columns[0] === 'field' && c === 'value') return cellOf(str(r.field), r.value);
        if (c === s.parentColumn) return { text: str(r[c]), number: typeof r[c] === 'number' ? r[c] : null, date: null };
        return c === 'field' && s.columns[0] === 'field' ? { text: str(r[c]), number: null, date: null } : cellOf(c, r[c]);
      }),
    );
    return { path: s.path, table: { columns, rows } };
  });
}

export function csvTable(text: string): GenericTable {
  let records;
  try {
    records = parseCsv(text).filter((r) => !(r.fields.length === 1 && r.fields[0] === ''));
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw unreadable('csv', `line ${String(error.line)}`);
    throw error;
  }
  const [header, ...body] = records;
  if (!header) return { columns: [], rows: [] };
  const columns = header.fields.map((c) => c.trim());
  return { columns, rows: body.map((r) => columns.map((c, i) => cellOf(c, r.fields[i] ?? ''))) };
}

/**
 * The tables as a CSV Excel opens as UTF-8 (BOM, CRLF), with formula-looking text defused. More than one table
 * (a nested JSON file) are written one after another, each under a row naming its place, a blank row between.
 */
export function tableToExcelCsv(tables: GenericTable | readonly TableSection[]): Uint8Array {
  const list: readonly TableSection[] = 'columns' in tables ? [{ path: '', table: tables }] : tables;
  const lines: string[] = [];
  for (const [i, { path, table }] of list.entries()) {
    if (list.length > 1) {
      if (i > 0) lines.push('');
      lines.push(csvRow([spreadsheetSafe(path === '' ? '(root)' : path)]));
    }
    lines.push(csvRow(table.columns.map(spreadsheetSafe)), ...table.rows.map((r) => csvRow(r.map((c) => spreadsheetSafe(c.text)))));
  }
  return new TextEncoder().encode(BOM + lines.join('\r\n') + '\r\n');
}

// ---- readable views of the known datasets ----

function address(a: Json | undefined): string | null {
  if (!isObj(a)) return textOrNull(a);
  const neighbor = textOrNull(a.neighbor);
  const parts = [str(a.from_site_id), str(a.village), neighbor ? `${String(Number(neighbor))}${str(a.neighbor_char) || '鄰'}` : '', str(a.street_doorplate)];
  return textOrNull(parts.join(''));
}

type Member = Extract<DatasetView, { kind: 'household' }>['members'][number];

function member(p: Obj): Member {
  return {
    name: str(p.person_name),
    relation: textOrNull(p.relationship),
    birthOrder: textOrNull(p.birth_order_sex),
    birth: dateOrNull(p.birth_yyymmdd),
    movedIn: dateOrNull(p.move_in_yyymmdd),
    marriage: textOrNull(p.marriage_code),
    education: textOrNull(p.education_mark),
  };
}

function householdPerson(json: Json): DatasetView | null {
  const root = isObj(json) && isObj(json.responseData) ? json.responseData : json;
  const p = isObj(root) ? root.personHouseholdData12 : undefined;
  if (!isObj(p) || typeof p.person_name !== 'string') return null;
  return { kind: 'household', address: address(p.householdAddress), householdId: textOrNull(p.household_id), members: [member(p)] };
}

function householdAll(json: Json): DatasetView | null {
  const root = isObj(json) && isObj(json.responseData) ? json.responseData : json;
  if (!isObj(root) || !Array.isArray(root.personHouseholdData21)) return null;
  const people = root.personHouseholdData21.filter(isObj);
  if (people.length === 0 || !people.every((p) => typeof p.person_name === 'string')) return null;
  const basic = isObj(root.householdBasicData21) ? root.householdBasicData21 : {};
  // The head of household first, as a household register lists them.
  const members = people.map(member).sort((a, b) => Number(b.relation === '戶長') - Number(a.relation === '戶長'));
  return { kind: 'household', address: address(basic.householdAddress), householdId: textOrNull(basic.household_id), members };
}

function column(table: GenericTable, ...names: string[]): number {
  return table.columns.findIndex((c) => names.includes(c));
}

function insurance(table: GenericTable, scheme: 'labour' | 'health', now: Date): DatasetView | null {
  const unit = column(table, '投保單位名稱', '投保單位');
  const from = column(table, '加保日期');
  if (unit < 0 || from < 0) return null;
  const to = column(table, '退保日期');
  const amount = scheme === 'labour' ? column(table, '投保薪資', '月投保薪資') : column(table, '每月保費');
  const category = column(table, '投保類別', '投保身分', '被保險人類別');
  const asOf = taipeiDay(now);
  const date = (row: Cell[], i: number): DateValue | null => (i < 0 ? null : row[i]?.date ? { raw: row[i].text, iso: row[i].date } : null);
  const periods = table.rows.map((r) => ({
    unit: r[unit]?.text ?? '',
    category: category < 0 ? null : textOrNull(r[category]?.text),
    amount: amount < 0 ? null : (r[amount]?.number ?? null),
    from: date(r, from),
    to: date(r, to),
  }));
  // Overlapping periods (two employers at once) count once: days are collected as a set of covered days.
  const covered = new Set<number>();
  for (const p of periods) {
    if (!p.from?.iso) continue;
    const start = Date.parse(`${p.from.iso}T00:00:00Z`);
    const end = Date.parse(`${(p.to?.iso ?? asOf) < p.from.iso ? p.from.iso : (p.to?.iso ?? asOf)}T00:00:00Z`);
    for (let t = start; t <= end; t += 86_400_000) covered.add(t);
  }
  // No period with a start date (the provider left the enrolment date out, a field not consented): the total cannot be
  // computed, which is not the same as zero days.
  const totalDays = periods.some((p) => p.from?.iso) ? covered.size : null;
  return { kind: 'insurance', scheme, periods, totalDays, asOf };
}

function income(table: GenericTable): DatasetView | null {
  const year = column(table, '所得年度', '年度');
  const type = column(table, '所得類別', '所得類別名稱');
  const payer = column(table, '扣繳單位名稱', '給付單位名稱');
  const amount = column(table, '給付總額', '所得額', '所得總額');
  if (payer < 0 || amount < 0) return null;
  const withheld = column(table, '扣繳稅額');
  const rows = table.rows.map((r) => {
    const y = year < 0 ? null : (r[year]?.number ?? null);
    return {
      year: y !== null && Number.isInteger(y) ? y : null,
      type: type < 0 ? '' : (r[type]?.text ?? ''),
      payer: r[payer]?.text ?? '',
      amount: r[amount]?.number ?? null,
      withheld: withheld < 0 ? null : (r[withheld]?.number ?? null),
    };
  });
  const years = new Map<number, { amount: number; withheld: number }>();
  let total = 0;
  let totalWithheld = 0;
  for (const r of rows) {
    total += r.amount ?? 0;
    totalWithheld += r.withheld ?? 0;
    if (r.year === null) continue;
    const y = years.get(r.year) ?? { amount: 0, withheld: 0 };
    y.amount += r.amount ?? 0;
    y.withheld += r.withheld ?? 0;
    years.set(r.year, y);
  }
  const byYear = [...years.entries()].sort((a, b) => a[0] - b[0]).map(([y, v]) => ({ year: y, ...v }));
  return { kind: 'income', rows, byYear, total: { amount: total, withheld: totalWithheld } };
}

type FactSpec = [key: string, zh: string, en: string, kind?: 'date' | 'amount'];

function cards(json: Json, title: string, subtitle: (o: Obj) => string | null, facts: FactSpec[]): DatasetView | null {
  const list = Array.isArray(json) ? json : isObj(json) ? Object.values(json).find((v) => Array.isArray(v)) : undefined;
  // An empty list is an answer (no vehicles, no licences), not an unknown layout.
  if (!Array.isArray(list) || !list.every(isObj) || (list.length > 0 && !list.some((o) => typeof o[title] === 'string'))) return null;
  return {
    kind: 'cards',
    cards: list.map((o) => ({
      title: str(o[title]),
      subtitle: subtitle(o),
      facts: facts
        .filter(([k]) => o[k] !== undefined && o[k] !== null && str(o[k]) !== '')
        .map(([k, zh, en, kind]) => ({
          label: { zh, en },
          text: str(o[k]),
          date: kind === 'date' ? dateOrNull(o[k] ?? null) : null,
          number: kind === 'amount' ? amountOf(o[k]) : null,
        })),
    })),
  };
}

function readable(kind: DatasetViewKind, json: Json | null, table: GenericTable, now: Date): DatasetView | null {
  switch (kind) {
    case 'household-person':
      return json === null ? null : householdPerson(json);
    case 'household-all':
      return json === null ? null : householdAll(json);
    case 'labour-insurance':
      return insurance(table, 'labour', now);
    case 'health-insurance':
      return insurance(table, 'health', now);
    case 'income':
      return income(table);
    case 'vehicles':
      return json === null
        ? null
        : cards(json, 'plateNo', (o) => textOrNull([str(o.brandName), str(o.modelName)].filter(Boolean).join(' ')), [
            ['carType', '車種', 'Vehicle type'],
            ['colorName', '顏色', 'Colour'],
            ['cc', '排氣量（cc）', 'Engine (cc)', 'amount'],
            ['txnName', '牌照狀態', 'Plate status'],
            ['licEffectDt', '發照日期', 'Licensed on', 'date'],
            ['nextExamDt', '下次檢驗日期', 'Next inspection', 'date'],
            ['lastPrintLicDt', '最近換發行照日期', 'Registration last reissued', 'date'],
          ]);
    case 'driving-licences':
      return json === null
        ? null
        : cards(json, 'licenseTypeName', (o) => textOrNull(o.statusName), [
            ['issueDt', '發照日期', 'Issued on', 'date'],
            ['validDt', '有效日期', 'Valid until', 'date'],
            ['examDt', '審驗日期', 'Next review', 'date'],
            ['points', '違規記點', 'Penalty points', 'amount'],
          ]);
    case 'company-officers':
      return json === null
        ? null
        : cards(json, 'CMPY_NAME', (o) => textOrNull(o.POS_NAME), [
            ['BAN_NO', '統一編號', 'Business ID (BAN)'],
            ['ORG_TYPE', '組織類型', 'Organisation type'],
            ['CMPY_STATUS', '公司狀態', 'Company status'],
            ['INVEST_AMT', '出資額（新臺幣）', 'Investment (NT$)', 'amount'],
            ['DTR_BEG_DATE', '任期開始', 'Term from', 'date'],
            ['DTR_END_DATE', '任期結束', 'Term until', 'date'],
            ['ESTAB_APP_DATE', '核准設立日期', 'Established', 'date'],
            ['REG_UNIT_NAME', '登記機關', 'Registered with'],
            ['CMPY_ADD', '公司所在地', 'Address'],
          ]);
  }
}

export interface DatasetFileInput {
  name: string;
  bytes: Uint8Array;
  /** The provider part the file came from, when the package says (its resource_id). */
  resourceId: string | null;
  registry: DatasetRegistry;
  now: Date;
}

function formatOf(name: string): 'json' | 'csv' | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.csv')) return 'csv';
  return null;
}

/** Decodes and parses the file, and answers its readable view (known dataset, recognised layout) or a generic table. */
export function datasetView(input: DatasetFileInput): DatasetViewResult & { tables: TableSection[] } {
  const format = formatOf(input.name);
  if (format === null) throw unreadable('json', 'not a JSON or CSV file');
  const { text, encoding } = readText(input.bytes);
  let json: Json | null = null;
  let tables: TableSection[];
  if (format === 'json') {
    try {
      json = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text) as Json;
    } catch (error) {
      throw unreadable('json', error instanceof Error ? error.message.slice(0, 80) : 'syntax');
    }
    if (depthOf(json) > MAX_JSON_DEPTH) throw unreadable('json', `nested deeper than ${String(MAX_JSON_DEPTH)} levels`);
    tables = jsonTables(json);
  } else {
    tables = [{ path: '', table: csvTable(text) }];
  }
  // The readable views read the CSV's one table, or the JSON file's first list of records.
  const table = tables.find((t) => t.table.columns.length > 0 && t.table.columns[0] !== 'field')?.table ?? tables[0]?.table ?? { columns: [], rows: [] };
  const datasetId = datasetIdOfFile(input.name, input.resourceId);
  const entry = datasetId === null ? null : input.registry.get(datasetId);
  const view = entry?.view ? readable(entry.view, json, table, input.now) : null;
  return {
    name: input.name,
    datasetId,
    dataset: entry ? { name: { zh: entry.name_zh, en: entry.name_en }, provider: entry.provider, level: entry.level_required } : null,
    format,
    encoding,
    fellBack: entry?.view !== null && entry?.view !== undefined && view === null,
    view: view ?? { kind: 'table', tables },
    tables,
  };
}
