// Turns a dataset file (JSON or CSV bytes) into the view model its readable view shows, or a generic table; pure, no I/O.
import type { DatasetViewResult, TableSection } from '../../contract/datasets.ts';
import { datasetIdOfFile, type DatasetRegistry } from './registry.ts';
import { readText } from './text.ts';
import { readable } from './readable.ts';
import { csvTable, depthOf, jsonTables, MAX_JSON_DEPTH, unreadable, type Json } from './tables.ts';

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
