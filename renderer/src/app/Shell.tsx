// The window's frame: skip link, banner with the app name, main navigation, the current screen, footer.
import { Suspense, useRef } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { IdentityBadge } from '../features/identity/badge.ts';
import { useI18n } from '../i18n/index.ts';
import { lazyWithMessages } from '../i18n/lazy.ts';
import { useAppInfo } from './app-info.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { AfterFirstFrame } from './first-paint.tsx';
import { Notices } from './Notices.tsx';
import { appRoutes } from './routes.tsx';
import { DemoMarker, needsPlatform } from '../features/settings/profile-marks.tsx';

const FirstStart = lazyWithMessages(() => import('../features/settings/FirstStart.tsx'), (m) => m.default);
const NotInOfficialProfile = lazyWithMessages(() => import('../features/settings/NotInOfficialProfile.tsx'), (m) => m.default);

// Updates are rare: the banner's code loads after the first frame (AfterFirstFrame).
const UpdateBanner = lazyWithMessages(() => import('../features/update/UpdateBanner.tsx'), (m) => m.default);

export function Shell() {
  const { t } = useI18n();
  const mainRef = useRef<HTMLElement>(null);
  const location = useLocation();
  const appInfo = useAppInfo();
  const profile = appInfo.status === 'ready' ? appInfo.info.profile : null;

  // A packaged build's first start: nothing else until the person has chosen the official service or the demo.
  if (appInfo.status === 'ready' && appInfo.info.needsProfileChoice) {
    return (
      <Suspense fallback={<p className="loading">{t('shell.loading')}</p>}>
        <FirstStart />
      </Suspense>
    );
  }

  return (
    <div className="shell">
      {/* A hash link would be read as a route by the hash router, so the skip link moves focus itself. */}
      <a
        className="skip-link"
        href="#main-content"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
      >
        {t('shell.skipLink')}
      </a>
      <header className="banner">
        <p className="app-name">{t('app.name')}</p>
        {profile !== null && <DemoMarker profile={profile} />}
        {profile !== null && profile !== 'official' && <IdentityBadge />}
      </header>
      <div className="body">
        <nav className="main-nav" aria-label={t('shell.navLabel')}>
          <ul>
            {appRoutes.map((route) => (
              <li key={route.path}>
                <NavLink to={route.path} end={route.path === '/'} className="nav-link">
                  {t(route.navLabel)}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main-content" ref={mainRef} tabIndex={-1} className="main">
          <Notices />
          <AfterFirstFrame>
            <Suspense fallback={null}>
              <UpdateBanner />
            </Suspense>
          </AfterFirstFrame>
          <ErrorBoundary resetKey={location.pathname}>
            <Suspense fallback={<p className="loading">{t('shell.loading')}</p>}>
              {profile === 'official' && needsPlatform(location.pathname) ? <NotInOfficialProfile /> : <Outlet />}
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
      <footer className="footer">
        <p>
          {t('app.name')}
          {appInfo.status === 'ready' && (
            <>
              {' · '}
              {t('shell.footer.version', { version: appInfo.info.version })}
              {' · '}
              {t(`profile.${appInfo.info.profile}`)}
            </>
          )}
        </p>
      </footer>
    </div>
  );
}
