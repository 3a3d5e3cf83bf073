// Settings state for the whole renderer: loaded through IPC, updated through IPC, applied at once to <html>.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppError, Settings, SettingsPatch } from '../../../electron/contract/index.ts';
import { ErrorView } from '../components/index.ts';
import { I18nProvider, useI18n } from '../i18n/index.ts';
import { invoke, subscribe, toAppError } from './ipc.ts';
import { resolveTheme, useSystemAppearance } from './theme.ts';

interface SettingsContextValue {
  readonly settings: Settings;
  /** Persists a change through main and applies what main answers; rejects with an IpcError. */
  readonly update: (patch: SettingsPatch) => Promise<void>;
}

const SettingsContext = createContext<SettingsContextValue | null>(null);

export function useSettings(): SettingsContextValue {
  const value = useContext(SettingsContext);
  if (!value) throw new Error('useSettings outside SettingsProvider');
  return value;
}

type LoadState = { status: 'loading' } | { status: 'ready'; settings: Settings } | { status: 'error'; error: AppError };

export function SettingsProvider(props: { children: ReactNode }) {
  const [state, setState] = useState<LoadState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    invoke('settings:get', {}).then(
      (settings) => {
        if (live) setState({ status: 'ready', settings });
      },
      (error: unknown) => {
        if (live) setState({ status: 'error', error: toAppError(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt]);

  // Another window or main itself may change settings: main's copy is the truth.
  useEffect(() => subscribe('settings:changed', (settings) => { setState({ status: 'ready', settings }); }), []);

  const update = useCallback(async (patch: SettingsPatch) => {
    const settings = await invoke('settings:update', patch);
    setState({ status: 'ready', settings });
  }, []);

  const settings = state.status === 'ready' ? state.settings : null;
  const value = useMemo(() => (settings ? { settings, update } : null), [settings, update]);

  return (
    <I18nProvider language={settings?.language ?? 'zh-TW'} calendar={settings?.calendar ?? 'gregorian'}>
      <DocumentAppearance settings={settings} />
      {state.status === 'error' && (
        <main id="main-content" className="startup-error">
          <ErrorView
            variant="page"
            error={state.error}
            onRetry={() => {
              setState({ status: 'loading' });
              setAttempt((n) => n + 1);
            }}
          />
        </main>
      )}
      {state.status === 'loading' && <StartupLoading />}
      {value && <SettingsContext value={value}>{props.children}</SettingsContext>}
    </I18nProvider>
  );
}

function StartupLoading() {
  const { t } = useI18n();
  return (
    <p className="startup-loading" role="status">
      {t('shell.loading')}
    </p>
  );
}

/** Keeps <html lang> and data-theme in step with the settings and the OS. */
function DocumentAppearance(props: { settings: Settings | null }) {
  const system = useSystemAppearance();
  const language = props.settings?.language;
  const preference = props.settings?.theme;
  const applied = preference ? resolveTheme(preference, system) : null;
  useEffect(() => {
    const root = document.documentElement;
    if (language) root.lang = language;
    if (applied && preference) {
      root.dataset.theme = applied;
      root.dataset.themePreference = preference;
    }
  }, [language, applied, preference]);
  return null;
}
