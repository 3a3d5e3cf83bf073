// The two ways into the consent screen: a catalogue service (/services/:id/consent) and a service provider's request
// that arrived by deep link (/requests/:requestUri). Both ask main for the screen's view, in the person's language, and
// show the same screen.
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { AppError, ConsentView } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { ErrorView, PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { ConsentScreen } from './ConsentScreen.tsx';

type Loaded = { readonly status: 'loading' } | { readonly status: 'ready'; readonly view: ConsentView } | { readonly status: 'error'; readonly error: AppError };

/** Loads the view; reload() asks again (after a verification, a sign-out, a retry, a change of language) and keeps the screen meanwhile. */
function useConsentContext(load: () => Promise<ConsentView>): { loaded: Loaded; reload: () => void } {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (view) => { if (live) setLoaded({ status: 'ready', view }); },
      (error: unknown) => { if (live) setLoaded({ status: 'error', error: toAppError(error) }); },
    );
    return () => { live = false; };
  }, [load, attempt]);
  const reload = useCallback(() => { setAttempt((n) => n + 1); }, []);
  return { loaded, reload };
}

function Body(props: { loaded: Loaded; reload: () => void }) {
  const { t } = useI18n();
  if (props.loaded.status === 'loading') return <p className="loading">{t('consent.loading')}</p>;
  if (props.loaded.status === 'error') return <ErrorView variant="inline" error={props.loaded.error} onRetry={props.reload} />;
  return <ConsentScreen view={props.loaded.view} onReload={props.reload} />;
}

export function ServiceConsentPage() {
  const { t, language } = useI18n();
  const { id = '' } = useParams();
  const load = useCallback(() => invoke('consent:view', { serviceId: id, language }), [id, language]);
  const { loaded, reload } = useConsentContext(load);
  const name = loaded.status === 'ready' ? loaded.view.name : id;
  return (
    <>
      <PageHeading>{t('consent.title', { service: name })}</PageHeading>
      <p>
        <Link to={`/services/${encodeURIComponent(id)}`}>{t('consent.back')}</Link>
      </p>
      <Body loaded={loaded} reload={reload} />
    </>
  );
}

export function RequestConsentPage() {
  const { t, language } = useI18n();
  const { requestUri = '' } = useParams();
  const load = useCallback(() => invoke('consent:request-view', { requestUri, language }), [requestUri, language]);
  const { loaded, reload } = useConsentContext(load);
  const name = loaded.status === 'ready' ? loaded.view.name : '';
  return (
    <>
      <PageHeading>{t('consent.requestTitle', { service: name })}</PageHeading>
      <Body loaded={loaded} reload={reload} />
    </>
  );
}
