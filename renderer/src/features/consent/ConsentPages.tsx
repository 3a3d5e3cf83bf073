// The two ways into the consent screen: a catalogue service (/services/:id/consent) and a service provider's request
// that arrived by deep link (/requests/:requestUri). Both ask main for the screen's view, in the person's language, and
// show the same screen.
import { Link, useParams } from 'react-router';
import type { ConsentView } from '../../../../electron/contract/index.ts';
import { useIpcQuery, type QueryState } from '../../app/query.ts';
import { ErrorView, PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { ConsentScreen } from './ConsentScreen.tsx';

type Loaded = QueryState<ConsentView>;

/** The context as loaded; reload() asks again (after a verification, a sign-out, a retry) and keeps the screen meanwhile. */
function Body(props: { loaded: Loaded; reload: () => void }) {
  const { t } = useI18n();
  if (props.loaded.status === 'loading') return <p className="loading">{t('consent.loading')}</p>;
  if (props.loaded.status === 'error') return <ErrorView variant="inline" error={props.loaded.error} onRetry={props.reload} />;
  return <ConsentScreen view={props.loaded.data} onReload={props.reload} />;
}

export function ServiceConsentPage() {
  const { t, language } = useI18n();
  const { id = '' } = useParams();
  const loaded = useIpcQuery('consent:view', { serviceId: id, language });
  const reload = loaded.refetch;
  const name = loaded.status === 'ready' ? loaded.data.name : id;
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
  const loaded = useIpcQuery('consent:request-view', { requestUri, language });
  const reload = loaded.refetch;
  const name = loaded.status === 'ready' ? loaded.data.name : '';
  return (
    <>
      <PageHeading>{t('consent.requestTitle', { service: name })}</PageHeading>
      <Body loaded={loaded} reload={reload} />
    </>
  );
}
