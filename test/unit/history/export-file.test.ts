// The streamed CSV export on a worker (G14, G15): the same bytes as exportCsv, progress as rows go, a cancel that leaves
// nothing, and a log file damaged since it was opened refused instead of exported.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../electron/contract/errors.ts';
import { HistoryErrorCode } from '../../../electron/core/history/errors.ts';
import { exportCsvFile } from '../../../electron/core/history/export-file.ts';
import { exportCsv, verifyCsvExport } from '../../../electron/core/history/export.ts';
import { segmentStarts } from '../../../electron/core/history/export-worker.ts';
import { HistoryLog, LOG_FILE, PARALLEL_MIN_BYTES } from '../../../electron/core/history/log.ts';
import { KEY, entry, tempDir, writeLogFile } from './fixtures.ts';
import { mountTmpfs, releaseTmpfs } from '../../support/tmpfs.ts';

const AT = new Date('2026-01-02T03:04:05Z');

async function failure(p: Promise<unknown>): Promise<AppFailure> {
  const error = await p.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppFailure);
  return error as AppFailure;
}

describe('streamed CSV export', { timeout: 120_000 }, () => {
  it('writes exactly what exportCsv gives, reporting progress up to the total', async () => {
    const dir = tempDir();
    writeLogFile(dir, 5000);
    const log = await HistoryLog.open({ dir, key: KEY, frameWorker: null });
    await log.append(entry(5000));
    const dest = join(dir, 'out', 'history.csv');
    const progress: number[] = [];
    const result = await exportCsvFile(log, dest, { exportedAt: AT, onProgress: (done, total) => {
      expect(total).toBe(5001);
      progress.push(done);
    } });
    const text = readFileSync(dest, 'utf8');
    expect(text).toBe(exportCsv(log, AT));
    expect(result).toMatchObject({ head: log.head(), records: 5001, bytes: Buffer.byteLength(text) });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(5001);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(verifyCsvExport(text)).toMatchObject({ ok: true, records: 5001, chain_head: log.head() });
    expect(readdirSync(join(dir, 'out'))).toEqual(['history.csv']);
    await log.close();
  });

  it('gives the same bytes over two workers, on one thread, and when the second worker fails (the first does its segments too)', async () => {
    const dir = tempDir();
    writeLogFile(dir, 6000);
    const log = await HistoryLog.open({ dir, key: KEY, frameWorker: null });
    const expected = exportCsv(log, AT);
    expect(statSync(join(dir, LOG_FILE)).size).toBeGreaterThan(PARALLEL_MIN_BYTES); // large enough to be split
    const ways: [string, URL | null | undefined][] = [
      ['two workers', undefined],
      ['one thread', null],
      ['failing second worker', new URL('./no-such-export-worker.ts', import.meta.url)],
      ['second worker dies when asked', new URL('./dying-export-part.ts', import.meta.url)],
      ['second worker claims segments and dies', new URL('./claiming-export-part.ts', import.meta.url)],
    ];
    for (const [name, partWorker] of ways) {
      const dest = join(dir, 'out', `${name}.csv`);
      const progress: number[] = [];
      await exportCsvFile(log, dest, { exportedAt: AT, partWorker, onProgress: (done) => progress.push(done) });
      expect(readFileSync(dest, 'utf8'), name).toBe(expected);
      expect(progress.at(-1), name).toBe(6000);
    }
    expect(readdirSync(join(dir, 'out')).sort()).toEqual([
      'failing second worker.csv',
      'one thread.csv',
      'second worker claims segments and dies.csv',
      'second worker dies when asked.csv',
      'two workers.csv',
    ]);
    await log.close();
  });

  it('a cancel stops it and leaves nothing at the destination', async () => {
    const dir = tempDir();
    writeLogFile(dir, 20_000);
    const log = await HistoryLog.open({ dir, key: KEY, frameWorker: null });
    const dest = join(dir, 'out', 'history.csv');
    const controller = new AbortController();
    const error = await failure(exportCsvFile(log, dest, { signal: controller.signal, onProgress: () => controller.abort() }));
    expect(error.code).toBe(HistoryErrorCode.EXPORT_CANCELLED);
    expect(existsSync(dest)).toBe(false);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
    await log.close();
  });

  it('a log file altered since it was opened is not exported', async () => {
    const dir = tempDir();
    writeLogFile(dir, 50);
    const log = await HistoryLog.open({ dir, key: KEY, frameWorker: null });
    const path = join(dir, LOG_FILE);
    const bytes = readFileSync(path);
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 1;
    writeFileSync(path, bytes);
    const dest = join(dir, 'out', 'history.csv');
    expect((await failure(exportCsvFile(log, dest))).code).toBe(HistoryErrorCode.BROKEN);
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
    await log.close();
  });

  it('a log done in segments is refused when damaged early or late, and when a segment does not continue the one before', async () => {
    const dir = tempDir();
    writeLogFile(dir, 6000);
    const path = join(dir, LOG_FILE);
    const good = readFileSync(path);
    const starts = segmentStarts(good);
    expect(starts.length).toBeGreaterThan(2);
    const second = starts[1];
    const log = await HistoryLog.open({ dir, key: KEY, frameWorker: null });
    const dest = join(dir, 'out', 'history.csv');
    for (const at of [0.25, 0.75]) {
      const bytes = Buffer.from(good);
      const i = Math.floor(bytes.length * at);
      bytes[i] = (bytes[i] ?? 0) ^ 1;
      writeFileSync(path, bytes);
      expect((await failure(exportCsvFile(log, dest))).code, String(at)).toBe(HistoryErrorCode.BROKEN);
    }
    // Every frame authenticates and each segment chains within itself; only the first record of the second segment
    // names a `prev` other than the first segment's last hash. Put in place of the open log's file, both ways of
    // exporting must refuse it as broken (an export that took a segment's word for where the chain stood would
    // report the file as changed instead).
    const other = tempDir();
    writeLogFile(other, 6000, undefined, undefined, second?.index ?? 0);
    const swapped = readFileSync(join(other, LOG_FILE));
    expect(segmentStarts(swapped)).toEqual(starts);
    writeFileSync(path, swapped);
    for (const partWorker of [undefined, null]) {
      expect((await failure(exportCsvFile(log, dest, { partWorker }))).code, String(partWorker)).toBe(HistoryErrorCode.BROKEN);
    }
    expect(readdirSync(join(dir, 'out'))).toEqual([]);
    await log.close();
  });
});

