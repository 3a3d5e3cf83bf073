// The two ways into the consent screen: a catalogue service (/services/:id/consent) and a service provider's request
// that arrived by deep link (/requests/:requestUri). Both ask main for the context and show the same screen.
import { Link, useParams } from 'react-router';
import type { ConsentContext } from '../../../../electron/contract/index.ts';
import { useIpcQuery, type QueryState } from '../../app/query.ts';
import { ErrorView, PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { ConsentScreen } from './ConsentScreen.tsx';

type Loaded = QueryState<ConsentContext>;

/** The context as loaded; reload() asks again (after a verification, a sign-out, a retry) and keeps the screen meanwhile. */
function Body(props: { loaded: Loaded; reload: () => void }) {
  const { t } = useI18n();
  if (props.loaded.status === 'loading') return <p className="loading">{t('consent.loading')}</p>;
  if (props.loaded.status === 'error') return <ErrorView variant="inline" error={props.loaded.error} onRetry={props.reload} />;
  return <ConsentScreen context={props.loaded.data} onReload={props.reload} />;
}

export function ServiceConsentPage() {
  const { t, language } = useI18n();
  const { id = '' } = useParams();
  const loaded = useIpcQuery('consent:context', { serviceId: id });
  const reload = loaded.refetch;
  const name = loaded.status === 'ready' ? (language === 'zh-TW' ? loaded.data.service.name_zh : loaded.data.service.name_en) : id;
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
  const loaded = useIpcQuery('consent:request', { requestUri });
  const reload = loaded.refetch;
  const name = loaded.status === 'ready' ? (language === 'zh-TW' ? loaded.data.service.name_zh : loaded.data.service.name_en) : '';
  return (
    <>
      <PageHeading>{t('consent.requestTitle', { service: name })}</PageHeading>
      <Body loaded={loaded} reload={reload} />
    </>
  );
}
