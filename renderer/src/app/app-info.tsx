// The app:info answer (name, version, platform profile), asked once (prefetched at start-up) for the shell and the home screen.
import { createContext, useContext, type ReactNode } from 'react';
import type { AppError, AppInfo } from '../../../electron/contract/index.ts';
import { startIdentitySession } from '../features/identity/session.ts';
import { prefetchIpcQuery, useIpcQuery } from './query.ts';

export type AppInfoState =
  | { status: 'loading'; reload: () => void }
  | { status: 'ready'; info: AppInfo; reload: () => void }
  | { status: 'error'; error: AppError; reload: () => void };

const AppInfoContext = createContext<AppInfoState | null>(null);

export function useAppInfo(): AppInfoState {
  const value = useContext(AppInfoContext);
  if (!value) throw new Error('useAppInfo outside AppInfoProvider');
  return value;
}

/**
 * Starts app:info before React renders, and once it is in, the identity session that the header badge and home show
 * in a profile with a platform: the first render then shows who is verified instead of a loading line that a second
 * render replaces.
 */
export function prefetchAppInfo(): void {
  void prefetchIpcQuery('app:info', {})?.then(
    (info) => {
      if (info.profile === 'official' || info.needsProfileChoice) return;
      startIdentitySession();
      void prefetchIpcQuery('identity:session', {});
    },
    () => undefined,
  );
}

export function AppInfoProvider(props: { children: ReactNode }) {
  const query = useIpcQuery('app:info', {});
  const reload = query.refetch;
  const value: AppInfoState =
    query.status === 'ready' ? { status: 'ready', info: query.data, reload } : query.status === 'error' ? { status: 'error', error: query.error, reload } : { status: 'loading', reload };
  return <AppInfoContext value={value}>{props.children}</AppInfoContext>;
}
