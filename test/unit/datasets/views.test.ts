// Readable views of the known datasets (real shapes), the generic table for anything else, and the CSV export for Excel.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { datasetRegistry } from '../../../electron/core/datasets/registry.ts';
import { tableToExcelCsv } from '../../../electron/core/datasets/tables.ts';
import { datasetView } from '../../../electron/core/datasets/views.ts';

const NOW = new Date('2026-01-15T04:00:00Z');
const utf8 = (s: string) => new TextEncoder().encode(s);
const big5 = (s: string) => new Uint8Array(execFileSync('python3', ['-c', 'import sys; sys.stdout.buffer.write(sys.argv[1].encode("big5"))', s]));
const view = (name: string, bytes: Uint8Array, resourceId: string | null = null) => datasetView({ name, bytes, resourceId, registry: datasetRegistry(), now: NOW });

// The shape of 現戶全戶戶籍資料 as a public MyData client's sample writes it (keys and ROC dates); synthetic people.
const HOUSEHOLD = {
  personHouseholdData21: [
    { person_name: '洪𣉥𫙸', relationship: '配偶', birth_order_sex: '長女', birth_yyymmdd: '0770305', move_in_yyymmdd: '1050801', marriage_code: '有偶', education_mark: '大學畢業', person_id: 'A200000003' },
    { person_name: '王小明', relationship: '戶長', birth_order_sex: '長男', birth_yyymmdd: '0770314', move_in_yyymmdd: '1050801', marriage_code: '有偶', education_mark: '碩士畢業', person_id: 'A100000001' },
  ],
  householdBasicData21: { household_id: 'F0000001', householdAddress: { from_site_id: '桃園市中壢區', village: '中美里', neighbor: '012', neighbor_char: '鄰', street_doorplate: '新興路88號5樓' } },
};

