// Crash safety (G14, §9): a child appending in a loop is SIGKILLed at random points; every acknowledged record survives.
// SIGKILL models a process crash (the kernel keeps what was written); power loss is what the fdatasync covers.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HistoryLog } from '../../../electron/core/history/log.ts';
import { KEY, tempDir } from './fixtures.ts';

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));

/** Runs the child until it has acknowledged at least `minAcks` records, waits `extraMs` more, then SIGKILLs it. */
function runAndKill(dir: string, minAcks: number, extraMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: string[] = [];
    let buffered = '';
    let stderr = '';
    let armed = false;
    const timeout = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ack ')) acks.push(line.slice(4));
      if (!armed && acks.length >= minAcks) {
        armed = true;
        setTimeout(() => proc.kill('SIGKILL'), extraMs);
      }
    });
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      clearTimeout(timeout);
      if (signal !== 'SIGKILL') reject(new Error(`child ended without being killed: ${stderr}`));
      else resolve(acks);
    });
  });
}

describe('history crash safety', () => {
  it('keeps every acknowledged record across SIGKILLs at random points, and the chain verifies', async () => {
    const dir = tempDir();
    /** Every record the log held after the previous round, plus this round's acknowledgements. */
    const acknowledged: string[] = [];
    for (let round = 0; round < 8; round++) {
      const acks = await runAndKill(dir, 5 + Math.floor(Math.random() * 20), Math.floor(Math.random() * 60));
      acknowledged.push(...acks);
      const log = await HistoryLog.open({ dir, key: KEY });
      expect(log.integrity().broken).toBeNull();
      const ids = new Set(log.records().map((r) => r.id));
      for (const id of acknowledged) expect(ids.has(id)).toBe(true);
      // At most the one append in flight at the kill can be there without its acknowledgement.
      expect(log.count - acknowledged.length).toBeLessThanOrEqual(1);
      expect(log.records().map((r) => r.seq)).toEqual([...Array(log.count).keys()]);
      acknowledged.length = 0;
      acknowledged.push(...log.records().map((r) => r.id));
      await log.close();
    }
    expect(acknowledged.length).toBeGreaterThan(40);
  }, 120_000);
});
