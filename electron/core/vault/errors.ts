// The vault's named failures: stable codes, Traditional Chinese first, English complete (ARCHITECTURE §9).
import { AppFailure } from '../../contract/errors.ts';

export const VaultErrorCode = {
  WEAK_KEY_PROTECTION: 'VAULT_WEAK_KEY_PROTECTION',
  PASSPHRASE_REQUIRED: 'VAULT_PASSPHRASE_REQUIRED',
  WRONG_PASSPHRASE: 'VAULT_WRONG_PASSPHRASE',
  WEAK_PASSPHRASE: 'VAULT_WEAK_PASSPHRASE',
  KEY_UNAVAILABLE: 'VAULT_KEY_UNAVAILABLE',
  KEY_MISMATCH: 'VAULT_KEY_MISMATCH',
  KEY_RECORD_MISSING: 'VAULT_KEY_RECORD_MISSING',
  KEY_RECORD_DAMAGED: 'VAULT_KEY_RECORD_DAMAGED',
  INDEX_MISSING: 'VAULT_INDEX_MISSING',
  INDEX_TAMPERED: 'VAULT_INDEX_TAMPERED',
  ROLLED_BACK: 'VAULT_ROLLED_BACK',
  MARK_TAMPERED: 'VAULT_MARK_TAMPERED',
  MARK_MISSING: 'VAULT_MARK_MISSING',
  NEWER_FORMAT: 'VAULT_NEWER_FORMAT',
  TAMPERED: 'VAULT_TAMPERED',
  CLOSED: 'VAULT_CLOSED',
  NOT_FOUND: 'VAULT_NOT_FOUND',
  FILE_NOT_FOUND: 'VAULT_FILE_NOT_FOUND',
  INVALID_ENTRY: 'VAULT_INVALID_ENTRY',
  TOO_LARGE: 'VAULT_TOO_LARGE',
  CANCELLED: 'VAULT_CANCELLED',
  DISK_FULL: 'VAULT_DISK_FULL',
  ACCESS_DENIED: 'VAULT_ACCESS_DENIED',
  IO_ERROR: 'VAULT_IO_ERROR',
  EXPORT_EXISTS: 'VAULT_EXPORT_EXISTS',
  EXPORT_DISK_FULL: 'VAULT_EXPORT_DISK_FULL',
  EXPORT_ACCESS_DENIED: 'VAULT_EXPORT_ACCESS_DENIED',
  EXPORT_IO_ERROR: 'VAULT_EXPORT_IO_ERROR',
  PASSPHRASE_NOT_EXPECTED: 'VAULT_PASSPHRASE_NOT_EXPECTED',
  PROTECTION_LOCKED: 'VAULT_PROTECTION_LOCKED',
  PROTECTION_UNCHANGED: 'VAULT_PROTECTION_UNCHANGED',
  REAUTH_REQUIRED: 'VAULT_REAUTH_REQUIRED',
} as const;
export type VaultErrorCode = (typeof VaultErrorCode)[keyof typeof VaultErrorCode];

function fail(code: VaultErrorCode, zh: string, en: string, retryable: boolean, cause?: unknown): AppFailure {
  return new AppFailure({ code, message_zh: zh, message_en: en, retryable }, cause === undefined ? undefined : { cause });
}

