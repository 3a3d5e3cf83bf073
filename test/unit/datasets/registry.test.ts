// The shipped dataset registry: real ids, names, providers, and a source for every fact.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { datasetIdOfFile, datasetRegistry, parseRegistry } from '../../../electron/core/datasets/registry.ts';
import { resourcePath } from '../../../electron/core/resources.ts';

const raw = (): { datasets: Record<string, unknown>[]; [k: string]: unknown } => JSON.parse(readFileSync(resourcePath('datasets', 'registry.json'), 'utf8'));

describe('dataset registry', () => {
  it('knows the datasets people download most, with their providers', () => {
    const r = datasetRegistry();
    const expectProvider = (id: string, name: string, provider: string) => {
      const e = r.get(id);
      expect(e?.name_zh, id).toContain(name);
      expect(e?.provider?.zh, id).toBe(provider);
    };
    expectProvider('API.7QovE2Gev6', '個人戶籍資料', '內政部戶政司');
    expectProvider('API.UDauDOLyZg', '全戶戶籍資料', '內政部戶政司');
    expectProvider('API.UZQkKbsOpz', '勞工保險', '勞動部勞工保險局');
    expectProvider('API.zH584wn59r', '投退保', '衛生福利部中央健康保險署');
    expectProvider('API.syWqjr4flJ', '所得', '財政部財政資訊中心');
    expectProvider('API.60GGfgGX1A', '車籍', '交通部公路局');
    expectProvider('API.n0c9qVZBQI', '駕籍', '交通部公路局');
    expectProvider('API.ea0klQl5Wp', '公司', '經濟部商業發展署');
  });

  it('records a source for the name and the provider of every dataset, and for the shape of every readable view', () => {
    for (const e of datasetRegistry().all()) {
      expect(e.sources.id_and_name.length, e.id).toBeGreaterThan(10);
      expect(e.sources.provider, e.id).toMatch(/^(confirmed|inferred|sources differ|unknown)/);
      if (e.view) expect(e.sources.shape, e.id).toBeTruthy();
      expect(e.name_en, e.id).not.toBe('');
    }
  });

  it('does not invent assurance levels no source gives', () => {
    for (const e of datasetRegistry().all()) expect(e.level_required, e.id).toBeNull();
  });

  it('refuses a registry with a fake id, a duplicate, or a provider without a source', () => {
    const bad = raw();
    bad.datasets = [{ ...bad.datasets[0], id: 'household' }];
    expect(() => parseRegistry(bad)).toThrow();
    const dup = raw();
    const first = dup.datasets[0] ?? {};
    dup.datasets = [first, first];
    expect(() => parseRegistry(dup)).toThrow(/duplicate/);
    const unsourced = raw();
    unsourced.datasets = [{ ...unsourced.datasets[0], sources: { id_and_name: 'x (somewhere)', provider: 'unknown', shape: 'x' } }];
    expect(() => parseRegistry(unsourced)).toThrow(/provider and its source/);
    const levelled = raw();
    levelled.datasets = [{ ...levelled.datasets[0], level_required: 2 }];
    expect(() => parseRegistry(levelled)).toThrow(/level needs the source/);
    const stated = raw();
    const base = stated.datasets[0] as { sources: Record<string, string> };
    stated.datasets = [{ ...base, level_required: 2, sources: { ...base.sources, level: 'a public page (address)' } }];
    expect(parseRegistry(stated).all()[0]?.level_required).toBe(2);
  });

  it('answers null for an id it does not know (such a dataset still imports, listed as unknown)', () => {
    expect(datasetRegistry().get('API.ZZZZZZZZZZ')).toBeNull();
    expect(datasetRegistry().get('household-registration')).toBeNull();
  });

  it('finds the dataset of a file from its part folder, its name, or the package', () => {
    expect(datasetIdOfFile('API.UZQkKbsOpz/person.csv')).toBe('API.UZQkKbsOpz');
    expect(datasetIdOfFile('API.syWqjr4flJ.csv')).toBe('API.syWqjr4flJ');
    expect(datasetIdOfFile('data.json', 'API.60GGfgGX1A')).toBe('API.60GGfgGX1A');
    expect(datasetIdOfFile('API.syWqjr4flJX.csv')).toBeNull();
    expect(datasetIdOfFile('report.csv')).toBeNull();
  });
});
