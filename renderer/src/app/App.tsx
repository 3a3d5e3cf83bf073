// The renderer's root: hash router (served from app://app/index.html), providers, the shell and its routes.
import type { ReactNode } from 'react';
import { createPath, HashRouter, Route, Router, Routes, type Navigator } from 'react-router';
import { RouteFocusProvider } from '../components/index.ts';
import { AppInfoProvider } from './app-info.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { NotFound } from './NotFound.tsx';
import { appRoutes, subRoutes } from './routes.tsx';
import { SettingsProvider } from './settings.tsx';
import { Shell } from './Shell.tsx';

/**
 * Outside a window (the first frame rendered to HTML) there is no history to follow: the router shows `location`,
 * and links are written as the hash router writes them, so the HTML is what the window's first render makes.
 */
const htmlOnlyNavigator: Navigator = {
  createHref: (to) => `#${typeof to === 'string' ? to : createPath(to)}`,
  go: () => undefined,
  push: () => undefined,
  replace: () => undefined,
};

function AppRouter(props: { location?: string; children: ReactNode }) {
  if (props.location === undefined) return <HashRouter>{props.children}</HashRouter>;
  return (
    <Router location={props.location} navigator={htmlOnlyNavigator} static>
      {props.children}
    </Router>
  );
}

/** `location`: render that route without a window (the first frame rendered to HTML); omitted in the window. */
export function App(props: { location?: string }) {
  return (
    <AppRouter location={props.location}>
      <RouteFocusProvider>
        <ErrorBoundary>
          <SettingsProvider>
            <AppInfoProvider>
              <Routes>
                <Route element={<Shell />}>
                  {[...appRoutes, ...subRoutes].map(({ path, Screen }) => (
                    <Route key={path} path={path} element={<Screen />} />
                  ))}
                  <Route path="*" element={<NotFound />} />
                </Route>
              </Routes>
            </AppInfoProvider>
          </SettingsProvider>
        </ErrorBoundary>
      </RouteFocusProvider>
    </AppRouter>
  );
}