export const VaultError = {
  passphraseNotExpected: () =>
    fail(
      VaultErrorCode.PASSPHRASE_NOT_EXPECTED,
      '資料保險庫目前沒有在等候密語，因此未做任何變更。若要改用密語取代系統金鑰圈保護，請到「設定」的「保險庫保護方式」中選擇。',
      'The vault is not waiting for a passphrase now, so nothing was changed. To protect it with a passphrase instead of the system keychain, choose so under Settings, Vault protection.',
      false,
    ),
  protectionLocked: () =>
    fail(
      VaultErrorCode.PROTECTION_LOCKED,
      '資料保險庫尚未開啟，無法變更保護方式。請先到「我的資料」開啟保險庫，再回來變更。',
      'The vault is not open, so its protection cannot be changed. Open the vault under My data first, then come back to change it.',
      false,
    ),
  protectionUnchanged: () =>
    fail(
      VaultErrorCode.PROTECTION_UNCHANGED,
      '資料保險庫已經使用這種保護方式，未做任何變更。',
      'The vault already uses this protection; nothing was changed.',
      false,
    ),
  reauthRequired: () =>
    fail(
      VaultErrorCode.REAUTH_REQUIRED,
      '變更保護方式前，請先輸入目前的保險庫密語以確認是您本人。未做任何變更。',
      'Enter the current vault passphrase first to confirm it is you before changing the protection. Nothing was changed.',
      true,
    ),
  weakKeyProtection: () =>
    fail(
      VaultErrorCode.WEAK_KEY_PROTECTION,
      '這部電腦的作業系統沒有提供可靠的金鑰保護（例如 Linux 未啟用金鑰圈，只有 basic_text），資料保險庫無法安全地保存主金鑰。請啟用系統金鑰圈（如 GNOME Keyring 或 KWallet）後重試，或設定一組保險庫密語。',
      "This computer's operating system offers no real key protection (for example Linux without a keyring, only basic_text), so the vault cannot keep its master key safely. Enable a system keyring (such as GNOME Keyring or KWallet) and try again, or set a vault passphrase.",
      false,
    ),
  passphraseRequired: () =>
    fail(
      VaultErrorCode.PASSPHRASE_REQUIRED,
      '這個資料保險庫以密語保護，請輸入您設定的保險庫密語後再開啟。',
      'This vault is protected by a passphrase. Enter the vault passphrase you set, then open it again.',
      false,
    ),
  wrongPassphrase: () =>
    fail(
      VaultErrorCode.WRONG_PASSPHRASE,
      '保險庫密語不正確，無法解開主金鑰。請確認大小寫與輸入法後再試一次。',
      'The vault passphrase is not correct, so the master key could not be unlocked. Check letter case and input method, then try again.',
      true,
    ),
  weakPassphrase: (min: number) =>
    fail(
      VaultErrorCode.WEAK_PASSPHRASE,
      `保險庫密語太短，至少需要 ${min} 個字元。請改用較長、不易猜到的密語（可以是一句話）。`,
      `The vault passphrase is too short; it needs at least ${min} characters. Choose a longer phrase that is hard to guess (a sentence works well).`,
      true,
    ),
  keyUnavailable: (cause?: unknown) =>
    fail(
      VaultErrorCode.KEY_UNAVAILABLE,
      '作業系統無法解開資料保險庫的主金鑰（可能換了使用者帳號或金鑰圈被重設）。在原本的帳號登入後重試；若金鑰已遺失，保險庫中的資料無法再讀取，只能刪除後重新下載。',
      'The operating system could not unlock the vault master key (the user account may have changed or the keyring was reset). Sign in with the original account and try again; if the key is lost, the vault contents cannot be read and can only be deleted and downloaded again.',
      true,
      cause,
    ),
  keyMismatch: () =>
    fail(
      VaultErrorCode.KEY_MISMATCH,
      '解開的主金鑰與這個資料保險庫不相符，因此未讀取任何資料。請確認使用的是原本的帳號與密語；若問題持續，請刪除保險庫後重新下載資料。',
      'The unlocked master key does not belong to this vault, so nothing was read. Make sure you use the original account and passphrase; if the problem persists, delete the vault and download your data again.',
      false,
    ),
  keyRecordMissing: () =>
    fail(
      VaultErrorCode.KEY_RECORD_MISSING,
      '資料保險庫的金鑰檔不見了，但仍有加密資料，因此無法讀取，也不會覆寫。請從備份還原金鑰檔，或刪除保險庫資料夾後重新下載資料。',
      'The vault key file is missing although encrypted data remains, so nothing can be read and nothing was overwritten. Restore the key file from a backup, or delete the vault folder and download your data again.',
      false,
    ),
  keyRecordDamaged: (cause?: unknown) =>
    fail(
      VaultErrorCode.KEY_RECORD_DAMAGED,
      '資料保險庫的金鑰檔已損毀，無法讀取，也不會覆寫。請從備份還原金鑰檔，或刪除保險庫資料夾後重新下載資料。',
      'The vault key file is damaged, so nothing can be read and nothing was overwritten. Restore the key file from a backup, or delete the vault folder and download your data again.',
      false,
      cause,
    ),
  indexMissing: () =>
    fail(
      VaultErrorCode.INDEX_MISSING,
      '資料保險庫的目錄檔不見了，但仍有加密資料；為避免誤刪，未做任何變更。請從備份還原，或刪除保險庫後重新下載資料。',
      'The vault index is missing although encrypted data remains; to avoid deleting anything by mistake, nothing was changed. Restore it from a backup, or delete the vault and download your data again.',
      false,
    ),
  rolledBack: (found: number, expected: number) =>
    fail(
      VaultErrorCode.ROLLED_BACK,
      `資料保險庫的目錄檔比這部電腦上次記錄的還舊（第 ${found} 版，應為第 ${expected} 版），可能是從舊的備份還原或遭人替換。為避免已刪除的資料復活或較新的資料被刪除，未讀取也未刪除任何資料。請把最新的目錄檔（index.mdv）放回保險庫資料夾後再開啟。`,
      `The vault index is older than the one this computer last recorded (version ${found}, expected ${expected}): it was restored from an older backup or replaced. So that deleted packages do not come back and newer ones are not removed, nothing was read or deleted. Put the newest index file (index.mdv) back in the vault folder, then open the app again.`,
      false,
    ),
  markTampered: () =>
    fail(
      VaultErrorCode.MARK_TAMPERED,
      '資料保險庫的版本記錄檔（vault.mark）未通過完整性檢查（已損毀或遭竄改），無法確認目錄檔是否被換成舊版，因此未讀取也未刪除任何資料。請從備份還原 vault.mark 後再開啟。',
      'The vault’s version record (vault.mark) failed its integrity check (damaged or altered), so there is no telling whether the index was swapped for an older one; nothing was read or deleted. Restore vault.mark from a backup, then open the app again.',
      false,
    ),
  markMissing: () =>
    fail(
      VaultErrorCode.MARK_MISSING,
      '資料保險庫的版本記錄檔（vault.mark）不見了，無法確認目錄檔是否被換成舊版，因此未讀取也未刪除任何資料。請從備份還原 vault.mark 後再開啟。',
      'The vault’s version record (vault.mark) is missing, so there is no telling whether the index was swapped for an older one; nothing was read or deleted. Restore vault.mark from a backup, then open the app again.',
      false,
    ),
  indexTampered: (cause?: unknown) =>
    fail(
      VaultErrorCode.INDEX_TAMPERED,
      '資料保險庫的目錄檔未通過完整性檢查（已損毀或遭竄改），因此未讀取也未變更任何資料。請從備份還原，或刪除保險庫後重新下載資料。',
      'The vault index failed its integrity check (it is damaged or was altered), so nothing was read or changed. Restore it from a backup, or delete the vault and download your data again.',
      false,
      cause,
    ),
  newerFormat: (found: number) =>
    fail(
      VaultErrorCode.NEWER_FORMAT,
      `資料保險庫由較新版本的 MyData Desktop 寫入（格式第 ${found} 版），本版本無法讀取，也不會變更它。請更新應用程式。`,
      `The vault was written by a newer MyData Desktop (format version ${found}); this version cannot read it and leaves it untouched. Update the app.`,
      false,
    ),
  tampered: (what: string, cause?: unknown) =>
    fail(
      VaultErrorCode.TAMPERED,
      `保險庫中的檔案「${what}」未通過完整性檢查（已損毀、截斷或遭竄改），因此不提供其內容。請刪除這個資料包並重新下載。`,
      `The file "${what}" in the vault failed its integrity check (it is damaged, truncated or was altered), so its content is not given out. Delete this package and download it again.`,
      false,
      cause,
    ),
  closed: () =>
    fail(
      VaultErrorCode.CLOSED,
      '資料保險庫已關閉，無法再操作。請重新開啟應用程式。',
      'The vault has been closed and can no longer be used. Restart the app.',
      false,
    ),
  notFound: (id: string) =>
    fail(
      VaultErrorCode.NOT_FOUND,
      `保險庫中找不到資料包 ${id}，可能已被刪除。請重新整理「我的資料」清單。`,
      `The vault holds no package ${id}; it may have been deleted. Refresh the My data list.`,
      false,
    ),
  fileNotFound: (id: string, name: string) =>
    fail(
      VaultErrorCode.FILE_NOT_FOUND,
      `資料包 ${id} 中沒有檔案「${name}」。請重新整理清單後再開啟。`,
      `Package ${id} has no file "${name}". Refresh the list and open it again.`,
      false,
    ),
  invalidEntry: (detail_zh: string, detail_en: string) =>
    fail(
      VaultErrorCode.INVALID_ENTRY,
      `無法存入資料包：${detail_zh}。未保存任何內容；請重新下載或匯入。`,
      `The package could not be stored: ${detail_en}. Nothing was kept; download or import it again.`,
      false,
    ),
  tooLarge: (name: string, limit: number) =>
    fail(
      VaultErrorCode.TOO_LARGE,
      `檔案「${name}」超過可直接開啟的大小（${limit} 位元組）。請改用匯出功能，在檔案總管中開啟。`,
      `The file "${name}" is larger than can be opened directly (${limit} bytes). Export it instead and open it from your file manager.`,
      false,
    ),
  cancelled: () =>
    fail(
      VaultErrorCode.CANCELLED,
      '作業已取消，未留下任何寫到一半的檔案。需要時可重新開始。',
      'The operation was cancelled and no half-written file was left behind. Start it again when you are ready.',
      false,
    ),
  exportExists: (path: string) =>
    fail(
      VaultErrorCode.EXPORT_EXISTS,
      `匯出目的地已有同名檔案「${path}」，為避免覆寫，未匯出任何檔案。請選擇其他資料夾，或確認要覆寫後再試。`,
      `A file named "${path}" already exists at the export destination; to avoid overwriting it, nothing was exported. Pick another folder, or confirm overwriting and try again.`,
      false,
    ),
};

