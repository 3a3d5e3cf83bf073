// The app-update flow: check at start unless the person turned checks off, download with progress, and install only
// when the person chooses "restart to update". Plain Node: the updater is a port (electron-updater behind
// electron/main/updater.ts; a fake in the tests), so every rule here is tested without Electron.
import { AppFailure, type UpdateState } from '../../contract/index.ts';

/** What the updater reports, reduced to what the flow needs (electron/main/updater.ts maps electron-updater's events). */
export type UpdaterEvent =
  | { type: 'checking' }
  | { type: 'available'; version: string }
  | { type: 'not-available' }
  | { type: 'progress'; percent: number; transferred: number; total: number }
  | { type: 'downloaded'; version: string }
  | { type: 'error'; message: string; code: string | null };

export interface UpdaterPort {
  /** Applied once, before the first check. */
  configure(options: { autoDownload: boolean; autoInstallOnAppQuit: boolean }): void;
  /** One check (and, with autoDownload, the download that follows); failures also arrive as 'error' events. */
  check(): Promise<void>;
  /** Quits the app and runs the downloaded installer. */
  quitAndInstall(): void;
  subscribe(listener: (event: UpdaterEvent) => void): void;
}

export const UpdateErrorCode = {
  CHECK_FAILED: 'UPDATE_CHECK_FAILED',
  NOT_TRUSTED: 'UPDATE_NOT_TRUSTED',
  NOT_READY: 'UPDATE_NOT_READY',
} as const;

export const UpdateError = {
  checkFailed: () =>
    new AppFailure({
      code: UpdateErrorCode.CHECK_FAILED,
      message_zh: '無法檢查或下載更新。應用程式照常可用，下次啟動時會再試；請確認網路連線，或在「設定」中關閉更新檢查。',
      message_en: 'Could not check for or download an update. The app keeps working and will try again at the next start; check the network connection, or turn update checks off in Settings.',
      retryable: true,
    }),
  notTrusted: () =>
    new AppFailure({
      code: UpdateErrorCode.NOT_TRUSTED,
      message_zh: '下載的更新未通過簽章或完整性檢查，因此未安裝，也不會安裝。請從專案的 GitHub Releases 頁面手動下載最新版本。',
      message_en: 'The downloaded update failed its signature or integrity check, so it was not installed and will not be. Download the latest version by hand from the project’s GitHub Releases page.',
      retryable: false,
    }),
  notReady: () =>
    new AppFailure({
      code: UpdateErrorCode.NOT_READY,
      message_zh: '目前沒有已下載完成的更新可以安裝。',
      message_en: 'There is no downloaded update to install yet.',
      retryable: false,
    }),
};

/** electron-updater's signature and checksum failures: never retried into an install, and said plainly. */
function isTrustFailure(event: { message: string; code: string | null }): boolean {
  return event.code === 'ERR_CHECKSUM_MISMATCH' || /not signed|signature|publisher/i.test(event.message);
}

export interface UpdateFlowOptions {
  /** null where there is no updater (development, the e2e bridge): the state says so. */
  updater: UpdaterPort | null;
  /** The Settings switch (settings.updateChecks, default on), read at each check. */
  checksEnabled(): boolean;
  emit(state: UpdateState): void;
  log?(error: unknown): void;
}

export interface UpdateFlow {
  state(): UpdateState;
  /** The check at start; does nothing when checks are off or there is no updater. Never throws. */
  checkOnStart(): Promise<void>;
  /** The person's "restart to update"; refused unless an update is downloaded and verified. */
  restartToInstall(): void;
}

export function createUpdateFlow(options: UpdateFlowOptions): UpdateFlow {
  const { updater } = options;
  let state: UpdateState = updater ? { state: 'idle' } : { state: 'off', reason: 'not-packaged' };
  const set = (next: UpdateState) => {
    state = next;
    options.emit(next);
  };

  if (updater) {
    // autoDownload: the check is the person's choice (Settings), and a downloaded update is ready at the next restart;
    // autoInstallOnAppQuit off: quitting never installs anything; only restartToInstall() does.
    updater.configure({ autoDownload: true, autoInstallOnAppQuit: false });
    updater.subscribe((event) => {
      switch (event.type) {
        case 'checking':
          if (state.state !== 'ready') set({ state: 'checking' });
          break;
        case 'available':
          set({ state: 'downloading', version: event.version, percent: 0, transferred: null, total: null });
          break;
        case 'not-available':
          if (state.state !== 'ready') set({ state: 'up-to-date' });
          break;
        case 'progress':
          if (state.state === 'downloading') {
            const percent = Number.isFinite(event.percent) ? Math.min(100, Math.max(0, event.percent)) : 0;
            set({ ...state, percent, transferred: Math.max(0, event.transferred), total: Math.max(0, event.total) });
          }
          break;
        case 'downloaded':
          set({ state: 'ready', version: event.version });
          break;
        case 'error':
          options.log?.(new Error(`${event.code ?? 'updater'}: ${event.message}`));
          // A failure of a later check does not take away an update already downloaded and verified.
          if (state.state === 'ready') break;
          set({ state: 'failed', error: (isTrustFailure(event) ? UpdateError.notTrusted() : UpdateError.checkFailed()).toAppError() });
          break;
      }
    });
  }

  return {
    state: () => state,
    async checkOnStart() {
      if (!updater) return;
      if (!options.checksEnabled()) {
        set({ state: 'off', reason: 'turned-off' });
        return;
      }
      if (state.state === 'downloading' || state.state === 'ready' || state.state === 'checking') return;
      try {
        await updater.check();
      } catch (error) {
        options.log?.(error);
        const current = state as UpdateState;
        if (current.state !== 'failed' && current.state !== 'ready') set({ state: 'failed', error: UpdateError.checkFailed().toAppError() });
      }
    },
    restartToInstall() {
      if (!updater || state.state !== 'ready') throw UpdateError.notReady();
      updater.quitAndInstall();
    },
  };
}
