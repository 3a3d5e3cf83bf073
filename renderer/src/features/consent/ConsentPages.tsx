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

/**
 * The context as loaded; reload() asks again (after a verification, a sign-out, a retry) and keeps the screen meanwhile.
 * The view is asked again in each language, so while the new language's view is on its way the previous one stays,
 * and the screen is keyed by what is being consented to (`target`), not by the view: what the person has read,
 * ticked, the confirmation open and the outcome of a consent sent survive a change of language or theme. A view kept
 * from another target (the route changed to another service) is not shown.
 */
function Body(props: { loaded: Loaded; reload: () => void; target: string; targetOf: (view: ConsentView) => string }) {
  const { t } = useI18n();
  const { loaded } = props;
  if (loaded.status === 'error') return <ErrorView variant="inline" error={loaded.error} onRetry={props.reload} />;
  if (loaded.status === 'loading' || props.targetOf(loaded.data) !== props.target) return <p className="loading">{t('consent.loading')}</p>;
  return <ConsentScreen key={props.target} view={loaded.data} onReload={props.reload} />;
}

const serviceTarget = (view: ConsentView): string => view.serviceId;
const requestTarget = (view: ConsentView): string => view.request?.requestUri ?? '';

export function ServiceConsentPage() {
  const { t, language } = useI18n();
  const { id = '' } = useParams();
  const loaded = useIpcQuery('consent:view', { serviceId: id, language }, { keepPrevious: true });
  const reload = loaded.refetch;
  // A view kept from another service while this one loads must not lend its name to the heading.
  const name = loaded.status === 'ready' && serviceTarget(loaded.data) === id ? loaded.data.name : id;
  return (
    <>
      <PageHeading>{t('consent.title', { service: name })}</PageHeading>
      <p>
        <Link to={`/services/${encodeURIComponent(id)}`}>{t('consent.back')}</Link>
      </p>
      <Body loaded={loaded} reload={reload} target={id} targetOf={serviceTarget} />
    </>
  );
}

export function RequestConsentPage() {
  const { t, language } = useI18n();
  const { requestUri = '' } = useParams();
  const loaded = useIpcQuery('consent:request-view', { requestUri, language }, { keepPrevious: true });
  const reload = loaded.refetch;
  const name = loaded.status === 'ready' && requestTarget(loaded.data) === requestUri ? loaded.data.name : '';
  return (
    <>
      <PageHeading>{t('consent.requestTitle', { service: name })}</PageHeading>
      <Body loaded={loaded} reload={reload} target={requestUri} targetOf={requestTarget} />
    </>
  );
}
