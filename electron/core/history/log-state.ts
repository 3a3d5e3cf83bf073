// Reckonings over a history log's chain state: its head and position, its seal, and how damage found later breaks it.
import type { HistoryRecord } from '../../contract/history.ts';
import type { BrokenAt, ChainState } from './chain-reader.ts';
import { GENESIS } from './chain.ts';
import { HEADER_SIZE, type Checkpoint } from './format.ts';
import type { SealedRecordDamaged } from './records.ts';
import type { LogPosition } from './rollback.ts';
import type { Seal } from './seal.ts';

/** SHA-256 chain head: the hash of the last record, or of the checkpoint's pruned prefix, or GENESIS. */
export function headOf(state: ChainState): string {
  return state.hashes.at(-1) ?? state.checkpoint?.head ?? GENESIS;
}

/** Chain position the next record will take. */
export function nextSeqOf(state: ChainState): number {
  const last = state.records.last();
  return last ? last.seq + 1 : (state.checkpoint?.pruned_count ?? 0);
}

/** Where the state stands, for the high-water mark and for checking receipts against (receipt-check.ts). */
export function positionOf(state: ChainState): LogPosition {
  const pruned = state.checkpoint?.pruned_count ?? 0;
  return {
    fileId: state.fileId,
    length: nextSeqOf(state),
    head: headOf(state),
    headAt: (n) => {
      if (n === 0) return GENESIS;
      if (n === pruned) return state.checkpoint?.head ?? GENESIS;
      if (n < pruned) return null;
      return state.hashes[n - pruned - 1] ?? null;
    },
  };
}

/** The seal describing a fully checked, unbroken state. */
export function sealOf(state: ChainState): Seal {
  return {
    fileId: state.fileId,
    frames: state.frameCount,
    end: state.end,
    lastFrameHash: state.lastHash,
    checkpoint: state.checkpoint,
    rows: [...state.records.allRows()],
    hashes: [...state.hashes],
    offsets: [...state.records.offsets],
  };
}

/**
 * A sealed record that no longer authenticates (the file was changed behind the seal) breaks the state there, as a
 * full check would find. Returns the chain position to name in the failure.
 */
export function breakAtSealedRecord(state: ChainState, error: SealedRecordDamaged): number {
  const row = state.records.row(error.position);
  if (!state.broken) {
    const frame = error.position + (state.checkpoint ? 1 : 0);
    state.broken = { position: row?.seq ?? error.position, frame, offset: error.offset, reason: 'decrypt' };
    state.validCount = Math.min(state.validCount, error.position);
  }
  return row?.seq ?? error.position;
}

/**
 * Compares a fresh full read of the file's first `records` records with what `state` holds, and breaks the state at
 * the first difference (fresh null: the file no longer reads as a log).
 */
export function compareFresh(state: ChainState, fresh: ChainState | null, records: number): void {
  if (fresh === null) {
    if (!state.broken) {
      state.broken = { position: 0, frame: 0, offset: 0, reason: 'framing' };
      state.validCount = 0;
    }
    return;
  }
  const held = state.hashes.slice(0, records);
  const pruned = state.checkpoint?.pruned_count ?? 0;
  let broken: BrokenAt | null = fresh.broken;
  if (!broken && fresh.torn) broken = { position: pruned + records, frame: fresh.frameCount, offset: fresh.end, reason: 'framing' };
  if (!broken && fresh.hashes.length !== held.length) {
    const pos = Math.min(fresh.hashes.length, held.length);
    broken = { position: pruned + pos, frame: pos, offset: fresh.end, reason: 'chain' };
  }
  if (!broken && fresh.hashes.at(-1) !== held.at(-1)) {
    broken = { position: pruned, frame: 0, offset: HEADER_SIZE, reason: 'chain' };
  }
  if (broken && !state.broken) {
    state.broken = broken;
    // The valid prefix: records the file still holds unchanged, before its first damage.
    const limit = Math.min(fresh.validCount, fresh.hashes.length, held.length);
    let same = 0;
    while (same < limit && fresh.hashes[same] === held[same]) same++;
    state.validCount = same;
  }
}

/** Takes a record that is now durable at `at` (its frame `frameLength` bytes, hashing to `frameHash`) into the state. */
export function recordAppended(state: ChainState, record: HistoryRecord, entryHash: string, at: number, frameLength: number, frameHash: Buffer): void {
  state.records.push(record, at);
  // Appends happen only on an unbroken chain, so every record held so far verifies (keepValidPrefix relies on it).
  state.validCount = state.records.length;
  state.hashes.push(entryHash);
  state.lastHash = frameHash;
  state.frameCount++;
  state.end = at + frameLength;
  state.index.add(record);
}

/**
 * How many records retention drops (the oldest ones whose event and recording times are both before `limit`, ms)
 * and the checkpoint that then stands for them; null when none is due.
 */
export function retentionCut(state: ChainState, limit: number, now: Date): { count: number; checkpoint: Checkpoint } | null {
  let k = 0;
  for (const r of state.records.allRows()) {
    if (Date.parse(r.recorded_at) < limit && Date.parse(r.time) < limit) k++;
    else break;
  }
  if (k === 0) return null;
  const lastPruned = state.records.row(k - 1);
  const head = state.hashes[k - 1];
  if (!lastPruned || !head) return null;
  return { count: k, checkpoint: { pruned_count: lastPruned.seq + 1, head, pruned_until: lastPruned.recorded_at, created_at: now.toISOString() } };
}

/** What a streamed export must find in the file for this state (export-file.ts). */
export function exportExpect(state: ChainState): { head: string; records: number; firstSeq: number; prunedCount: number; anchor: string } {
  const pruned = state.checkpoint?.pruned_count ?? 0;
  return {
    head: headOf(state),
    records: state.records.length,
    firstSeq: state.records.row(0)?.seq ?? pruned,
    prunedCount: pruned,
    anchor: state.checkpoint?.head ?? GENESIS,
  };
}
