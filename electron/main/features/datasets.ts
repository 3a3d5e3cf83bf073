// IPC for readable dataset views, one dataset's Excel CSV export, and checking an exported history in the app.
import { join } from 'node:path';
import { DatasetService, type SaveRequest } from '../../core/datasets/service.ts';
import { verifyCsvExport } from '../../core/history/index.ts';
import type { FeatureContext } from './context.ts';

export interface DatasetFeatureOptions {
  /** Main's save dialog; without one (the test bridge) files go to the profile's exports/ folder. */
  chooseSavePath?: (request: SaveRequest) => Promise<string | null>;
}

export function registerDatasets(ctx: FeatureContext, options: DatasetFeatureOptions = {}): DatasetService {
  const service = new DatasetService({
    stores: ctx.stores,
    clock: ctx.clock,
    chooseSavePath: options.chooseSavePath ?? ((request) => Promise.resolve(join(ctx.profileDir, 'exports', request.defaultName))),
  });
  ctx.dispatcher.handle('dataset:view', ({ id, name }) => service.view(id, name));
  ctx.dispatcher.handle('dataset:export-csv', ({ id, name }) => service.exportCsv(id, name));
  // The same check as `npm run history:verify`, on the text of the file the person picked in the renderer.
  ctx.dispatcher.handle('history:check-export', ({ text }) => {
    const r = verifyCsvExport(text);
    return r.ok
      ? { ok: true as const, records: r.records, chainHead: r.chain_head, prunedCount: r.pruned_count }
      : { ok: false as const, kind: r.kind, position: r.position, line: r.line, reason: r.reason };
  });
  return service;
}
