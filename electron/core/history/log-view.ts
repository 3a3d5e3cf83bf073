// The read side of an open history log: its chain head and position, integrity, records, and the screen's queries.
import type { HistoryIntegrity, HistoryQuery, HistoryRecord, HistoryReport, RecipientSummary } from '../../contract/history.ts';
import type { BrokenAt, ChainState } from './chain-reader.ts';
import { HistoryErrorCode, historyFailure } from './errors.ts';
import type { Checkpoint } from './format.ts';
import type { OpenReport } from './log-options.ts';
import { breakAtSealedRecord, headOf, nextSeqOf, positionOf } from './log-state.ts';
import { SealedRecordDamaged, type RecordRow } from './records.ts';
import type { LogPosition } from './rollback.ts';

/** What a HistoryLog shows (log.ts adds appending, checking and rewriting). Reads never touch the chain's file. */
export abstract class HistoryView {
  readonly openReport: OpenReport;
  protected state: ChainState;
  /** Unacknowledged reports (persisted in the mark when there is one). */
  protected reports: HistoryReport[] = [];

  protected constructor(state: ChainState, report: OpenReport) {
    this.state = state;
    this.openReport = report;
  }

  /** Where the log stands: for the high-water mark, and to check receipts against (receipt-check.ts). */
  position(): LogPosition {
    return positionOf(this.state);
  }

  /** SHA-256 chain head: the hash of the last record, or of the checkpoint's pruned prefix, or GENESIS. */
  head(): string {
    return headOf(this.state);
  }

  /** Chain position the next record will take. */
  protected nextSeq(): number {
    return nextSeqOf(this.state);
  }

  get count(): number {
    return this.state.records.length;
  }

  /** Chain length: records pruned by retention plus those held (the next record's seq). Receipts carry it. */
  get length(): number {
    return this.nextSeq();
  }

  get checkpoint(): Checkpoint | null {
    return this.state.checkpoint;
  }

  get broken(): BrokenAt | null {
    return this.state.broken;
  }

  integrity(): HistoryIntegrity {
    const b = this.state.broken;
    return {
      head: this.head(),
      count: this.state.records.length,
      pruned_count: this.state.checkpoint?.pruned_count ?? 0,
      broken: b ? { position: b.position, reason: b.reason } : null,
      torn_tail_dropped: this.openReport.torn_tail_dropped,
      reports: this.reports.map((r) => structuredClone(r)),
    };
  }

  /** Records oldest first (chain order), with their chain hashes. Sealed records are authenticated as they are read. */
  records(): readonly HistoryRecord[] {
    return this.guard(() => this.state.records.all());
  }

  /** What the screen's filters and charts need of every record, without reading sealed records in full. */
  rows(): readonly RecordRow[] {
    return this.state.records.allRows();
  }

  /**
   * A sealed record that no longer authenticates (the file was changed behind the seal): the log turns broken
   * there, as a full check would find, and the read fails with HISTORY_BROKEN.
   */
  protected guard<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      if (!(error instanceof SealedRecordDamaged)) throw error;
      throw historyFailure(HistoryErrorCode.BROKEN, `position ${String(breakAtSealedRecord(this.state, error))}`);
    }
  }

  hashes(): readonly string[] {
    return this.state.hashes;
  }

  query(q?: HistoryQuery): { total: number; records: HistoryRecord[] } {
    return this.guard(() => this.state.index.query(q));
  }

  recipients(): RecipientSummary[] {
    return this.guard(() => this.state.index.recipients());
  }

}
