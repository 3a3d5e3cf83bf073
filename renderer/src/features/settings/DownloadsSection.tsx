// The Settings screen's downloads folder: the folder watched for the official website's downloads, chosen through
// main's folder picker (the window never names a path itself); the OS's downloads folder when none was chosen.
import { useEffect, useId, useState } from 'react';
import type { AppError, DownloadsFolder } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { useSettings } from '../../app/settings.tsx';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';

export function DownloadsSection() {
  const { t } = useI18n();
  const { settings, update } = useSettings();
  const id = useId();
  const [folder, setFolder] = useState<DownloadsFolder | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    let live = true;
    invoke('settings:downloads-folder', {}).then(
      (answer) => {
        if (live) setFolder(answer);
      },
      (e: unknown) => {
        if (live) setError(toAppError(e));
      },
    );
    return () => {
      live = false;
    };
  }, [settings.downloadsFolder]);

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
        <button type="button" className="button" onClick={() => void run(async () => setFolder(await invoke('settings:choose-downloads-folder', {})))}>
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
