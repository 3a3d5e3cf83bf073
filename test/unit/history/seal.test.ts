// The sealed checkpoint (G14): open checks only what came after the last full check, yet damage before it is found by
// the full check (background and on demand) and when the record is shown; a forged or stale seal is refused.
import { createCipheriv, randomBytes } from 'node:crypto';
import { copyFileSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryLog, LOG_FILE } from '../../../electron/core/history/log.ts';
import { SEAL_FILE, encodeSeal, readSeal, sealKey } from '../../../electron/core/history/seal.ts';
import { HEADER_SIZE } from '../../../electron/core/history/format.ts';
import { AppFailure } from '../../../electron/contract/errors.ts';
import { KEY, OTHER_KEY, entry, tempDir } from './fixtures.ts';

/** Byte offsets of every frame in a log file, read with the format's layout (marker 4 | type 1 | length 4 | body | hash 32). */
function frameOffsets(file: string): number[] {
  const bytes = readFileSync(file);
  const out: number[] = [];
  for (let at = HEADER_SIZE; at < bytes.length; at += 4 + 1 + 4 + bytes.readUInt32BE(at + 5) + 32) out.push(at);
  return out;
}

/** Flips one ciphertext byte inside frame `n` (past marker, type, length and nonce). */
function flipInFrame(file: string, n: number): void {
  const offset = frameOffsets(file)[n];
  if (offset === undefined) throw new Error(`no frame ${String(n)}`);
  const bytes = readFileSync(file);
  bytes.writeUInt8(bytes.readUInt8(offset + 9 + 12 + 3) ^ 0x01, offset + 9 + 12 + 3);
  writeFileSync(file, bytes);
}

/** A sealed log: `sealed` records checked in full and sealed, then `after` more appended. */
async function sealedLog(sealed: number, after: number): Promise<{ dir: string; file: string; seal: string }> {
  const dir = tempDir();
  const log = await HistoryLog.open({ dir, key: KEY, seal: true });
  for (let i = 0; i < sealed; i++) await log.append(entry(i));
  expect((await log.verify()).broken).toBeNull(); // a clean full check writes the seal
  for (let i = sealed; i < sealed + after; i++) await log.append(entry(i));
  await log.close();
  return { dir, file: join(dir, LOG_FILE), seal: join(dir, SEAL_FILE) };
}

