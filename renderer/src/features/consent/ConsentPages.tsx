// The two ways into the consent screen: a catalogue service (/services/:id/consent) and a service provider's request
// that arrived by deep link (/requests/:requestUri). Both ask main for the context and show the same screen.
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { AppError, ConsentContext } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { ErrorView, PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { ConsentScreen } from './ConsentScreen.tsx';

type Loaded = { readonly status: 'loading' } | { readonly status: 'ready'; readonly context: ConsentContext } | { readonly status: 'error'; readonly error: AppError };

/** Loads the context; reload() asks again (after a verification, a sign-out, a retry) and keeps the screen meanwhile. */
function useConsentContext(load: () => Promise<ConsentContext>): { loaded: Loaded; reload: () => void } {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (context) => { if (live) setLoaded({ status: 'ready', context }); },
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
  return <ConsentScreen context={props.loaded.context} onReload={props.reload} />;
}

export function ServiceConsentPage() {
  const { t, language } = useI18n();
  const { id = '' } = useParams();
  const load = useCallback(() => invoke('consent:context', { serviceId: id }), [id]);
  const { loaded, reload } = useConsentContext(load);
  const name = loaded.status === 'ready' ? (language === 'zh-TW' ? loaded.context.service.name_zh : loaded.context.service.name_en) : id;
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
  const load = useCallback(() => invoke('consent:request', { requestUri }), [requestUri]);
  const { loaded, reload } = useConsentContext(load);
  const name = loaded.status === 'ready' ? (language === 'zh-TW' ? loaded.context.service.name_zh : loaded.context.service.name_en) : '';
  return (
    <>
      <PageHeading>{t('consent.requestTitle', { service: name })}</PageHeading>
      <Body loaded={loaded} reload={reload} />
    </>
  );
}
