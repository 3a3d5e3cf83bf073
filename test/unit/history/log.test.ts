// History log (G14): round trips, tamper detection by position (property tests), torn tails, keys, retention, deletion.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HistoryLog, LOG_FILE } from '../../../electron/core/history/log.ts';
import { GENESIS } from '../../../electron/core/history/chain.ts';
import { HEADER_SIZE } from '../../../electron/core/history/format.ts';
import { AppFailure } from '../../../electron/contract/errors.ts';
import { KEY, OTHER_KEY, entry, tempDir } from './fixtures.ts';

/** Splits a log file into its header and whole frames (marker, type, u32 length, body, 32-byte mac). */
function split(bytes: Buffer): { header: Buffer; frames: Buffer[] } {
  const frames: Buffer[] = [];
  let off = HEADER_SIZE;
  while (off < bytes.length) {
    const len = bytes.readUInt32BE(off + 5);
    frames.push(bytes.subarray(off, off + 9 + len + 32));
    off += 9 + len + 32;
  }
  return { header: bytes.subarray(0, HEADER_SIZE), frames };
}

async function makeLog(n: number, dir = tempDir()): Promise<{ dir: string; file: string; head: string; ids: string[] }> {
  const log = await HistoryLog.open({ dir, key: KEY });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await log.append(entry(i))).id);
  const head = log.head();
  await log.close();
  return { dir, file: join(dir, LOG_FILE), head, ids };
}

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    if (error instanceof AppFailure) return error.code;
    throw error;
  }
  return 'resolved';
}

