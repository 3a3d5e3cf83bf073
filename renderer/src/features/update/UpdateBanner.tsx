// The update banner: download progress, then "restart to update" (the only way an update gets installed), or a
// failed update's error. Shows nothing while there is nothing to say. Lazy-loaded by the shell.
import { useEffect, useState, type ReactNode } from 'react';
import type { UpdateState } from '../../../../electron/contract/index.ts';
import { invoke, subscribe, toAppError } from '../../app/ipc.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import './update.css';

export function UpdateBanner() {
  const { t } = useI18n();
  const [state, setState] = useState<UpdateState | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [restartError, setRestartError] = useState<ReturnType<typeof toAppError> | null>(null);

  useEffect(() => {
    let live = true;
    const off = subscribe('update:state', (next) => {
      setState(next);
    });
    invoke('update:state', {}).then(
      (current) => {
        if (live) setState((s) => s ?? current);
      },
      () => undefined, // no banner is better than an error about the banner
    );
    return () => {
      live = false;
      off();
    };
  }, []);

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
