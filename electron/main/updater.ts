// Electron adapter for app updates: electron-updater's autoUpdater behind the UpdaterPort of core/update/flow.ts.
// Loaded only in the packaged app (electron-updater reads the app-update.yml electron-builder writes from `publish`).
// Signature checks stay electron-updater's: Windows compares the installer's Authenticode publisher with
// win.publisherName before installing; macOS installs through Squirrel.Mac, which checks the code signature.
import type { UpdaterPort } from '../core/update/flow.ts';

export async function electronUpdaterPort(): Promise<UpdaterPort> {
  const { autoUpdater } = (await import('electron-updater')).default;
  return {
    configure(options) {
      autoUpdater.autoDownload = options.autoDownload;
      autoUpdater.autoInstallOnAppQuit = options.autoInstallOnAppQuit;
      // Only releases, never pre-releases, and never a downgrade.
      autoUpdater.allowPrerelease = false;
      autoUpdater.allowDowngrade = false;
    },
    async check() {
      await autoUpdater.checkForUpdates();
    },
    quitAndInstall() {
      autoUpdater.quitAndInstall(false, true);
    },
    subscribe(listener) {
      autoUpdater.on('checking-for-update', () => listener({ type: 'checking' }));
      autoUpdater.on('update-available', (info) => listener({ type: 'available', version: info.version }));
      autoUpdater.on('update-not-available', () => listener({ type: 'not-available' }));
      autoUpdater.on('download-progress', (p) => listener({ type: 'progress', percent: p.percent, transferred: p.transferred, total: p.total }));
      autoUpdater.on('update-downloaded', (info) => listener({ type: 'downloaded', version: info.version }));
      autoUpdater.on('error', (error: Error & { code?: unknown }) => listener({ type: 'error', message: error.message, code: typeof error.code === 'string' ? error.code : null }));
    },
  };
}
