// Home: the app's name, what it does in plain words, and the platform profile reported by app:info.
import { useAppInfo } from '../../app/app-info.tsx';
import { ErrorView, PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';

export function HomePage() {
  const { t, language } = useI18n();
  const appInfo = useAppInfo();
  return (
    <>
      <PageHeading>{t('home.title')}</PageHeading>
      <p className="lead">{t('app.name')}</p>
      <p>{t('home.intro')}</p>
      <p className="status-note">{t('home.status')}</p>
      <section aria-labelledby="home-platform">
        <h2 id="home-platform">{t('home.platform.heading')}</h2>
        {appInfo.status === 'loading' && <p role="status">{t('shell.loading')}</p>}
        {appInfo.status === 'error' && <ErrorView variant="inline" error={appInfo.error} onRetry={appInfo.reload} />}
        {appInfo.status === 'ready' && (
          <dl className="facts" data-testid="platform-profile">
            <dt>{t('home.platform.profile')}</dt>
            <dd data-profile={appInfo.info.profile}>
              {t(appInfo.info.profile === 'sandbox' ? 'profile.sandbox' : 'profile.platform')}
            </dd>
            <dt>{t('home.platform.name')}</dt>
            <dd>{language === 'zh-TW' ? appInfo.info.platformName.zh : appInfo.info.platformName.en}</dd>
            <dt>{t('home.platform.version')}</dt>
            <dd>{appInfo.info.version}</dd>
            <dt>{t('home.platform.runtime')}</dt>
            <dd>{t(appInfo.info.runtime === 'electron' ? 'runtime.electron' : 'runtime.bridge')}</dd>
          </dl>
        )}
      </section>
    </>
  );
}