describe('history log round trip', () => {
  it('appends, reopens and verifies, with the same records and head', async () => {
    const { dir, head, ids } = await makeLog(30);
    const log = await HistoryLog.open({ dir, key: KEY });
    expect(log.count).toBe(30);
    expect(log.head()).toBe(head);
    expect(log.records().map((r) => r.id)).toEqual(ids);
    expect(log.records().map((r) => r.seq)).toEqual([...Array(30).keys()]);
    expect(log.records()[3]?.tx_id).toBe('tx-000003');
    expect(log.integrity()).toMatchObject({ count: 30, broken: null, torn_tail_dropped: null, pruned_count: 0 });
    expect(await log.verify()).toMatchObject({ broken: null, head });
    await log.close();
  });

  it('starts an empty log at the genesis value and keeps no plaintext on disk', async () => {
    const dir = tempDir();
    const log = await HistoryLog.open({ dir, key: KEY });
    expect(log.head()).toBe(GENESIS);
    expect(log.openReport.created).toBe(true);
    await log.append(entry(0));
    await log.close();
    const raw = readFileSync(join(dir, LOG_FILE));
    expect(raw.includes(Buffer.from('A12345'))).toBe(false);
    expect(raw.includes(Buffer.from('tx-000000'))).toBe(false);
  });

  it('refuses an unmasked national ID and other invalid entries (nothing written)', async () => {
    const dir = tempDir();
    const log = await HistoryLog.open({ dir, key: KEY });
    const bad = { ...entry(0), subject: { masked_id: 'A123456789', type: 'natural' as const } };
    expect(await code(log.append(bad))).toBe('HISTORY_INVALID_ENTRY');
    const legalUnmasked = { ...entry(0), subject: { masked_id: '12345678', type: 'legal' as const } };
    expect(await code(log.append(legalUnmasked))).toBe('HISTORY_INVALID_ENTRY');
    const mismatch = { ...entry(0), subject: { masked_id: '1234****', type: 'natural' as const } };
    expect(await code(log.append(mismatch))).toBe('HISTORY_INVALID_ENTRY');
    expect(log.count).toBe(0);
    expect(statSync(join(dir, LOG_FILE)).size).toBe(HEADER_SIZE);
    await log.close();
  });

  it('serialises concurrent appends into one chain', async () => {
    const dir = tempDir();
    const log = await HistoryLog.open({ dir, key: KEY });
    const done = await Promise.all(Array.from({ length: 20 }, (_, i) => log.append(entry(i))));
    expect(done.map((r) => r.seq).sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    await log.close();
    const again = await HistoryLog.open({ dir, key: KEY });
    expect(again.integrity().broken).toBeNull();
    expect(again.count).toBe(20);
    await again.close();
  });
});

describe('keys', () => {
  it('detects a wrong key by name, and a file that is not a log', async () => {
    const { dir } = await makeLog(3);
    expect(await code(HistoryLog.open({ dir, key: OTHER_KEY }))).toBe('HISTORY_WRONG_KEY');
    expect(await code(HistoryLog.open({ dir, key: new Uint8Array(16) }))).toBe('HISTORY_BAD_KEY');
    const other = tempDir();
    writeFileSync(join(other, LOG_FILE), 'hello, this is not a history log at all; padding '.repeat(4));
    expect(await code(HistoryLog.open({ dir: other, key: KEY }))).toBe('HISTORY_NOT_A_LOG');
  });
});

type Tamper =
  | { op: 'change'; i: number; at: number }
  | { op: 'remove'; i: number }
  | { op: 'swap'; i: number; j: number }
  | { op: 'insert'; i: number; copyOf: number };

function tamper(frames: Buffer[], t: Tamper): Buffer[] {
  const out = frames.map((f) => Buffer.from(f));
  switch (t.op) {
    case 'change': {
      const f = out[t.i]!;
      // Every byte except the last frame's length field (that one is covered by the torn-tail tests).
      const at = t.i === out.length - 1 && t.at >= 5 && t.at < 9 ? 9 + (t.at % (f.length - 9)) : t.at % f.length;
      f[at] = f[at]! ^ 0x5a;
      return out;
    }
    case 'remove':
      out.splice(t.i, 1);
      return out;
    case 'swap': {
      const a = out[t.i]!;
      out[t.i] = out[t.j]!;
      out[t.j] = a;
      return out;
    }
    case 'insert':
      out.splice(t.i, 0, Buffer.from(out[t.copyOf]!));
      return out;
  }
}

describe('tamper detection (property)', () => {
  it('any single changed, removed, reordered or inserted record is reported at its position', async () => {
    const N = 12;
    const { file, head } = await makeLog(N);
    const original = readFileSync(file);
    const { header, frames } = split(original);
    expect(frames).toHaveLength(N);
    const arb: fc.Arbitrary<Tamper> = fc.oneof(
      fc.record({ op: fc.constant('change' as const), i: fc.nat(N - 1), at: fc.nat(2000) }),
      fc.record({ op: fc.constant('remove' as const), i: fc.nat(N - 1) }),
      fc.nat(N - 1).chain((i) => fc.record({ op: fc.constant('swap' as const), i: fc.constant(i), j: fc.integer({ min: i + 1, max: N }) })).filter((t) => t.j < N),
      fc.record({ op: fc.constant('insert' as const), i: fc.nat(N), copyOf: fc.nat(N - 1) }),
    );
    await fc.assert(
      fc.asyncProperty(arb, async (t) => {
        const dir = tempDir();
        writeFileSync(join(dir, LOG_FILE), Buffer.concat([header, ...tamper(frames, t)]));
        const log = await HistoryLog.open({ dir, key: KEY });
        try {
          if (t.op === 'remove' && t.i === N - 1) {
            // Dropping the last record leaves a shorter valid chain: only the head shows it (compare with a receipt).
            expect(log.integrity().broken).toBeNull();
            expect(log.head()).not.toBe(head);
            return;
          }
          expect(log.openReport.torn_tail_dropped).toBeNull();
          // A copy of record i inserted right before it is indistinguishable from it: the second copy is the bad one.
          const expected = t.op === 'insert' && t.copyOf === t.i ? t.i + 1 : t.i;
          expect(log.integrity().broken?.position).toBe(expected);
          expect(await code(log.append(entry(99)))).toBe('HISTORY_BROKEN');
        } finally {
          await log.close();
        }
      }),
      { numRuns: 120 },
    );
  });

  it('catches a forger who re-computes the unkeyed frame hashes after moving a record (GCM binds position)', async () => {
    const { dir, file } = await makeLog(8);
    const { header, frames } = split(readFileSync(file));
    const moved = tamper(frames, { op: 'swap', i: 3, j: 5 });
    let prev = Buffer.from(GENESIS, 'hex');
    const rehashed = moved.map((f, index) => {
      const idx = Buffer.alloc(8);
      idx.writeBigUInt64BE(BigInt(index));
      const hash = createHash('sha256').update(prev).update(idx).update(f.subarray(4, f.length - 32)).digest();
      prev = hash;
      return Buffer.concat([f.subarray(0, f.length - 32), hash]);
    });
    writeFileSync(file, Buffer.concat([header, ...rehashed]));
    const log = await HistoryLog.open({ dir, key: KEY });
    expect(log.broken).toMatchObject({ position: 3, reason: 'decrypt' });
    await log.close();
  });

  it('keeps a broken log readable, then keeps the valid prefix on request with the damaged file as evidence', async () => {
    const { dir, file } = await makeLog(10);
    const { header, frames } = split(readFileSync(file));
    writeFileSync(file, Buffer.concat([header, ...tamper(frames, { op: 'change', i: 6, at: 40 })]));
    const log = await HistoryLog.open({ dir, key: KEY });
    expect(log.broken).toMatchObject({ position: 6 });
    // Record 6 no longer authenticates; 7–9 still do and stay readable, flagged by the break at 6.
    expect(log.records().map((r) => r.seq)).toEqual([0, 1, 2, 3, 4, 5, 7, 8, 9]);
    expect(await code(log.keepValidPrefix({} as { confirm: true }))).toBe('HISTORY_NOT_CONFIRMED');
    const { evidence, dropped } = await log.keepValidPrefix({ confirm: true });
    expect(existsSync(evidence)).toBe(true);
    expect(dropped).toBe(3);
    expect(log.count).toBe(6);
    expect((await log.append(entry(6))).seq).toBe(6);
    await log.close();
    const again = await HistoryLog.open({ dir, key: KEY });
    expect(again.integrity()).toMatchObject({ broken: null, count: 7 });
    await again.close();
  });

  it('verify() on demand notices a file changed behind the open log', async () => {
    const { dir, file } = await makeLog(5);
    const log = await HistoryLog.open({ dir, key: KEY });
    const bytes = readFileSync(file);
    bytes[bytes.length - 40] = bytes[bytes.length - 40]! ^ 1;
    writeFileSync(file, bytes);
    expect((await log.verify()).broken?.position).toBe(4);
    expect(await code(log.append(entry(5)))).toBe('HISTORY_BROKEN');
    await log.close();
  });
});

describe('torn tail', () => {
  it('drops a partial last frame, reports it, and keeps appending (property over cut points)', async () => {
    const { file: srcFile, head } = await makeLog(6);
    const full = readFileSync(srcFile);
    const { header, frames } = split(full);
    const five = Buffer.concat([header, ...frames.slice(0, 5)]);
    const last = frames[5]!;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: last.length - 1 }), fc.boolean(), async (cut, zeros) => {
        const dir = tempDir();
        const tail = zeros ? Buffer.alloc(last.length) : last.subarray(0, cut);
        writeFileSync(join(dir, LOG_FILE), Buffer.concat([five, tail]));
        const log = await HistoryLog.open({ dir, key: KEY });
        expect(log.openReport.torn_tail_dropped).toEqual({ offset: five.length, bytes: tail.length });
        expect(log.integrity().broken).toBeNull();
        expect(log.count).toBe(5);
        expect(statSync(join(dir, LOG_FILE)).size).toBe(five.length);
        await log.append(entry(5));
        await log.close();
        const again = await HistoryLog.open({ dir, key: KEY });
        expect(again.integrity()).toMatchObject({ broken: null, count: 6, torn_tail_dropped: null });
        expect(again.head()).not.toBe(head); // a new record 5 (new id and time), chained from record 4
        await again.close();
      }),
      { numRuns: 40 },
    );
  });

  it('does not mistake a damaged length in the middle for a torn tail', async () => {
    const { dir, file } = await makeLog(4);
    const bytes = readFileSync(file);
    const { frames } = split(bytes);
    const off = HEADER_SIZE + frames[0]!.length;
    bytes.writeUInt32BE(bytes.length, off + 5); // frame 1 claims to run past the end of the file
    writeFileSync(file, bytes);
    const log = await HistoryLog.open({ dir, key: KEY });
    expect(log.openReport.torn_tail_dropped).toBeNull();
    expect(log.broken).toMatchObject({ position: 1, reason: 'framing' });
    await log.close();
  });
});

