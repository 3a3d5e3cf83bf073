// Rollback and truncation of the history (G14): an older copy of the log put back, a log cut at a record boundary,
// a torn tail, and the high-water mark itself removed or altered are reported, and the reports stay until acknowledged.
import { copyFileSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GENESIS } from '../../../electron/core/history/chain.ts';
import { HistoryLog, LOG_FILE } from '../../../electron/core/history/log.ts';
import { KEY, entry, tempDir } from './fixtures.ts';

const MARK_KEY = new Uint8Array(32).fill(3);

function setup() {
  const root = tempDir();
  const dir = join(root, 'history');
  const markPath = join(root, 'history.mark');
  const open = (markKey: Uint8Array = MARK_KEY) => HistoryLog.open({ dir, key: KEY, mark: { path: markPath, key: markKey } });
  return { root, dir, markPath, logPath: join(dir, LOG_FILE), open };
}

async function appendN(log: HistoryLog, from: number, n: number): Promise<number[]> {
  const sizes: number[] = [];
  for (let i = from; i < from + n; i++) {
    await log.append(entry(i));
    sizes.push(statSync(log.path).size);
  }
  return sizes;
}

describe('history high-water mark', () => {
  it('an older copy of the log put back is reported as rolled back, with what is missing, until acknowledged', async () => {
    const s = setup();
    let log = await s.open();
    await appendN(log, 0, 5);
    await log.close();
    copyFileSync(s.logPath, join(s.root, 'old.log'));
    log = await s.open();
    await appendN(log, 5, 3);
    const head = log.head();
    await log.close();

    copyFileSync(join(s.root, 'old.log'), s.logPath);
    log = await s.open();
    const [report, ...others] = log.integrity().reports;
    expect(others).toEqual([]);
    expect(report).toMatchObject({ kind: 'rolled-back', missing: 3, expected: { count: 8, head }, found: { count: 5 } });
    // The log itself still verifies: the rollback is about what is missing, not about damage.
    expect(log.integrity().broken).toBeNull();
    await log.append(entry(100));
    await log.close();

    // Survives a restart, and is not reported twice.
    log = await s.open();
    expect(log.integrity().reports.map((r) => r.id)).toEqual([report?.id]);
    const after = await log.acknowledge(report?.id);
    expect(after.reports).toEqual([]);
    await log.close();
    log = await s.open();
    expect(log.integrity().reports).toEqual([]);
    await log.close();
  });

  it('a log cut at a record boundary (no torn tail to see) is reported as rolled back', async () => {
    const s = setup();
    let log = await s.open();
    const sizes = await appendN(log, 0, 6);
    const head = log.head();
    await log.close();
    truncateSync(s.logPath, sizes[3]);
    log = await s.open();
    expect(log.count).toBe(4);
    expect(log.openReport.torn_tail_dropped).toBeNull();
    expect(log.integrity().reports).toMatchObject([{ kind: 'rolled-back', missing: 2, expected: { count: 6, head }, found: { count: 4 } }]);
    await log.close();
  });

  it('an emptied log, or an old log put back after "delete all", is reported', async () => {
    const s = setup();
    let log = await s.open();
    await appendN(log, 0, 3);
    await log.close();
    copyFileSync(s.logPath, join(s.root, 'old.log'));
    rmSync(s.logPath);
    log = await s.open();
    expect(log.integrity().reports).toMatchObject([{ kind: 'rolled-back', missing: 3, found: { count: 0, head: GENESIS } }]);
    await log.acknowledge();
    await log.deleteAll({ confirm: true });
    await log.close();
    // The old log continues nothing the mark knows now: it is another file.
    copyFileSync(join(s.root, 'old.log'), s.logPath);
    log = await s.open();
    expect(log.integrity().reports).toMatchObject([{ kind: 'replaced', expected: { count: 0, head: GENESIS }, found: { count: 3 } }]);
    await log.close();
  });

  it('a log ahead of its mark (a crash between the record and the mark) opens clean', async () => {
    const s = setup();
    let log = await s.open();
    await appendN(log, 0, 2);
    await log.close();
    copyFileSync(s.markPath, join(s.root, 'mark.before'));
    log = await s.open();
    await appendN(log, 2, 1);
    await log.close();
    copyFileSync(join(s.root, 'mark.before'), s.markPath);
    log = await s.open();
    expect(log.integrity().reports).toEqual([]);
    expect(log.count).toBe(3);
    await log.close();
  });

  it('a torn tail is reported until acknowledged, across restarts', async () => {
    const s = setup();
    let log = await s.open();
    await appendN(log, 0, 2);
    await log.close();
    // Half a frame, as an append interrupted by a crash leaves it.
    appendFileSync(s.logPath, Buffer.concat([Buffer.from('MDHR\u0001', 'latin1'), Buffer.from([0, 0, 1, 0]), Buffer.alloc(40, 1)]));
    log = await s.open();
    expect(log.openReport.torn_tail_dropped).not.toBeNull();
    const [torn] = log.integrity().reports;
    expect(torn).toMatchObject({ kind: 'torn-tail', torn: { bytes: 49 }, found: { count: 2 } });
    await log.close();
    log = await s.open();
    expect(log.openReport.torn_tail_dropped).toBeNull();
    expect(log.integrity().reports.map((r) => r.kind)).toEqual(['torn-tail']);
    await log.acknowledge(torn?.id);
    await log.close();
    log = await s.open();
    expect(log.integrity().reports).toEqual([]);
    await log.close();
  });

  it('a removed, altered or foreign mark is reported, and a new mark is kept from then on', async () => {
    const s = setup();
    let log = await s.open();
    await appendN(log, 0, 2);
    await log.close();

    rmSync(s.markPath);
    log = await s.open();
    expect(log.integrity().reports.map((r) => r.kind)).toEqual(['mark-missing']);
    await log.acknowledge();
    await log.close();

    const bytes = readFileSync(s.markPath);
    // Flip the count of both slots: neither authenticates any more.
    bytes[23] = (bytes[23] ?? 0) ^ 0x40;
    bytes[512 + 23] = (bytes[512 + 23] ?? 0) ^ 0x40;
    writeFileSync(s.markPath, bytes);
    log = await s.open();
    expect(log.integrity().reports.map((r) => r.kind)).toEqual(['mark-tampered']);
    await log.acknowledge();
    await log.close();

    // A mark written under another key (another vault's) does not open either.
    log = await s.open(new Uint8Array(32).fill(4));
    expect(log.integrity().reports.map((r) => r.kind)).toEqual(['mark-tampered']);
    await log.close();
  });

  it('an older reports section spliced onto the current mark does not hide a report', async () => {
    const s = setup();
    let log = await s.open();
    await appendN(log, 0, 3);
    await log.close();
    const clean = readFileSync(s.markPath);
    truncateSync(s.logPath, statSync(s.logPath).size - 1);
    log = await s.open();
    expect(log.integrity().reports.map((r) => r.kind).sort()).toEqual(['rolled-back', 'torn-tail']);
    await log.close();
    const reported = readFileSync(s.markPath);
    // The current slots with the old (empty) reports section: the slots name a reports generation that is not there.
    writeFileSync(s.markPath, Buffer.concat([reported.subarray(0, 1024), clean.subarray(1024)]));
    log = await s.open();
    expect(log.integrity().reports.map((r) => r.kind)).toContain('mark-tampered');
    await log.close();
  });
});
