// The app:info answer (name, version, platform profile), loaded once for the shell and the home screen.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { AppError, AppInfo } from '../../../electron/contract/index.ts';
import { invoke, toAppError } from './ipc.ts';

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

type Loaded = { status: 'loading' } | { status: 'ready'; info: AppInfo } | { status: 'error'; error: AppError };

export function AppInfoProvider(props: { children: ReactNode }) {
  const [state, setState] = useState<Loaded>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    invoke('app:info', {}).then(
      (info) => {
        if (live) setState({ status: 'ready', info });
      },
      (error: unknown) => {
        if (live) setState({ status: 'error', error: toAppError(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);
  return <AppInfoContext value={{ ...state, reload }}>{props.children}</AppInfoContext>;
}