describe('readable views', () => {
  it('shows 全戶戶籍資料 as a family table: head first, ROC dates read, the address assembled, Ext-B names intact', () => {
    const r = view('API.UDauDOLyZg/API.UDauDOLyZg.json', utf8(JSON.stringify(HOUSEHOLD)));
    expect(r.dataset?.name.zh).toBe('現戶全戶戶籍資料');
    // No public source states the level this dataset needs: it stays null and the screen says "not published".
    expect(r.dataset?.level).toBeNull();
    expect(r.view.kind).toBe('household');
    if (r.view.kind !== 'household') return;
    expect(r.view.members.map((m) => m.name)).toEqual(['王小明', '洪𣉥𫙸']);
    expect(r.view.members[0]?.birth).toEqual({ raw: '0770314', iso: '1988-03-14' });
    expect(r.view.address).toBe('桃園市中壢區中美里12鄰新興路88號5樓');
    // National IDs are not part of the view model.
    expect(JSON.stringify(r.view)).not.toContain('A100000001');
  });

  it('reads 個人戶籍資料 wrapped in the platform response (responseData.personHouseholdData12)', () => {
    const one = { httpCode: '200', responseData: { personHouseholdData12: { person_name: '林美華', birth_yyymmdd: '0640902', move_in_yyymmdd: '0920520', householdAddress: { from_site_id: '新北市板橋區', village: '文化里', neighbor: '003', neighbor_char: '鄰', street_doorplate: '文化路一段266號3樓' } } } };
    const r = view('API.7QovE2Gev6.json', utf8(JSON.stringify(one)));
    expect(r.view).toMatchObject({ kind: 'household', members: [{ name: '林美華', birth: { iso: '1975-09-02' } }] });
  });

  it('totals income per year and overall from a Big5 CSV', () => {
    const csv = '所得年度,所得類別,扣繳單位名稱,扣繳單位統一編號,給付總額,扣繳稅額\r\n113,薪資,宏遠精密工業股份有限公司,12345675,"1,050,000",31500\r\n114,薪資,宏遠精密工業股份有限公司,12345675,1086000,32580\r\n114,利息,中華郵政股份有限公司,03700301,2150,0\r\n';
    const r = view('API.syWqjr4flJ.csv', big5(csv));
    expect(r.encoding).toBe('big5');
    expect(r.view.kind).toBe('income');
    if (r.view.kind !== 'income') return;
    expect(r.view.byYear).toEqual([{ year: 113, amount: 1050000, withheld: 31500 }, { year: 114, amount: 1088150, withheld: 32580 }]);
    expect(r.view.total).toEqual({ amount: 2138150, withheld: 64080 });
  });

  it('shows labour insurance periods with ROC dates and counts overlapping days once', () => {
    const csv = '\uFEFF投保單位名稱,投保薪資,加保日期,退保日期\r\n立成電子有限公司,33300,1140101,1140131\r\n宏遠精密工業股份有限公司,45800,1140115,\r\n';
    const r = view('API.UZQkKbsOpz/labor.csv', utf8(csv));
    expect(r.encoding).toBe('utf-8-bom');
    expect(r.view.kind).toBe('insurance');
    if (r.view.kind !== 'insurance') return;
    expect(r.view.periods[1]).toMatchObject({ unit: '宏遠精密工業股份有限公司', amount: 45800, from: { iso: '2025-01-15' }, to: null });
    // 2025-01-01 … 2026-01-15 (the open period runs to today, Taipei), each day once.
    expect(r.view.totalDays).toBe(380);
    expect(r.view.asOf).toBe('2026-01-15');
  });

  it('a total built only from periods without dates cannot be computed (the enrolment date was not delivered): no total, not zero', () => {
    // The health insurance shape with the enrolment date left empty, as a provider sends it when the field was not consented.
    const csv = '投保單位名稱,投保類別,加保日期,退保日期,每月保費\r\n宏遠精密工業股份有限公司,第一類,,,1518\r\n';
    const r = view('API.zH584wn59r/health.csv', utf8(csv));
    if (r.view.kind !== 'insurance') throw new Error(r.view.kind);
    expect(r.view.scheme).toBe('health');
    expect(r.view.periods).toMatchObject([{ unit: '宏遠精密工業股份有限公司', amount: 1518, from: null, to: null }]);
    expect(r.view.totalDays).toBeNull();
    // One dated period among undated ones: the total counts the dated one.
    const mixed = view('API.zH584wn59r/health.csv', utf8(`${csv}立成電子有限公司,第一類,1150101,1150110,826\r\n`));
    if (mixed.view.kind !== 'insurance') throw new Error(mixed.view.kind);
    expect(mixed.view.totalDays).toBe(10);
  });

  it('shows vehicles as cards (the real JSON keys), dates read', () => {
    const cars = [{ plateNo: 'BKR-6021', brandName: '豐田', modelName: '轎式', cc: 1798, colorName: '白色', licEffectDt: '2021-05-03T10:00:00+08:00', nextExamDt: '2027-05-03T00:00:00+08:00', txnName: '正常' }];
    const r = view('API.60GGfgGX1A.json', utf8(JSON.stringify(cars)));
    expect(r.view).toMatchObject({ kind: 'cards', cards: [{ title: 'BKR-6021', subtitle: '豐田 轎式' }] });
    if (r.view.kind !== 'cards') return;
    expect(r.view.cards[0]?.facts.find((f) => f.label.en === 'Next inspection')?.date?.iso).toBe('2027-05-03');
  });

  it('shows company officer rows as cards with amounts and ROC term dates', () => {
    const rows = [{ CMPY_NAME: '青山綠能股份有限公司', BAN_NO: '53028473', POS_NAME: '董事長', INVEST_AMT: 2600000, DTR_BEG_DATE: '1120701', DTR_END_DATE: '1150630' }];
    const r = view('API.ea0klQl5Wp.json', utf8(JSON.stringify(rows)));
    if (r.view.kind !== 'cards') throw new Error(r.view.kind);
    const facts = r.view.cards[0]?.facts ?? [];
    expect(facts.find((f) => f.label.en === 'Investment (NT$)')?.number).toBe(2600000);
    expect(facts.find((f) => f.label.en === 'Term until')?.date?.iso).toBe('2026-06-30');
    expect(facts.find((f) => f.label.en === 'Business ID (BAN)')?.number).toBeNull();
  });

  it('lists an unknown dataset as unknown and shows it as a generic table', () => {
    const r = view('API.ZZZZZZZZZZ/data.csv', utf8('項目,金額,日期\r\nA,"1,200",1130101\r\n'));
    expect(r.datasetId).toBe('API.ZZZZZZZZZZ');
    expect(r.dataset).toBeNull();
    expect(r.view).toEqual({ kind: 'table', tables: [{ path: '', table: { columns: ['項目', '金額', '日期'], rows: [[{ text: 'A', number: null, date: null }, { text: '1,200', number: 1200, date: null }, { text: '1130101', number: null, date: '2024-01-01' }]] } }] });
  });

  it('falls back to the generic table, and says so, when a known dataset has a layout the view does not know', () => {
    const r = view('API.UZQkKbsOpz.csv', utf8('a,b\r\n1,2\r\n'));
    expect(r.dataset?.name.zh).toContain('勞工保險');
    expect(r.fellBack).toBe(true);
    expect(r.view.kind).toBe('table');
  });

  it('refuses a broken JSON or CSV with a named error', () => {
    expect(() => view('x.json', utf8('{"a": '))).toThrow(expect.objectContaining({ code: 'DATASET_UNREADABLE' }) as Error);
    expect(() => view('x.csv', utf8('a,b\r\n"1,2\r\n'))).toThrow(expect.objectContaining({ code: 'DATASET_UNREADABLE' }) as Error);
  });
});

