// The update banner: download progress, then "restart to update" (the only way an update gets installed), or a
// failed update's error. Shows nothing while there is nothing to say. Lazy-loaded by the shell.
import { useState, type ReactNode } from 'react';
import type { UpdateState } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { useIpcQuery } from '../../app/query.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import './update.css';

function UpdateBanner() {
  const { t } = useI18n();
  // update:state events replace the answer (the data layer's rule); no banner is better than an error about the banner.
  const query = useIpcQuery('update:state', {});
  const state: UpdateState | null = query.status === 'ready' ? query.data : null;
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [restartError, setRestartError] = useState<ReturnType<typeof toAppError> | null>(null);

  if (!state) return null;
  const key = state.state === 'ready' || state.state === 'downloading' ? `${state.state}:${state.version}` : state.state;
  if (dismissed === key) return null;

  let body: ReactNode = null;
  if (state.state === 'downloading') {
    body = (
      <>
        <p>{t('update.downloading', { version: state.version })}</p>
        <progress max={100} value={state.percent} aria-label={t('update.progress', { version: state.version })} />
      </>
    );
  } else if (state.state === 'ready') {
    body = (
      <>
        <p>{t('update.ready', { version: state.version })}</p>
        <div className="update-actions">
          <button
            type="button"
            className="button"
            onClick={() => {
              invoke('update:restart', {}).catch((error: unknown) => {
                setRestartError(toAppError(error));
              });
            }}
          >
            {t('update.restart')}
          </button>
          <button type="button" className="button button-secondary" onClick={() => setDismissed(key)}>
            {t('update.later')}
          </button>
        </div>
        {restartError && <ErrorView variant="inline" error={restartError} />}
      </>
    );
  } else if (state.state === 'failed') {
    body = (
      <>
        <p>{t('update.failed')}</p>
        <ErrorView variant="inline" error={state.error} />
        <div className="update-actions">
          <button type="button" className="button button-secondary" onClick={() => setDismissed(key)}>
            {t('update.later')}
          </button>
        </div>
      </>
    );
  }
  if (body === null) return null;
  return (
    <section className="update-banner" aria-label={t('update.region')} data-testid="update-banner" data-state={state.state}>
      <div role="status" aria-live="polite">
        {body}
      </div>
    </section>
  );
}

export default UpdateBanner;