/** Maps a Node I/O error to a named failure; `where` says whether the vault or an export target failed. */
export function ioFailure(error: unknown, where: 'vault' | 'export'): AppFailure {
  if (error instanceof AppFailure) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const place_zh = where === 'vault' ? '資料保險庫所在的磁碟' : '匯出目的地';
  const place_en = where === 'vault' ? 'the disk holding the vault' : 'the export destination';
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return fail(
      where === 'vault' ? VaultErrorCode.DISK_FULL : VaultErrorCode.EXPORT_DISK_FULL,
      `${place_zh}空間不足，作業已停止，未留下寫到一半的檔案。請釋出磁碟空間後再試一次。`,
      `There is no space left on ${place_en}; the operation stopped and no half-written file was left. Free some disk space and try again.`,
      true,
      error,
    );
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return fail(
      where === 'vault' ? VaultErrorCode.ACCESS_DENIED : VaultErrorCode.EXPORT_ACCESS_DENIED,
      `沒有寫入${place_zh}的權限（${code}），作業已停止，未留下寫到一半的檔案。請檢查資料夾權限，或選擇其他位置後再試。`,
      `Writing to ${place_en} was not permitted (${code}); the operation stopped and no half-written file was left. Check the folder's permissions or choose another location, then try again.`,
      false,
      error,
    );
  }
  return fail(
    where === 'vault' ? VaultErrorCode.IO_ERROR : VaultErrorCode.EXPORT_IO_ERROR,
    `讀寫${place_zh}時發生錯誤（${code ?? '未知'}），作業已停止，未留下寫到一半的檔案。請確認磁碟連接正常後再試一次。`,
    `An error occurred reading or writing ${place_en} (${code ?? 'unknown'}); the operation stopped and no half-written file was left. Check that the disk is connected and working, then try again.`,
    true,
    error,
  );
}

