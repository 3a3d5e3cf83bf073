// The history's error codes (ARCHITECTURE §9): each says what happened and what the person can do.
import { AppFailure } from '../../contract/errors.ts';

export const HistoryErrorCode = {
  /** The key does not open this log (the vault's key changed, or the file belongs to another vault). */
  WRONG_KEY: 'HISTORY_WRONG_KEY',
  /** The file is not a history log, or its header is damaged. */
  NOT_A_LOG: 'HISTORY_NOT_A_LOG',
  /** The chain failed verification; appends are refused until the person keeps the valid part or deletes all. */
  BROKEN: 'HISTORY_BROKEN',
  /** An entry failed the record schema (for example an unmasked national ID). */
  INVALID_ENTRY: 'HISTORY_INVALID_ENTRY',
  /** Writing or syncing to disk failed; nothing was acknowledged. */
  WRITE_FAILED: 'HISTORY_WRITE_FAILED',
  /** The disk is full (ENOSPC, or the user's quota): the record was not written, the ones before are intact. */
  DISK_FULL: 'HISTORY_DISK_FULL',
  CLOSED: 'HISTORY_CLOSED',
  /** The person cancelled a CSV export; nothing was left at the destination. */
  EXPORT_CANCELLED: 'HISTORY_EXPORT_CANCELLED',
  /** A CSV export could not be written (or the log changed while it ran); nothing was left at the destination. */
  EXPORT_FAILED: 'HISTORY_EXPORT_FAILED',
  /** The export's destination is full; nothing was left there. */
  EXPORT_DISK_FULL: 'HISTORY_EXPORT_DISK_FULL',
  /** Retention shorter than the two years G14 demands. */
  RETENTION_TOO_SHORT: 'HISTORY_RETENTION_TOO_SHORT',
  /** The key is not 32 bytes. */
  BAD_KEY: 'HISTORY_BAD_KEY',
  /** deleteAll()/keepValidPrefix() called without the confirmation the UI obtains. */
  NOT_CONFIRMED: 'HISTORY_NOT_CONFIRMED',
} as const;
export type HistoryErrorCode = (typeof HistoryErrorCode)[keyof typeof HistoryErrorCode];

const messages: Record<HistoryErrorCode, { zh: string; en: string; retryable: boolean }> = {
  HISTORY_WRONG_KEY: {
    zh: '無法用這個保管庫的金鑰開啟分享紀錄。請確認使用的是同一個保管庫；若保管庫已重設，舊的紀錄無法再讀取。',
    en: 'The sharing history cannot be opened with this vault’s key. Check that this is the same vault; if the vault was reset, the old history can no longer be read.',
    retryable: false,
  },
  HISTORY_NOT_A_LOG: {
    zh: '分享紀錄檔的開頭已損壞或不是紀錄檔。請保留該檔案作為證據，並可選擇刪除全部紀錄重新開始。',
    en: 'The sharing history file’s header is damaged or it is not a history file. Keep the file as evidence; you can delete the whole history to start again.',
    retryable: false,
  },
  HISTORY_BROKEN: {
    zh: '分享紀錄的驗證鏈中斷（可能遭竄改或損壞），暫停新增紀錄。請在「分享紀錄」頁面選擇保留可驗證的部分，或刪除全部紀錄。',
    en: 'The sharing history’s chain is broken (tampered with or damaged), so new records are paused. On the History screen, keep the part that verifies or delete the whole history.',
    retryable: false,
  },
  HISTORY_INVALID_ENTRY: {
    zh: '這筆分享紀錄的內容不完整或格式錯誤（例如身分證號未遮蔽），未寫入。這是程式錯誤，請回報。',
    en: 'This history record is incomplete or malformed (for example an unmasked ID number) and was not written. This is a bug; please report it.',
    retryable: false,
  },
  HISTORY_WRITE_FAILED: {
    zh: '分享紀錄無法寫入磁碟（磁碟已滿或無權限）。請釋出空間或檢查權限後再試。',
    en: 'The sharing history could not be written to disk (disk full or no permission). Free some space or check permissions, then try again.',
    retryable: true,
  },
  HISTORY_DISK_FULL: {
    zh: '磁碟空間已滿，這筆分享紀錄沒有寫入；先前的紀錄都完整保留，也沒有留下寫到一半的紀錄。請釋出磁碟空間後再試一次。',
    en: 'The disk is full, so this history record was not written; every earlier record is intact and nothing half-written was left. Free some disk space, then try again.',
    retryable: true,
  },
  HISTORY_EXPORT_CANCELLED: {
    zh: '已取消匯出分享紀錄，目的地沒有留下任何檔案。',
    en: 'The history export was cancelled; nothing was left at the destination.',
    retryable: true,
  },
  HISTORY_EXPORT_FAILED: {
    zh: '分享紀錄無法匯出，目的地沒有留下任何檔案。請再試一次；若問題持續，請先在「分享紀錄」頁面立即驗證。',
    en: 'The history could not be exported, and nothing was left at the destination. Try again; if it keeps failing, verify the history on the History screen first.',
    retryable: true,
  },
  HISTORY_EXPORT_DISK_FULL: {
    zh: '匯出目的地空間不足，分享紀錄沒有匯出，也沒有留下寫到一半的檔案。請釋出空間或選擇其他位置後再試。',
    en: 'There is no space left at the export destination, so the history was not exported and no half-written file was left. Free some space or choose another location, then try again.',
    retryable: true,
  },
  HISTORY_CLOSED: {
    zh: '分享紀錄已關閉。請重新啟動應用程式。',
    en: 'The sharing history is closed. Restart the app.',
    retryable: false,
  },
  HISTORY_RETENTION_TOO_SHORT: {
    zh: '分享紀錄至少須保存兩年（G14），無法設定更短的期間。',
    en: 'The sharing history must be kept for at least two years (G14); a shorter period cannot be set.',
    retryable: false,
  },
  HISTORY_BAD_KEY: {
    zh: '分享紀錄的金鑰長度錯誤（須為 32 位元組）。這是程式錯誤，請回報。',
    en: 'The sharing history key has the wrong length (it must be 32 bytes). This is a bug; please report it.',
    retryable: false,
  },
  HISTORY_NOT_CONFIRMED: {
    zh: '刪除分享紀錄需要您先確認。請在確認畫面中確認後再試。',
    en: 'Deleting history needs your confirmation first. Confirm on the confirmation screen, then try again.',
    retryable: false,
  },
};

export function historyFailure(code: HistoryErrorCode, detail?: string, cause?: unknown): AppFailure {
  const m = messages[code];
  const suffixZh = detail ? `（${detail}）` : '';
  const suffixEn = detail ? ` (${detail})` : '';
  return new AppFailure(
    { code, message_zh: m.zh + suffixZh, message_en: m.en + suffixEn, retryable: m.retryable },
    cause === undefined ? undefined : { cause },
  );
}
