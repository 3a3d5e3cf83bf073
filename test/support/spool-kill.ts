// The spool kill harness (shared by the unit test and the bench): a child writes a download into the spool and is
// SIGKILLed at random points; after each kill a clean open must take up every acknowledged byte, accept no torn or
// wrong byte, and leave nothing but the spool itself in the folder.
import { spawn } from 'node:child_process';
import { createCipheriv, createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EncryptedSpool } from '../../electron/core/package/download-spool.ts';

const CHILD = fileURLToPath(new URL('./spool-kill-child.ts', import.meta.url));
const PATTERN_BYTES = 1024 * 1024 + 7;
const SPOOL_HEADER = 1024;

/** A fixed pseudo-random pattern (an AES-CTR keystream of a fixed key), so any byte of "the package" is known at any offset. */
const pattern = createCipheriv('aes-256-ctr', Buffer.alloc(32, 0x5a), Buffer.alloc(16, 0xa5)).update(Buffer.alloc(PATTERN_BYTES));

/** Bytes [at, at + size) of the known stream. */
export function streamBytes(at: number, size: number): Buffer {
  const out = Buffer.allocUnsafe(size);
  for (let i = 0; i < size; ) {
    const p = (at + i) % PATTERN_BYTES;
    const n = Math.min(size - i, PATTERN_BYTES - p);
    pattern.copy(out, i, p, p + n);
    i += n;
  }
  return out;
}

export interface SpoolKillReport {
  kills: number;
  /** Acknowledged bytes a clean open did not take up, summed over every kill (must be 0). */
  lostBytes: number;
  /** Kills after which acknowledged bytes were lost. */
  lostKills: number;
  /** Opens that took up a byte that differs from what was written (must be 0). */
  tornAccepted: number;
  /** Opens that threw (must be 0). */
  failedOpens: number;
  /** Kills after which a file other than the spool was in its folder (must be 0). */
  strayFiles: number;
  /** Bytes written but not acknowledged that the next open dropped, largest over the kills (what a resume fetches again). */
  maxRefetchBytes: number;
  /** Acknowledged bytes in all. */
  acknowledgedBytes: number;
}

function runUntilKilled(dir: string, keyHex: string, txId: string, stopAt: number, killAfterMs: number): Promise<{ ready: number; ack: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [CHILD, dir, keyHex, txId, String(stopAt)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let ready = -1;
    let ack = -1;
    let buffered = '';
    let stderr = '';
    const guard = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [word, value] = line.split(' ');
        if (word === 'ready') {
          ready = Number(value);
          setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
        } else if (word === 'ack') ack = Number(value);
        else if (word === 'done') proc.kill('SIGKILL');
      }
    });
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('error', reject);
    proc.on('exit', (_code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL' || ready < 0) reject(new Error(`spool child ended without being killed: ${stderr.slice(-2000)}`));
      else resolve({ ready, ack });
    });
  });
}

/**
 * Kills a spool-writing child `kills` times. Each child continues the same transaction's spool; once it holds
 * `generationBytes`, the spool is removed and a new download starts (so the file stays small and opens stay quick).
 */
export async function runSpoolKills(kills: number, options: { generationBytes?: number; maxKillDelayMs?: number } = {}): Promise<SpoolKillReport> {
  const generationBytes = options.generationBytes ?? 8 * 1024 * 1024;
  const maxDelay = options.maxKillDelayMs ?? 60;
  const dir = mkdtempSync(join(tmpdir(), 'mydata-spool-kill-'));
  const key = createHash('sha256').update('spool-kill-key').digest();
  const txId = 'kill-tx';
  const report: SpoolKillReport = { kills: 0, lostBytes: 0, lostKills: 0, tornAccepted: 0, failedOpens: 0, strayFiles: 0, maxRefetchBytes: 0, acknowledgedBytes: 0 };
  try {
    for (let i = 0; i < kills; i++) {
      const { ack } = await runUntilKilled(dir, key.toString('hex'), txId, generationBytes, Math.floor(Math.random() * maxDelay));
      report.kills += 1;
      if (ack > 0) report.acknowledgedBytes += ack;
      const names = readdirSync(dir);
      const written = names.length === 1 ? statSync(join(dir, names[0] ?? '')).size - SPOOL_HEADER : 0;
      let spool: EncryptedSpool;
      try {
        spool = await EncryptedSpool.openFor(dir, key, txId);
      } catch {
        report.failedOpens += 1;
        continue;
      }
      try {
        const taken = spool.resumedFrom;
        if (taken < ack) {
          report.lostBytes += ack - taken;
          report.lostKills += 1;
        }
        report.maxRefetchBytes = Math.max(report.maxRefetchBytes, Math.max(0, written - taken));
        // Every byte taken up must be the byte written there.
        const got = taken === 0 ? Buffer.alloc(0) : Buffer.from(await spool.read(0, taken));
        if (got.length !== taken || !got.equals(streamBytes(0, taken))) report.tornAccepted += 1;
        if (readdirSync(dir).length !== 1) report.strayFiles += 1;
        if (taken >= generationBytes) {
          await spool.dispose();
          continue;
        }
      } catch {
        report.tornAccepted += 1;
      }
      await spool.suspend();
    }
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
