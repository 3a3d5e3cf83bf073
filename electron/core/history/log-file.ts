// The history log file on disk: the durable append handle, whole-image writing and replacement, and reading at open.
import { constants as fsConstants, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { HistoryRecord } from '../../contract/history.ts';
import { nodeVaultFs, writeFileAtomic } from '../vault/fsio.ts';
import { AppFailure } from '../../contract/errors.ts';
import { checkedHeader, readAndCheck, readChain, readChainFromSeal, type ChainState } from './chain-reader.ts';
import { GENESIS, canonicalJson, entryHash } from './chain.ts';
import { HistoryErrorCode, historyFailure } from './errors.ts';
import { HEADER_SIZE, TYPE_CHECKPOINT, TYPE_RECORD, encodeFrame, encodeHeader, type Checkpoint, type LogKeys } from './format.ts';
import type { SealUse } from './log-options.ts';
import { readSeal } from './seal.ts';

/** O_DSYNC: one durable write instead of a write and an fdatasync (two thread-pool round trips). Not on Windows. */
const DSYNC = (fsConstants as { O_DSYNC?: number }).O_DSYNC;

/** Whether each write on an append handle is durable when it returns (else the caller syncs after writing). */
export const WRITES_ARE_DURABLE = DSYNC !== undefined;

export function openForAppend(path: string): Promise<FileHandle> {
  return open(path, DSYNC === undefined ? 'r+' : fsConstants.O_RDWR | DSYNC);
}

/** Writes a whole new log image beside the old one (an exclusive, unpredictable temp name), syncs it, and renames it into place. */
export async function replaceFile(path: string, bytes: Buffer): Promise<void> {
  await writeFileAtomic(nodeVaultFs, path, bytes);
}

/**
 * A whole log image under a fresh file id: the checkpoint (if any), then the records re-encrypted in order. Each
 * record must still hash to its chain hash, or nothing is written (HISTORY_BROKEN).
 */
export function encodeImage(keys: LogKeys, checkpoint: Checkpoint | null, records: readonly HistoryRecord[], hashes: readonly string[]): Buffer {
  const header = encodeHeader(keys);
  const fileId = header.subarray(16, 32);
  const parts: Buffer[] = [header];
  let lastHash: Buffer | null = null;
  let index = 0;
  if (checkpoint) {
    const f = encodeFrame(keys, fileId, lastHash, index++, TYPE_CHECKPOINT, Buffer.from(canonicalJson(checkpoint), 'utf8'));
    parts.push(f.frame);
    lastHash = f.hash;
  }
  let prev = checkpoint?.head ?? GENESIS;
  for (let i = 0; i < records.length; i++) {
    const canonical = canonicalJson(records[i]);
    const h = entryHash(prev, canonical);
    if (h !== hashes[i]) throw historyFailure(HistoryErrorCode.BROKEN, `re-encoding changed record ${String(records[i]?.seq)}`);
    const f = encodeFrame(keys, fileId, lastHash, index++, TYPE_RECORD, Buffer.from(`${prev}\n${canonical}`, 'utf8'));
    parts.push(f.frame);
    lastHash = f.hash;
    prev = h;
  }
  return Buffer.concat(parts);
}

/** Reads `length` bytes of an open file from `position` (fewer when the file ends first). */
async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(length);
  let at = 0;
  while (at < length) {
    const { bytesRead } = await handle.read(bytes, at, length - at, position + at);
    if (bytesRead === 0) break;
    at += bytesRead;
  }
  return bytes.subarray(0, at);
}

/**
 * Reads the log from its seal when one authenticates and describes this file: only the header and what follows the
 * sealed point are read, and the file stays open for showing sealed records (the state's sealedFile). Else checks
 * the whole chain. ENOENT is passed on to the caller.
 */
export async function readWithSeal(path: string, sealPath: string, sealKeyBytes: Buffer, keys: LogKeys, workerUrl: URL | null): Promise<{ state: ChainState; use: SealUse }> {
  const found = await readSeal(sealPath, sealKeyBytes);
  if ('problem' in found) {
    const use: SealUse = found.problem === 'missing' ? 'none' : found.problem === 'outdated' ? 'refused-stale' : 'refused-forged';
    return { state: await readAndCheck(path, keys, workerUrl), use };
  }
  const seal = found.seal;
  const handle = await open(path, 'r');
  let kept = false;
  try {
    const size = (await handle.stat()).size;
    const fileId = checkedHeader(await readAt(handle, 0, HEADER_SIZE), keys);
    const base = seal.frames === 0 ? HEADER_SIZE : seal.end - 32;
    if (base >= HEADER_SIZE && seal.end <= size) {
      const source = {
        keys,
        fileId,
        read: (into: Buffer, position: number): number => {
          // A FileHandle's fd is -1 once closed; reading by number then could read another file.
          if (handle.fd < 0) throw historyFailure(HistoryErrorCode.CLOSED);
          return readSync(handle.fd, into, 0, into.length, position);
        },
      };
      const state = readChainFromSeal(await readAt(handle, base, size - base), base, keys, fileId, seal, source);
      if (state) {
        state.sealedFile = handle;
        kept = true;
        return { state, use: 'used' };
      }
    }
  } finally {
    if (!kept) await handle.close();
  }
  return { state: await readAndCheck(path, keys, workerUrl), use: 'refused-stale' };
}

/**
 * Reads the log at open (from its seal when `sealAt` is given and one fits), creates it when missing, and cuts off a
 * torn last frame durably (only an unacknowledged append can leave one).
 */
export async function loadLog(
  path: string,
  keys: LogKeys,
  workerUrl: URL | null,
  sealAt: { path: string; key: Buffer } | null,
): Promise<{ state: ChainState; created: boolean; use: SealUse }> {
  let state: ChainState;
  let created = false;
  let use: SealUse = sealAt ? 'none' : 'off';
  try {
    if (sealAt) ({ state, use } = await readWithSeal(path, sealAt.path, sealAt.key, keys, workerUrl));
    else state = await readAndCheck(path, keys, workerUrl);
  } catch (error) {
    if (error instanceof AppFailure) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw historyFailure(HistoryErrorCode.WRITE_FAILED, 'read', error);
    const bytes = encodeHeader(keys);
    await replaceFile(path, bytes);
    created = true;
    state = readChain(bytes, keys);
  }
  if (state.torn) {
    const h = await open(path, 'r+');
    try {
      await h.truncate(state.end);
      await h.sync();
    } finally {
      await h.close();
    }
  }
  return { state, created, use };
}

/**
 * Writes one frame at `at` through an append handle and makes it durable; on failure nothing of it is left
 * (HISTORY_DISK_FULL or HISTORY_WRITE_FAILED).
 */
export async function writeFrameAt(handle: FileHandle, frame: Buffer, at: number): Promise<void> {
  try {
    // A disk filling up mid-write makes write() return short (the next call fails with ENOSPC): loop, or a record
    // whose frame is only partly on disk would be acknowledged.
    let done = 0;
    while (done < frame.length) {
      const { bytesWritten } = await handle.write(frame, done, frame.length - done, at + done);
      done += bytesWritten;
    }
    if (!WRITES_ARE_DURABLE) await handle.datasync();
  } catch (error) {
    // Leave no half frame behind: the next append writes at the same offset anyway, and open would cut it.
    await handle.truncate(at).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException | null)?.code;
    throw historyFailure(code === 'ENOSPC' || code === 'EDQUOT' ? HistoryErrorCode.DISK_FULL : HistoryErrorCode.WRITE_FAILED, undefined, error);
  }
}
