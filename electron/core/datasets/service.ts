// Readable view and Excel CSV export of one dataset file in the vault (decrypted in memory only; written only where the person says).
import { dirname } from 'node:path';
import type { DatasetViewResult } from '../../contract/datasets.ts';
import type { ExportResult } from '../../contract/package.ts';
import type { Clock } from '../ports.ts';
import type { LocalStores } from '../stores.ts';
import { nodeVaultFs, writeFileAtomic } from '../vault/fsio.ts';
import { datasetRegistry, type DatasetRegistry } from './registry.ts';
import { tableToExcelCsv } from './tables.ts';
import { datasetView } from './views.ts';

/** The largest dataset file shown as a view (bytes); the same bound as the JSON table it replaces. */
export const DATASET_VIEW_MAX_BYTES = 8 * 1024 * 1024;

export interface SaveRequest {
  defaultName: string;
  filters: { name: string; extensions: string[] }[];
}

export interface DatasetServiceOptions {
  stores: LocalStores;
  clock: Clock;
  /** Main's save dialog: a path, or null when the person cancels. */
  chooseSavePath(request: SaveRequest): Promise<string | null>;
  registry?: DatasetRegistry;
}

export class DatasetService {
  readonly #o: DatasetServiceOptions;
  constructor(options: DatasetServiceOptions) {
    this.#o = options;
  }

  async #parse(id: string, name: string): Promise<ReturnType<typeof datasetView>> {
    const { vault } = await this.#o.stores.get();
    const bytes = await vault.readFileBytes(id, name, { maxBytes: DATASET_VIEW_MAX_BYTES });
    return datasetView({ name, bytes, resourceId: null, registry: this.#o.registry ?? datasetRegistry(), now: this.#o.clock.now() });
  }

  async view(id: string, name: string): Promise<DatasetViewResult> {
    const { tables: _tables, ...result } = await this.#parse(id, name);
    return result;
  }

  /** Only on the person's explicit action (the renderer's button); the file goes where the save dialog says. */
  async exportCsv(id: string, name: string): Promise<ExportResult> {
    const parsed = await this.#parse(id, name);
    const base = (name.split('/').pop() ?? 'dataset').replace(/\.(json|csv)$/i, '');
    const path = await this.#o.chooseSavePath({ defaultName: `${base}.csv`, filters: [{ name: 'CSV (Excel)', extensions: ['csv'] }] });
    if (path === null) return { cancelled: true };
    await nodeVaultFs.mkdir(dirname(path));
    await writeFileAtomic(nodeVaultFs, path, tableToExcelCsv(parsed.tables));
    return { cancelled: false, folder: dirname(path), files: [path] };
  }
}