describe('sealed checkpoint', () => {
  it('opens from the seal with the same records, checks the rest, and a background full check passes', async () => {
    const { dir } = await sealedLog(6, 3);
    const plain = await HistoryLog.open({ dir, key: KEY });
    const log = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect(plain.openReport.seal).toBe('off');
    expect(log.openReport.seal).toBe('used');
    expect(log.count).toBe(9);
    expect(log.head()).toBe(plain.head());
    expect(log.hashes()).toEqual(plain.hashes());
    expect(log.query({ order: 'oldest' }).records).toEqual(plain.records());
    expect(log.records()).toEqual(plain.records());
    expect(log.recipients()).toEqual(plain.recipients());
    expect((await log.fullCheck()).broken).toBeNull();
    await log.append(entry(9));
    expect((await log.verify()).broken).toBeNull();
    await plain.close();
    await log.close();
  });

  it('reads sealed records from the log file as they are shown, before and after a rewrite; once closed it refuses (HISTORY_CLOSED)', async () => {
    const { dir } = await sealedLog(4, 1);
    const plain = await HistoryLog.open({ dir, key: KEY });
    const expected = plain.records();
    await plain.close();
    const log = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect(log.openReport.seal).toBe('used');
    await log.fullCheck();
    expect(log.records()).toEqual(expected);
    await log.deleteAll({ confirm: true });
    expect(log.count).toBe(0);
    await log.close();
    const again = await HistoryLog.open({ dir, key: KEY, seal: true });
    await again.append(entry(0));
    expect((await again.verify()).broken).toBeNull();
    await again.close();
    const sealed = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect(sealed.openReport.seal).toBe('used');
    await sealed.close();
    let caught: unknown = null;
    try {
      sealed.records();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppFailure);
    expect((caught as AppFailure).code).toBe('HISTORY_CLOSED');
  });

  it('a record tampered before the seal: open (which checks after it) accepts, the full check and showing it find it', async () => {
    const { dir, file } = await sealedLog(6, 2);
    flipInFrame(file, 2);
    const log = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect(log.openReport.seal).toBe('used');
    expect(log.openReport.broken).toBeNull();
    const found = await log.fullCheck();
    expect(found.broken).toEqual({ position: 2, reason: 'frame-hash' });
    await expect(log.append(entry(99))).rejects.toMatchObject({ code: 'HISTORY_BROKEN' });
    await log.close();

    const again = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect((await again.verify()).broken?.position).toBe(2);
    await again.close();

    // Shown before any full check ran: the record is authenticated as it is read.
    const shown = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect(() => shown.query({ order: 'oldest' })).toThrow(expect.objectContaining({ code: 'HISTORY_BROKEN' }) as Error);
    expect(shown.integrity().broken?.position).toBe(2);
    await shown.close();
  });

  it('a record tampered after the seal is found by open itself', async () => {
    const { dir, file } = await sealedLog(4, 3);
    flipInFrame(file, 5);
    const log = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect(log.openReport.seal).toBe('used');
    expect(log.openReport.broken).toMatchObject({ position: 5, reason: 'frame-hash' });
    await log.close();
  });

  it('refuses a forged seal (a changed byte, or one sealed under another key) and checks the whole chain at open', async () => {
    const { dir, file, seal } = await sealedLog(5, 1);
    const good = readFileSync(seal);
    flipInFrame(file, 1);
    const flipped = Buffer.from(good);
    flipped.writeUInt8(flipped.readUInt8(flipped.length - 40) ^ 0x80, flipped.length - 40);
    writeFileSync(seal, flipped);
    const a = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect(a.openReport.seal).toBe('refused-forged');
    expect(a.openReport.broken).toMatchObject({ position: 1, reason: 'frame-hash' });
    await a.close();

    // The right contents, sealed under a key derived from another vault.
    const read = await readSeal(seal.replace(SEAL_FILE, 'none'), sealKey(KEY));
    expect(read).toEqual({ problem: 'missing' });
    const decoded = await (async () => {
      writeFileSync(seal, good);
      const r = await readSeal(seal, sealKey(KEY));
      if (!('seal' in r)) throw new Error('the good seal did not open');
      return r.seal;
    })();
    writeFileSync(seal, encodeSeal(sealKey(OTHER_KEY), decoded));
    const b = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect(b.openReport.seal).toBe('refused-forged');
    expect(b.openReport.broken).toMatchObject({ position: 1 });
    await b.close();
  });

  it('treats an earlier version\'s seal (JSON inside the same envelope) as stale: checks everything and seals anew', async () => {
    const { dir, seal } = await sealedLog(3, 1);
    // The envelope built here with node:crypto directly: "MDSEAL01" | nonce | AES-256-GCM(JSON) | tag, AAD the magic.
    const magic = Buffer.from('MDSEAL01', 'latin1');
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', sealKey(KEY), nonce);
    cipher.setAAD(magic);
    const body = Buffer.concat([cipher.update(JSON.stringify({ v: 1, rows: [], hashes: '' }), 'utf8'), cipher.final()]);
    writeFileSync(seal, Buffer.concat([magic, nonce, body, cipher.getAuthTag()]));
    expect(await readSeal(seal, sealKey(KEY))).toEqual({ problem: 'outdated' });
    const log = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect(log.openReport.seal).toBe('refused-stale');
    expect(log.count).toBe(4);
    await log.close();
    const again = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect(again.openReport.seal).toBe('used');
    expect(again.count).toBe(4);
    await again.close();
  });

  it('refuses a rolled-back seal: one from the log before it was rewritten, and one beyond a log cut short', async () => {
    const { dir, file, seal } = await sealedLog(4, 0);
    const old = join(dir, 'old.seal');
    copyFileSync(seal, old);
    const log = await HistoryLog.open({ dir, key: KEY, seal: true });
    await log.deleteAll({ confirm: true }); // a new file id; its own seal is written
    for (let i = 0; i < 4; i++) await log.append(entry(i));
    await log.close();
    copyFileSync(old, seal);
    const a = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect(a.openReport.seal).toBe('refused-stale');
    expect(a.count).toBe(4);
    expect(a.integrity().broken).toBeNull();
    expect((await a.verify()).broken).toBeNull(); // seals what it checked
    await a.close();

    // Cut at a record boundary behind the seal: the seal describes more than the file holds.
    const cut = frameOffsets(file)[2];
    if (cut === undefined) throw new Error('no frame 2');
    truncateSync(file, cut);
    const b = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect(b.openReport.seal).toBe('refused-stale');
    expect(b.count).toBe(2);
    await b.close();
  });

  it('an older seal of the same file is only an earlier checkpoint: everything after it is checked at open', async () => {
    const { dir, file, seal } = await sealedLog(3, 0);
    const older = readFileSync(seal);
    const log = await HistoryLog.open({ dir, key: KEY, seal: true });
    for (let i = 3; i < 6; i++) await log.append(entry(i));
    expect((await log.verify()).broken).toBeNull();
    await log.close();
    writeFileSync(seal, older);
    flipInFrame(file, 4);
    const reopened = await HistoryLog.open({ dir, key: KEY, seal: true });
    expect(reopened.openReport.seal).toBe('used');
    expect(reopened.openReport.broken).toMatchObject({ position: 4 });
    await reopened.close();
  });
});