describe('the generic table of nested or unknown JSON', () => {
  // A response-like file with fields, a list of records, lists under each record and a list of plain values.
  const NESTED = {
    httpCode: '200',
    meta: { count: 2, issued_yyymmdd: '1130101' },
    responseData: {
      owner: '洪𣉥𫙸',
      items: [
        { id: 'A1', detail: { amount: '1,200' }, parts: [{ p: 'x', sub: [{ q: 1 }] }, { p: 'y' }] },
        { id: 'A2', extra: 'z', parts: [{ p: 'w' }] },
      ],
      codes: [1, 2, 3],
    },
    notes: [{ text: '第二個清單' }],
  };

  it('shows every list and object, not only the first list, each named by its place in the data', () => {
    const r = view('API.ZZZZZZZZZZ.json', utf8(JSON.stringify(NESTED)));
    if (r.view.kind !== 'table') throw new Error(r.view.kind);
    const tables = r.view.tables;
    expect(tables.map((t) => t.path)).toEqual(['', 'responseData.items', 'responseData.items[].parts', 'responseData.items[].parts[].sub', 'notes']);
    const [fields, items, parts, sub, notes] = tables.map((t) => t.table);
    // The plain fields of the whole file (nested objects flattened into a.b names, a list of plain values joined).
    expect(fields?.columns).toEqual(['field', 'value']);
    expect(fields?.rows.map((row) => row.map((c) => c.text))).toEqual([
      ['httpCode', '200'],
      ['meta.count', '2'],
      ['meta.issued_yyymmdd', '1130101'],
      ['responseData.owner', '洪𣉥𫙸'],
      ['responseData.codes', '1；2；3'],
    ]);
    // A date field in a field/value table is read by the field's name.
    expect(fields?.rows[2]?.[1]?.date).toBe('2024-01-01');
    // Records: numbered, because lists under them point back at their rows; a missing field is an empty cell.
    expect(items?.columns).toEqual(['#', 'id', 'detail.amount', 'extra']);
    expect(items?.rows.map((row) => row.map((c) => c.text))).toEqual([['1', 'A1', '1,200', ''], ['2', 'A2', '', 'z']]);
    expect(items?.rows[0]?.[2]?.number).toBe(1200);
    // The lists under each record, together, each row naming its parent row.
    expect(parts?.columns).toEqual(['#', 'responseData.items #', 'p']);
    expect(parts?.rows.map((row) => row.map((c) => c.text))).toEqual([['1', '1', 'x'], ['2', '1', 'y'], ['3', '2', 'w']]);
    expect(sub?.columns).toEqual(['responseData.items[].parts #', 'q']);
    expect(sub?.rows.map((row) => row.map((c) => c.text))).toEqual([['1', '1']]);
    expect(notes?.rows.map((row) => row.map((c) => c.text))).toEqual([['第二個清單']]);
  });

  it('a plain value, an empty list and an empty object still give one table; JSON nested too deeply is refused by name', () => {
    const tablesOf = (json: string) => {
      const r = view('x.json', utf8(json));
      if (r.view.kind !== 'table') throw new Error(r.view.kind);
      return r.view.tables;
    };
    expect(tablesOf('5')).toEqual([{ path: '', table: { columns: ['value'], rows: [[{ text: '5', number: 5, date: null }]] } }]);
    expect(tablesOf('[]')).toEqual([{ path: '', table: { columns: [], rows: [] } }]);
    expect(tablesOf('{}')).toEqual([{ path: '', table: { columns: [], rows: [] } }]);
    expect(tablesOf('[[1,2],[3]]')[0]?.table.rows.map((row) => row.map((c) => c.text))).toEqual([['1；2'], ['3']]);
    // 100,000 levels: JSON.parse accepts it, a recursive walk would not survive it.
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => view('deep.json', utf8(deep))).toThrow(expect.objectContaining({ code: 'DATASET_UNREADABLE' }) as Error);
    expect(tablesOf('['.repeat(60) + '1' + ']'.repeat(60)).length).toBeGreaterThan(0);
  });

  it('exports every table of a nested file to one CSV, each under a row naming its place (read back by Python)', () => {
    const r = view('API.ZZZZZZZZZZ.json', utf8(JSON.stringify(NESTED)));
    const back = execFileSync('python3', ['-c', 'import csv,io,sys,json; print(json.dumps(list(csv.reader(io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")))))'], { input: tableToExcelCsv(r.tables) }).toString();
    const rows = JSON.parse(back) as string[][];
    expect(rows[0]).toEqual(['(root)']);
    expect(rows[1]).toEqual(['field', 'value']);
    expect(rows).toContainEqual(['responseData.items[].parts']);
    expect(rows).toContainEqual(['3', '2', 'w']);
    expect(rows.filter((row) => row.length === 0)).toHaveLength(4);
  });
});

describe('CSV export for Excel', () => {
  it('writes UTF-8 with a BOM and CRLF, defuses formulas, and reads back the same cells in Python', () => {
    const r = view('API.ZZZZZZZZZZ.json', utf8(JSON.stringify([{ 姓名: '洪𣉥𫙸', 備註: '=HYPERLINK("x")', 金額: '1,200' }])));
    const bytes = tableToExcelCsv(r.tables);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toContain('\r\n');
    const back = execFileSync('python3', ['-c', 'import csv,io,sys,json; print(json.dumps(list(csv.reader(io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")))))'], { input: bytes }).toString();
    expect(JSON.parse(back)).toEqual([['姓名', '備註', '金額'], ['洪𣉥𫙸', `'=HYPERLINK("x")`, '1,200']]);
  });
});
