// What a service provider received, read from the package bytes the sandbox delivered: each provider part's data file,
// read back in the dataset's real shape (JSON keys, CSV columns) to the catalogue's field names it carries.
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from '@zip.js/zip.js';

type Json = Record<string, unknown>;

/** CSV rows as objects keyed by the header (the demo's files have no quoted line breaks). */
function csvRows(bytes: Uint8Array, encoding: 'utf-8' | 'big5'): Record<string, string>[] {
  const text = new TextDecoder(encoding).decode(bytes).replace(/^\uFEFF/, '');
  const [header, ...lines] = text.split(/\r?\n/).filter((l) => l !== '');
  const names = (header ?? '').split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i] ?? String(i), cell.replace(/^"|"$/g, '')])));
}

const filled = (rows: Record<string, string>[], column: string) => rows.some((r) => (r[column] ?? '') !== '');

/** Which of the catalogue's fields a data file carries, by the dataset's real shape. */
function fieldsOf(datasetId: string, bytes: Uint8Array): string[] {
  switch (datasetId) {
    case 'API.UDauDOLyZg': {
      const body = JSON.parse(new TextDecoder().decode(bytes)) as { personHouseholdData21?: Json[]; householdBasicData21?: Json };
      const people = body.personHouseholdData21 ?? [];
      const self = people[0] ?? {};
      const out: string[] = [];
      if (body.householdBasicData21) out.push('address');
      if (self['birth_yyymmdd'] !== undefined) out.push('birth_date');
      if (self['birth_order_sex'] !== undefined) out.push('gender');
      if (people.length > 1 || (self['relationship'] ?? '') !== '') out.push('household_members');
      if (self['person_name'] !== undefined) out.push('name');
      if (self['move_in_yyymmdd'] !== undefined) out.push('registered_since');
      return out.sort();
    }
    case 'API.syWqjr4flJ': {
      const rows = csvRows(bytes, 'big5');
      const out: string[] = [];
      if (rows.some((r) => r['所得類別'] !== '合計')) out.push('income_items');
      if (filled(rows, '所得年度')) out.push('tax_year');
      if (rows.some((r) => r['所得類別'] === '合計' && (r['給付總額'] ?? '') !== '')) out.push('total_income');
      if (filled(rows, '扣繳稅額')) out.push('withholding_total');
      return out.sort();
    }
    case 'API.UZQkKbsOpz': {
      const rows = csvRows(bytes, 'utf-8');
      if (rows.length > 1) return ['enrolments'];
      const out: string[] = [];
      if (filled(rows, '投保單位名稱')) out.push('employer_name');
      if (filled(rows, '加保日期')) out.push('enrolment_date');
      if (filled(rows, '投保薪資')) out.push('insured_salary');
      return out.sort();
    }
    default:
      return Object.keys(JSON.parse(new TextDecoder().decode(bytes)) as Json).sort();
  }
}

/** Dataset id → the catalogue's field names its data file carries, sorted. */
export async function deliveredFields(bytes: Uint8Array): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const outer = new ZipReader(new Uint8ArrayReader(bytes), { useWebWorkers: false });
  for (const entry of await outer.getEntries()) {
    if (!entry.filename.endsWith('.zip') || entry.directory) continue;
    const inner = new ZipReader(new Uint8ArrayReader(await entry.getData(new Uint8ArrayWriter())), { useWebWorkers: false });
    for (const file of await inner.getEntries()) {
      const match = /^([^/\\]+)\.(json|csv)$/.exec(file.filename);
      if (!match || file.directory) continue;
      out[match[1]!] = fieldsOf(match[1]!, await file.getData(new Uint8ArrayWriter()));
    }
    await inner.close();
  }
  await outer.close();
  return out;
}