describe('retention', () => {
  const DAY = 86_400_000;
  it('prunes only records older than the retention period, keeping the chain verifiable', async () => {
    const dir = tempDir();
    let now = Date.parse('2021-01-01T00:00:00Z');
    const clock = { now: () => new Date(now) };
    const log = await HistoryLog.open({ dir, key: KEY, clock });
    for (let i = 0; i < 10; i++) {
      now = Date.parse('2021-01-01T00:00:00Z') + i * 30 * DAY;
      await log.append(entry(i, now - i * 3_600_000));
    }
    const hashesBefore = [...log.hashes()];
    const headBefore = log.head();
    // Two years after record 4 was made, plus a day: records 0–4 are older than two years, 5–9 are not.
    now = Date.parse('2021-01-01T00:00:00Z') + 4 * 30 * DAY + 2 * 365 * DAY + 2 * DAY;
    expect(log.getRetentionYears()).toBe(2);
    expect(() => log.setRetentionYears(1)).toThrow(/HISTORY_RETENTION_TOO_SHORT/);
    expect(await log.prune()).toEqual({ pruned: 5 });
    expect(log.records().map((r) => r.seq)).toEqual([5, 6, 7, 8, 9]);
    expect(log.head()).toBe(headBefore);
    expect([...log.hashes()]).toEqual(hashesBefore.slice(5));
    expect(log.integrity()).toMatchObject({ pruned_count: 5, count: 5, broken: null });
    expect((await log.append(entry(10, now))).seq).toBe(10);
    expect(await log.prune()).toEqual({ pruned: 0 });
    await log.close();
    const again = await HistoryLog.open({ dir, key: KEY, clock });
    expect(again.integrity()).toMatchObject({ pruned_count: 5, count: 6, broken: null });
    expect(again.checkpoint?.head).toBe(hashesBefore[4]);
    await again.close();
    await expect(HistoryLog.open({ dir, key: KEY, retentionYears: 1 })).rejects.toThrow(/HISTORY_RETENTION_TOO_SHORT/);
  });

  it('never prunes a record younger than the retention period (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 6 * 365 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 2, max: 4 }), async (ages, years) => {
        const dir = tempDir();
        const end = Date.parse('2030-06-01T00:00:00Z');
        let now = 0;
        const log = await HistoryLog.open({ dir, key: KEY, clock: { now: () => new Date(now) }, retentionYears: years });
        const sorted = [...ages].sort((a, b) => b - a);
        for (const [i, age] of sorted.entries()) {
          now = end - age * DAY;
          await log.append(entry(i, now));
        }
        now = end;
        const cutoff = new Date(end);
        cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
        const { pruned } = await log.prune();
        for (const r of log.records()) expect(r.seq).toBeGreaterThanOrEqual(pruned);
        expect(sorted.slice(0, pruned).every((age) => end - age * DAY < cutoff.getTime())).toBe(true);
        expect(sorted.slice(pruned).every((age) => end - age * DAY >= cutoff.getTime())).toBe(true);
        await log.close();
      }),
      { numRuns: 25 },
    );
  });

  it('deleteAll needs the confirmation and then drops everything, chain back to genesis', async () => {
    const { dir } = await makeLog(5);
    const log = await HistoryLog.open({ dir, key: KEY });
    expect(await code(log.deleteAll({} as { confirm: true }))).toBe('HISTORY_NOT_CONFIRMED');
    expect(log.count).toBe(5);
    await log.deleteAll({ confirm: true });
    expect(log.count).toBe(0);
    expect(log.head()).toBe(GENESIS);
    expect(log.query().total).toBe(0);
    await log.append(entry(0));
    await log.close();
    const again = await HistoryLog.open({ dir, key: KEY });
    expect(again.integrity()).toMatchObject({ count: 1, broken: null, pruned_count: 0 });
    await again.close();
  });
});
