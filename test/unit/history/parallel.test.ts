// Opening a large history log on two threads (log.ts + frame-worker.ts) must find exactly what the one-thread
// check finds — the same records, chain head and first damage by position — for intact and damaged logs alike.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER_SIZE } from '../../../electron/core/history/format.ts';
import { HistoryLog, LOG_FILE, PARALLEL_MIN_BYTES } from '../../../electron/core/history/log.ts';
import { KEY, OTHER_KEY, tempDir, writeLogFile } from './fixtures.ts';

/** Enough records for the log to pass PARALLEL_MIN_BYTES (each frame is about 900 bytes). */
const N = 5200;
let source: Buffer;
let frames: { offset: number; length: number }[];
const dirs: string[] = [];

function frameTable(bytes: Buffer): { offset: number; length: number }[] {
  const out: { offset: number; length: number }[] = [];
  let off = HEADER_SIZE;
  while (off < bytes.length) {
    const length = 9 + bytes.readUInt32BE(off + 5) + 32;
    out.push({ offset: off, length });
    off += length;
  }
  return out;
}

function dirWith(bytes: Buffer): string {
  const dir = tempDir();
  dirs.push(dir);
  writeFileSync(join(dir, LOG_FILE), bytes);
  return dir;
}

/** Opens the same bytes twice — one thread, then two — and returns what each saw. */
async function both(bytes: Buffer, frameWorker?: URL) {
  const seen = [];
  for (const worker of [null, frameWorker]) {
    const log = await HistoryLog.open({ dir: dirWith(bytes), key: KEY, ...(worker === undefined ? {} : { frameWorker: worker }) });
    seen.push({
      parallel: log.openReport.parallel,
      // Reports carry a random id and the time they were found; what they say must be the same.
      integrity: { ...log.integrity(), reports: log.integrity().reports.map((r) => ({ kind: r.kind, expected: r.expected, found: r.found, missing: r.missing, torn: r.torn })) },
      broken: log.broken,
      head: log.head(),
      ids: log.records().map((r) => r.id),
      hashes: [...log.hashes()],
    });
    await log.close();
  }
  return { single: seen[0]!, parallel: seen[1]! };
}

beforeAll(() => {
  const dir = tempDir();
  dirs.push(dir);
  source = readFileSync(writeLogFile(dir, N));
  frames = frameTable(source);
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('two-thread open', () => {
  it('reads an intact large log on the worker, with the same records, hashes and head as one thread', async () => {
    expect(source.length).toBeGreaterThan(PARALLEL_MIN_BYTES);
    const { single, parallel } = await both(source);
    expect(single.parallel).toBe(false);
    expect(parallel.parallel).toBe(true);
    expect(parallel.integrity.broken).toBeNull();
    expect(parallel.ids).toHaveLength(N);
    expect(parallel).toEqual({ ...single, parallel: true });
  });

  it('reports the same first damage and torn tails as one thread (property)', async () => {
    type Damage = { op: 'flip'; frame: number; at: number } | { op: 'drop'; frame: number } | { op: 'tear'; keep: number };
    const arb: fc.Arbitrary<Damage> = fc.oneof(
      fc.record({ op: fc.constant('flip' as const), frame: fc.nat(N - 1), at: fc.nat(1200) }),
      fc.record({ op: fc.constant('drop' as const), frame: fc.nat(N - 2) }),
      fc.record({ op: fc.constant('tear' as const), keep: fc.integer({ min: 1, max: 800 }) }),
    );
    await fc.assert(
      fc.asyncProperty(arb, async (d) => {
        let bytes: Buffer;
        if (d.op === 'flip') {
          const f = frames[d.frame]!;
          bytes = Buffer.from(source);
          // Not the length field: a changed length is a framing loss, checked below by 'tear' and by log.test.ts.
          const at = f.offset + 9 + (d.at % (f.length - 9));
          bytes[at] = bytes[at]! ^ 0x24;
        } else if (d.op === 'drop') {
          const f = frames[d.frame]!;
          bytes = Buffer.concat([source.subarray(0, f.offset), source.subarray(f.offset + f.length)]);
        } else {
          bytes = source.subarray(0, source.length - (frames.at(-1)!.length - Math.min(d.keep, frames.at(-1)!.length - 1)));
        }
        const { single, parallel } = await both(bytes);
        expect(parallel.parallel).toBe(true);
        expect(parallel).toEqual({ ...single, parallel: true });
        if (d.op === 'tear') expect(parallel.integrity.torn_tail_dropped).not.toBeNull();
        else expect(parallel.broken?.position).toBe(d.frame);
      }),
      { numRuns: 12 },
    );
  });

  it('falls back to one thread when the worker cannot start, and still refuses a wrong key', async () => {
    const missing = pathToFileURL(resolve(tempDir(), 'no-such-worker.js'));
    const { single, parallel } = await both(source, missing);
    expect(parallel.parallel).toBe(false);
    expect(parallel).toEqual(single);
    await expect(HistoryLog.open({ dir: dirWith(source), key: OTHER_KEY })).rejects.toMatchObject({ code: 'HISTORY_WRONG_KEY' });
  });

  it('verify() on demand re-checks on the worker and notices a change made after open', async () => {
    const dir = dirWith(source);
    const log = await HistoryLog.open({ dir, key: KEY });
    expect(log.openReport.parallel).toBe(true);
    const file = join(dir, LOG_FILE);
    const changed = readFileSync(file);
    const f = frames[4000]!;
    changed[f.offset + 40] = changed[f.offset + 40]! ^ 1;
    writeFileSync(file, changed);
    expect(statSync(file).size).toBe(source.length);
    const integrity = await log.verify();
    expect(integrity.broken).toMatchObject({ position: 4000 });
    await log.close();
  });

  const built = resolve(import.meta.dirname, '../../../out/main/history-frame-worker.js');
  // `npm test` builds before the unit tests, so this runs there; a bare `vitest run` without out/ skips it.
  it.skipIf(!existsSync(built))('the built app finds its bundled frame worker (out/main/history-frame-worker.js) and it gives the same result', async () => {
    const { single, parallel } = await both(source, pathToFileURL(built));
    expect(parallel.parallel).toBe(true);
    expect(parallel).toEqual({ ...single, parallel: true });
  });
});
