// The renderer's root: hash router (served from app://app/index.html), providers, the shell and its routes.
import { HashRouter, Route, Routes } from 'react-router';
import { RouteFocusProvider } from '../components/index.ts';
import { AppInfoProvider } from './app-info.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { NotFound } from './NotFound.tsx';
import { appRoutes, subRoutes } from './routes.tsx';
import { SettingsProvider } from './settings.tsx';
import { Shell } from './Shell.tsx';

export function App() {
  return (
    <HashRouter>
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
    </HashRouter>
  );
}
