// The Settings screen's downloads folder: the folder watched for the official website's downloads, chosen through
// main's folder picker (the window never names a path itself); the OS's downloads folder when none was chosen.
import { useId, useState } from 'react';
import type { AppError, DownloadsFolder } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { setIpcQueryData, useIpcQuery } from '../../app/query.ts';
import { useSettings } from '../../app/settings.tsx';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';

export function DownloadsSection() {
  const { t } = useI18n();
  const { settings, update } = useSettings();
  const id = useId();
  // Asked again whenever the chosen folder changes (here or in another window).
  const query = useIpcQuery('settings:downloads-folder', {}, { after: settings.downloadsFolder ?? null, keepPrevious: true });
  const folder: DownloadsFolder | null = query.status === 'ready' ? query.data : null;
  const [actionError, setError] = useState<AppError | null>(null);
  const error = actionError ?? (query.status === 'error' ? query.error : null);

  const run = async (action: () => Promise<unknown>): Promise<void> => {
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(toAppError(e));
    }
  };

  return (
    <section className="settings-section" aria-labelledby={`${id}-heading`} data-testid="settings-downloads">
      <h2 id={`${id}-heading`}>{t('settings.downloads.legend')}</h2>
      <p>{t('settings.downloads.hint')}</p>
      {folder && (
        <p data-testid="downloads-folder">
          {t('settings.downloads.current', {
            folder: folder.chosen ?? t('settings.downloads.osDefault', { folder: folder.osDefault }),
          })}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="button" onClick={() => void run(async () => setIpcQueryData('settings:downloads-folder', {}, await invoke('settings:choose-downloads-folder', {})))}>
          {t('settings.downloads.choose')}
        </button>
        {settings.downloadsFolder !== null && (
          <button type="button" className="button button-quiet" onClick={() => void run(() => update({ downloadsFolder: null }))}>
            {t('settings.downloads.reset')}
          </button>
        )}
      </div>
      {error && <ErrorView variant="inline" error={error} />}
    </section>
  );
}
