// A dataset file's generic tables: JSON flattened into sections, CSV read as one table, and either written for Excel.
import type { Cell, GenericTable, TableSection } from '../../contract/datasets.ts';
import { AppFailure } from '../../contract/errors.ts';
import { BOM, CsvSyntaxError, csvRow, parseCsv, spreadsheetSafe } from '../history/csv.ts';
import { parseDate } from './dates.ts';
import { DatasetErrorCode } from './text.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Obj = { [key: string]: Json };

export function unreadable(what: 'json' | 'csv', detail: string): AppFailure {
  return new AppFailure({
    code: DatasetErrorCode.UNREADABLE,
    message_zh: what === 'json' ? `這個檔案不是完整的 JSON（${detail}），無法以表格顯示。請用「儲存檔案」後以其他程式開啟。` : `這個 CSV 檔的格式有誤（${detail}），無法以表格顯示。請用「儲存檔案」後以其他程式開啟。`,
    message_en: what === 'json' ? `This file is not complete JSON (${detail}), so it cannot be shown as a table. Use "Save file" and open it with another program.` : `This CSV file is malformed (${detail}), so it cannot be shown as a table. Use "Save file" and open it with another program.`,
    retryable: false,
  });
}

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
export function str(v: Json | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? v.map((x) => str(x)).filter((x) => x !== '').join('；') : JSON.stringify(v);
}
export function textOrNull(v: Json | undefined): string | null {
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
export function depthOf(value: Json): number {
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
