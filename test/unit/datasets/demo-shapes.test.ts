// The demo's data files have the real shapes: core reads every demo persona's files into the same readable views as real files.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { loadWorld } from '../../../electron/sandbox/data.ts';
import { dataFile } from '../../../electron/sandbox/shapes.ts';
import { datasetRegistry } from '../../../electron/core/datasets/registry.ts';
import { datasetView } from '../../../electron/core/datasets/views.ts';

const world = await loadWorld();
const NOW = new Date('2026-01-15T04:00:00Z');

function all(subject: string, datasetId: string) {
  const record = world.records[subject]?.[datasetId] ?? {};
  const fields = world.datasets.find((d) => d.id === datasetId)?.fields ?? [];
  const data = Object.fromEntries(fields.filter((f) => f.name in record).map((f) => [f.name, record[f.name]]));
  return dataFile(datasetId, data);
}

describe('demo data in real shapes', () => {
  it('uses the real dataset ids for the datasets the registry knows, and registry names match', () => {
    const known = world.datasets.filter((d) => datasetRegistry().get(d.id));
    expect(known.map((d) => d.id).sort()).toEqual(['API.60GGfgGX1A', 'API.UDauDOLyZg', 'API.UZQkKbsOpz', 'API.ea0klQl5Wp', 'API.n0c9qVZBQI', 'API.syWqjr4flJ', 'API.zH584wn59r']);
    // Demo-only datasets with no known real id are not given invented API. ids.
    for (const d of world.datasets.filter((x) => !datasetRegistry().get(x.id))) expect(d.id).not.toMatch(/^API\./);
  });

  it('gives every persona readable views for each known dataset, in the encodings the website uses', () => {
    const encodings = new Set<string>();
    for (const subject of Object.keys(world.records)) {
      for (const datasetId of Object.keys(world.records[subject] ?? {})) {
        const file = all(subject, datasetId);
        const r = datasetView({ name: `${datasetId}/${file.name}`, bytes: file.bytes, resourceId: null, registry: datasetRegistry(), now: NOW });
        encodings.add(`${datasetId}:${r.encoding}`);
        expect(r.fellBack, `${subject} ${datasetId}`).toBe(false);
        if (datasetRegistry().get(datasetId)) expect(r.view.kind, `${subject} ${datasetId}`).not.toBe('table');
      }
    }
    expect(encodings).toContain('API.syWqjr4flJ:big5');
    expect(encodings).toContain('API.UZQkKbsOpz:utf-8-bom');
    expect(encodings).toContain('API.zH584wn59r:utf-8');
  });

  it('writes Big5 that Python decodes to the same text, and ROC dates in yyyMMdd', () => {
    const file = all('wang-hsiao-ming', 'API.syWqjr4flJ');
    const text = execFileSync('python3', ['-c', 'import sys; sys.stdout.write(sys.stdin.buffer.read().decode("big5"))'], { input: file.bytes }).toString('utf8');
    expect(text.split('\r\n')[0]).toBe('所得年度,所得類別,扣繳單位名稱,給付總額,扣繳稅額');
    expect(text).toContain('114,薪資,宏遠精密工業股份有限公司,1086000,');
    const labour = new TextDecoder().decode(all('wang-hsiao-ming', 'API.UZQkKbsOpz').bytes);
    expect(labour).toContain('立成電子有限公司,33300,1010702,1080331');
  });

  it('writes 駕籍 and 公司負責人 in their shapes, read back as cards with ROC dates and amounts', () => {
    const licence = datasetView({ name: 'API.n0c9qVZBQI.json', bytes: all('chen-chih-chiang', 'API.n0c9qVZBQI').bytes, resourceId: null, registry: datasetRegistry(), now: NOW });
    if (licence.view.kind !== 'cards') throw new Error(licence.view.kind);
    expect(licence.view.cards.map((c) => [c.title, c.subtitle])).toEqual([['普通小型車', '正常'], ['職業大貨車', '吊扣']]);
    expect(licence.view.cards[1]?.facts.find((f) => f.label.en === 'Valid until')?.date).toEqual({ raw: '1160830', iso: '2027-08-30' });
    const rows = JSON.parse(new TextDecoder().decode(all('chen-chih-chiang', 'API.ea0klQl5Wp').bytes)) as Record<string, unknown>[];
    // The keys and value types of the public sample: INVEST_AMT a number, dates ROC yyyMMdd, the BAN as text.
    expect(rows[0]).toMatchObject({ CMPY_NAME: '青山綠能股份有限公司', BAN_NO: '53028473', POS_NAME: '董事長', INVEST_AMT: 24000000, DTR_BEG_DATE: '1110915', ESTAB_APP_DATE: '0990915', CMPY_REP: 'Y' });
    const company = datasetView({ name: 'API.ea0klQl5Wp.json', bytes: all('chen-chih-chiang', 'API.ea0klQl5Wp').bytes, resourceId: null, registry: datasetRegistry(), now: NOW });
    if (company.view.kind !== 'cards') throw new Error(company.view.kind);
    const facts = company.view.cards[0]?.facts ?? [];
    expect(facts.find((f) => f.label.en === 'Established')?.date?.iso).toBe('2010-09-15');
    expect(facts.find((f) => f.label.en === 'Investment (NT$)')?.number).toBe(24000000);
  });

  it('carries CJK Extension B names through to the household view', () => {
    const file = all('lin-mei-hua', 'API.UDauDOLyZg');
    const r = datasetView({ name: file.name, bytes: file.bytes, resourceId: null, registry: datasetRegistry(), now: NOW });
    if (r.view.kind !== 'household') throw new Error(r.view.kind);
    const name = r.view.members.map((m) => m.name).find((n) => /[\u{20000}-\u{2A6DF}]/u.test(n));
    expect(name).toBe('吳宗𡘙');
  });
});