const tmpfsBase = join(tmpdir(), `history-export-tmpfs-${String(process.pid)}`);
const exportMount = join(tmpfsBase, 'out');

describe('streamed CSV export on a really full disk (tmpfs; needs root and mount)', { timeout: 120_000 }, () => {
  afterAll(() => {
    releaseTmpfs(tmpfsBase, [exportMount]);
  });

  it('an export on two threads that runs out of space partway is HISTORY_EXPORT_DISK_FULL and leaves nothing', async (context) => {
    const dir = tempDir();
    writeLogFile(dir, 6000);
    const log = await HistoryLog.open({ dir, key: KEY, frameWorker: null });
    const csvBytes = Buffer.byteLength(exportCsv(log, AT));
    // Room for three quarters of the rows: the disk fills while both workers are still at work.
    if (!mountTmpfs({ path: exportMount, size: `${String(Math.floor((csvBytes * 0.75) / 1024))}k` })) {
      await log.close();
      context.skip();
      return;
    }
    const dest = join(exportMount, 'history.csv');
    const progress: number[] = [];
    const error = await failure(exportCsvFile(log, dest, { exportedAt: AT, onProgress: (done) => progress.push(done) }));
    expect(error.code).toBe(HistoryErrorCode.EXPORT_DISK_FULL);
    expect(readdirSync(exportMount)).toEqual([]);
    // The same export where there is room gives the whole file.
    const roomy = join(dir, 'out', 'history.csv');
    await exportCsvFile(log, roomy, { exportedAt: AT });
    expect(readFileSync(roomy, 'utf8')).toBe(exportCsv(log, AT));
    await log.close();
  });
});
