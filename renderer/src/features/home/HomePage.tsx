// Home: who is verified, the three journeys, services that cannot be used now (and since when), the latest
// announcements with their timing (G13), recent history, and the platform this profile talks to.
import { Suspense } from 'react';
import { Link } from 'react-router';
import { useAppInfo } from '../../app/app-info.tsx';
import { AfterFirstFrame } from '../../app/first-paint.tsx';
import { useIpcQuery } from '../../app/query.ts';
import { ErrorView, PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { lazyWithMessages } from '../../i18n/lazy.ts';
import { formatInstant, formatLevel } from '../directory/format.ts';

// The unavailable services, the announcements and the recent history (and the directory code they use) load after
// the first frame (AfterFirstFrame), which needs only the heading, the identity summary and the journeys.
const HomeLatest = lazyWithMessages(() => import('./HomeLatest.tsx'), (m) => m.HomeLatest);

export function HomePage() {
  const { t } = useI18n();
  const appInfo = useAppInfo();
  // The official profile has no platform API: no identity session, no catalogue or announcements to show.
  const official = appInfo.status === 'ready' && appInfo.info.profile === 'official';
  return (
    <>
      <PageHeading>{t('home.title')}</PageHeading>
      <p>{t('home.intro')}</p>
      {official ? <p data-testid="home-official">{t('profile.notAvailable.body')}</p> : <IdentitySummary />}
      <Journeys />
      <AfterFirstFrame>
        <Suspense fallback={null}>
          <HomeLatest official={official} />
        </Suspense>
      </AfterFirstFrame>
      <PlatformFacts />
    </>
  );
}

function IdentitySummary() {
  const { t, language, calendar, pick } = useI18n();
  // identity:changed replaces the answer (the data layer's rule).
  const query = useIpcQuery('identity:session', {});
  const state = query.status === 'ready' ? { status: 'ready' as const, session: query.data } : query;
  return (
    <section aria-labelledby="home-identity" className="home-card" data-testid="home-identity">
      <h2 id="home-identity">{t('dir.home.identity')}</h2>
      {state.status === 'loading' && <p>{t('dir.loading')}</p>}
      {state.status === 'error' && (
        <ErrorView
          variant="inline"
          error={state.error}
          onRetry={() => {
            query.refetch();
          }}
        />
      )}
      {state.status === 'ready' && state.session === null && (
        <>
          <p data-verified="false">{t('dir.home.notVerified')}</p>
          <p>
            <Link to="/verify">{t('dir.home.verify')}</Link>
          </p>
        </>
      )}
      {state.status === 'ready' && state.session !== null && (
        <>
          <p data-verified="true">
            {t('dir.home.verified', {
              name: state.session.displayName,
              id: state.session.maskedId,
              provider: pick(state.session.provider),
              level: formatLevel(state.session.level),
            })}
            {state.session.company && ` ${t('dir.home.company', { company: state.session.company.name, ban: state.session.company.ban })}`}
          </p>
          <p>{t('dir.home.expires', { time: formatInstant(state.session.expiresAt, language, calendar) })}</p>
          <p>
            <Link to="/verify">{t('dir.home.manageVerification')}</Link>
          </p>
        </>
      )}
    </section>
  );
}

function Journeys() {
  const { t } = useI18n();
  return (
    <section aria-labelledby="home-journeys">
      <h2 id="home-journeys">{t('dir.home.journeys')}</h2>
      <ul className="journeys">
        <li className="home-card">
          <h3>
            <Link to="/services?kind=self-download">{t('dir.home.download')}</Link>
          </h3>
          <p>{t('dir.home.downloadText')}</p>
        </li>
        <li className="home-card">
          <h3>{t('dir.home.request')}</h3>
          <p>{t('dir.home.requestText')}</p>
          <p>
            <Link to="/services?kind=service-provider">{t('dir.home.requestLink')}</Link>
          </p>
        </li>
        <li className="home-card">
          <h3>
            <Link to="/my-data">{t('dir.home.import')}</Link>
          </h3>
          <p>{t('dir.home.importText')}</p>
        </li>
      </ul>
    </section>
  );
}

function PlatformFacts() {
  const { t, pick } = useI18n();
  const appInfo = useAppInfo();
  return (
    <section aria-labelledby="home-platform">
      <h2 id="home-platform">{t('home.platform.heading')}</h2>
      {appInfo.status === 'loading' && <p role="status">{t('shell.loading')}</p>}
      {appInfo.status === 'error' && <ErrorView variant="inline" error={appInfo.error} onRetry={appInfo.reload} />}
      {appInfo.status === 'ready' && (
        <dl className="facts" data-testid="platform-profile">
          <dt>{t('home.platform.profile')}</dt>
          <dd data-profile={appInfo.info.profile}>{t(`profile.${appInfo.info.profile}`)}</dd>
          <dt>{t('home.platform.name')}</dt>
          <dd>{pick(appInfo.info.platformName)}</dd>
          <dt>{t('home.platform.version')}</dt>
          <dd>{appInfo.info.version}</dd>
          <dt>{t('home.platform.runtime')}</dt>
          <dd>{t(appInfo.info.runtime === 'electron' ? 'runtime.electron' : 'runtime.bridge')}</dd>
        </dl>
      )}
    </section>
  );
}
