// The one-time download's named failures (DOWNLOAD_*): bilingual messages that say what to do, and the cancel checks every stage shares.
import { AppFailure } from '../../contract/errors.ts';

export const DownloadErrorCode = {
  EXPIRED: 'DOWNLOAD_EXPIRED',
  REFUSED: 'DOWNLOAD_REFUSED',
  ALREADY_DELIVERED: 'DOWNLOAD_ALREADY_DELIVERED',
  PROVIDERS_FAILED: 'DOWNLOAD_PROVIDERS_FAILED',
  STILL_PREPARING: 'DOWNLOAD_STILL_PREPARING',
  INTERRUPTED: 'DOWNLOAD_INTERRUPTED',
  SIZE_MISMATCH: 'DOWNLOAD_SIZE_MISMATCH',
  TOO_LARGE: 'DOWNLOAD_TOO_LARGE',
  DIGEST_MISMATCH: 'DOWNLOAD_DIGEST_MISMATCH',
  VERIFICATION_FAILED: 'DOWNLOAD_VERIFICATION_FAILED',
  DISK_FULL: 'DOWNLOAD_DISK_FULL',
  CANCELLED: 'DOWNLOAD_CANCELLED',
  UNEXPECTED_RESPONSE: 'DOWNLOAD_UNEXPECTED_RESPONSE',
} as const;
export type DownloadErrorCode = (typeof DownloadErrorCode)[keyof typeof DownloadErrorCode];

const AGAIN_ZH = '請回到服務目錄重新同意一次，以取得新的下載。';
const AGAIN_EN = 'Go back to the services and consent again to get a new download.';

const texts: Record<DownloadErrorCode, (what: string) => readonly [string, string, boolean]> = {
  DOWNLOAD_EXPIRED: () => [`這份資料包已超過平臺保存期限（準備好後 8 小時），已無法下載。${AGAIN_ZH}`, `This package has passed the platform's time limit (8 hours after it was ready) and can no longer be downloaded. ${AGAIN_EN}`, false],
  DOWNLOAD_REFUSED: () => ['平臺表示您已拒絕這筆交易（205），因此沒有可下載的資料。若要取得資料，請重新同意一次。', 'The platform says you refused this transaction (205), so there is nothing to download. To get the data, consent again.', false],
  DOWNLOAD_ALREADY_DELIVERED: () => [`這份資料包已完整下載過一次（201）；依 MyData 規定每次同意只能下載一次，但這部電腦上找不到保存的副本。${AGAIN_ZH}`, `This package was already downloaded in full once (201); MyData allows one download per consent, and no copy is kept on this computer. ${AGAIN_EN}`, false],
  DOWNLOAD_PROVIDERS_FAILED: (w) => [`所有資料提供者都未能提供資料（${w}），沒有可下載的內容。請稍後重新申請；其他交易不受影響。`, `None of the data providers delivered their data (${w}), so there is nothing to download. Request it again later; other transactions are not affected.`, true],
  DOWNLOAD_STILL_PREPARING: (w) => [`平臺準備資料包的時間過長（已等候 ${w}），已停止等候。交易仍然有效，請稍後在「我的資料」重新開始下載。`, `The platform is taking too long to prepare the package (waited ${w}); waiting stopped. The transaction is still valid: start the download again from My data later.`, true],
  DOWNLOAD_INTERRUPTED: (w) => [`連線多次中斷（${w}），下載未完成。資料包尚未被領取，請確認網路後再試一次，會從中斷處繼續。`, `The connection kept dropping (${w}) and the download did not finish. The package has not been collected yet: check the network and try again; it continues where it stopped.`, true],
  DOWNLOAD_SIZE_MISMATCH: (w) => [`收到的資料大小與平臺宣告的不符（${w}），資料包不予保存。${AGAIN_ZH}`, `The data received does not match the size the platform announced (${w}), so the package was not kept. ${AGAIN_EN}`, false],
  DOWNLOAD_TOO_LARGE: (w) => [`資料包大小（${w}）超過本程式可安全處理的上限，未下載。`, `The package (${w}) is larger than this app can handle safely, so it was not downloaded.`, false],
  DOWNLOAD_DIGEST_MISMATCH: () => [`收到的資料包 SHA-256 雜湊值與平臺宣告的（Repr-Digest）不符：傳輸中可能被竄改或損毀，資料包不予保存。${AGAIN_ZH}`, `The SHA-256 digest of the package received does not match the one the platform announced (Repr-Digest): it may have been altered or damaged in transit, so it was not kept. ${AGAIN_EN}`, false],
  DOWNLOAD_VERIFICATION_FAILED: (w) => [`資料包未通過驗證，未保存任何內容：${w}`, `The package did not pass verification and nothing was kept: ${w}`, false],
  DOWNLOAD_DISK_FULL: (w) => [`磁碟空間不足（${w}），無法下載並保存資料包。請釋出空間後再試一次；資料包尚未被領取。`, `There is not enough disk space (${w}) to download and keep the package. Free some space and try again; the package has not been collected yet.`, true],
  DOWNLOAD_CANCELLED: () => ['下載已取消，未保存任何內容。若資料包尚未完整下載，仍可在有效期限內重新開始。', 'The download was cancelled and nothing was kept. If it had not finished, you can start it again while the package is still valid.', true],
  DOWNLOAD_UNEXPECTED_RESPONSE: (w) => [`平臺的回應不符合預期（${w}），下載未完成。請稍後再試；若持續發生請回報問題。`, `The platform answered unexpectedly (${w}) and the download did not finish. Try again later; report a problem if it keeps happening.`, true],
};

export function downloadFailure(code: DownloadErrorCode, what = '', cause?: unknown): AppFailure {
  const [zh, en, retryable] = texts[code](what);
  return new AppFailure({ code, message_zh: zh, message_en: en, retryable }, cause === undefined ? undefined : { cause });
}

/** Waits `ms`, or fails as DOWNLOAD_CANCELLED as soon as `signal` aborts. */
export function abortable(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(downloadFailure(DownloadErrorCode.CANCELLED));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(downloadFailure(DownloadErrorCode.CANCELLED));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function checkCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw downloadFailure(DownloadErrorCode.CANCELLED);
}

/** A size for the messages above (binary units). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** A Node system error with this errno code (ENOSPC, ENOENT…). */
export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

