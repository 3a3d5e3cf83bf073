// "Get my data from MyData": the official website opens in the person's own browser (their card reader and mobile ID
// work there); the app watches their downloads folder for 30 minutes, shows what arrives, asks before importing, and
// offers to delete the plain copy afterwards. The app never sees the website, its login or its password.
import { useEffect, useState } from 'react';
import type { AppError, ImportResult, JourneyState, PackageView } from '../../../../electron/contract/index.ts';
import { invoke, subscribe, toAppError } from '../../app/ipc.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatBytes } from './format.ts';
import { ImportPanel } from './ImportPanel.tsx';

export function Journey(props: { onImported: (view: PackageView) => void }) {
  const { t, language } = useI18n();
  const [state, setState] = useState<JourneyState | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [imported, setImported] = useState<ImportResult | null>(null);
  const [deleted, setDeleted] = useState<boolean | null>(null);

  useEffect(() => {
    const off = subscribe('journey:state', (next) => setState(next));
    invoke('journey:status', {}).then(setState, () => undefined);
    return off;
  }, []);

  const start = () => {
    setError(null);
    setImported(null);
    setDeleted(null);
    invoke('journey:start', {}).then(setState, (e: unknown) => setError(toAppError(e)));
  };
  const cancel = () => {
    invoke('journey:cancel', {}).then(setState, (e: unknown) => setError(toAppError(e)));
  };
  const found = state?.state === 'found' && state.found && !state.found.cancelled ? state.found : null;
  const removeCopy = () => {
    if (!found) return;
    invoke('journey:delete-download', { token: found.token }).then((r) => setDeleted(r.deleted), (e: unknown) => setError(toAppError(e)));
  };
  const until = state?.until ? new Intl.DateTimeFormat(language, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(state.until)) : '';

  return (
    <section className="mydata-section" aria-labelledby="mydata-journey-heading" data-testid="journey" data-state={state?.state ?? 'idle'}>
      <h2 id="mydata-journey-heading">{t('mydata.journey.heading')}</h2>
      <p>{t('mydata.journey.intro')}</p>
      <p className="mydata-hint">{t('mydata.journey.never')}</p>
      {state?.state !== 'watching' && (
        <button type="button" className="button" onClick={start}>
          {t('mydata.journey.start')}
        </button>
      )}
      <div role="status" className="mydata-journey-status">
        {state?.state === 'watching' && (
          <>
            <p>{t('mydata.journey.watching', { folder: state.folder ?? '', until })}</p>
            <p className="mydata-hint">{t('mydata.journey.opened', { website: state.website ?? '' })}</p>
          </>
        )}
        {state?.state === 'timed-out' && <p>{t('mydata.journey.timedOut')}</p>}
        {state?.state === 'cancelled' && <p>{t('mydata.journey.cancelled')}</p>}
        {found && <p>{t('mydata.journey.found', { name: found.fileName, size: formatBytes(found.size, language) })}</p>}
        {deleted === true && <p>{t('mydata.journey.deleted')}</p>}
        {deleted === false && <p>{t('mydata.journey.notDeleted')}</p>}
      </div>
      {state?.state === 'watching' && (
        <button type="button" className="button button-quiet" onClick={cancel}>
          {t('mydata.journey.cancel')}
        </button>
      )}
      {found && (
        <ImportPanel
          embedded
          chosen={found}
          onImported={props.onImported}
          onDone={(result) => setImported(result)}
        />
      )}
      {found && imported && deleted === null && (
        <div className="mydata-journey-delete">
          <p>{t('mydata.journey.deleteAsk', { name: found.fileName })}</p>
          <button type="button" className="button" onClick={removeCopy}>
            {t('mydata.journey.delete')}
          </button>{' '}
          <button type="button" className="button button-quiet" onClick={() => setDeleted(false)}>
            {t('mydata.journey.keep')}
          </button>
        </div>
      )}
      {state?.state === 'failed' && state.error && <ErrorView variant="inline" error={state.error} />}
      {error && <ErrorView variant="inline" error={error} />}
    </section>
  );
}
