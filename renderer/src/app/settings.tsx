// Settings state for the whole renderer: loaded through IPC, updated through IPC, applied at once to <html>.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { AppError, Language, Settings, SettingsPatch } from '../../../electron/contract/index.ts';
import { ErrorView } from '../components/index.ts';
import { I18nProvider, isCatalogueLoaded, loadCatalogue, useI18n } from '../i18n/index.ts';
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

type Prefetch = { readonly promise: Promise<Settings>; settled: LoadState | null };

let startup: Prefetch | null = null;

/**
 * Starts the first settings:get before React renders, so that its answer is usually in hand by the first render
 * and the shell renders at once instead of a loading line followed by a second render pass.
 */
export function prefetchSettings(): void {
  if (startup) return;
  const entry: Prefetch = { promise: invoke('settings:get', {}), settled: null };
  entry.promise.then(
    (settings) => {
      entry.settled = { status: 'ready', settings };
      // A language other than the default loads its catalogue now, while React starts.
      if (!isCatalogueLoaded(settings.language)) void loadCatalogue(settings.language).catch(() => undefined);
    },
    (error: unknown) => {
      entry.settled = { status: 'error', error: toAppError(error) };
    },
  );
  startup = entry;
}

export function SettingsProvider(props: { children: ReactNode }) {
  // The prefetch is used by the first mount only; a remount (e.g. after an error boundary reset) asks main again.
  const [prefetch] = useState(() => startup);
  const [state, setState] = useState<LoadState>(() => prefetch?.settled ?? { status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const own = attempt === 0 && prefetch !== null && startup === prefetch ? prefetch : null;
    if (own) startup = null;
    // Already rendered from the prefetch's answer: nothing to wait for.
    if (own && state.status !== 'loading') return;
    let live = true;
    (own?.promise ?? invoke('settings:get', {})).then(
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
    // state is read only to know whether the first render already used the prefetch, not to re-run on changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt, prefetch]);

  // Another window or main itself may change settings: main's copy is the truth.
  useEffect(() => subscribe('settings:changed', (settings) => { setState({ status: 'ready', settings }); }), []);

  const update = useCallback(async (patch: SettingsPatch) => {
    const settings = await invoke('settings:update', patch);
    setState({ status: 'ready', settings });
  }, []);

  const settings = state.status === 'ready' ? state.settings : null;
  const value = useMemo(() => (settings ? { settings, update } : null), [settings, update]);

  // A catalogue that is not loaded yet (English loads on demand): keep showing the language shown so far, or the
  // start-up line before anything was shown, until it is in; if it cannot load, the default language is shown.
  const wanted: Language = settings?.language ?? 'zh-TW';
  const [catalogue, setCatalogue] = useState<{ shown: Language | null; failed: Language | null }>({ shown: null, failed: null });
  const ready = isCatalogueLoaded(wanted) || catalogue.failed === wanted;
  useEffect(() => {
    if (ready) {
      if (settings) setCatalogue((c) => (c.shown === wanted ? c : { ...c, shown: wanted }));
      return;
    }
    let live = true;
    loadCatalogue(wanted).then(
      () => {
        if (live) setCatalogue((c) => ({ ...c, shown: wanted }));
      },
      () => {
        if (live) setCatalogue((c) => ({ ...c, failed: wanted }));
      },
    );
    return () => {
      live = false;
    };
  }, [wanted, ready, settings]);
  const language: Language | null = ready ? wanted : catalogue.shown;

  return (
    <I18nProvider language={language ?? 'zh-TW'} calendar={settings?.calendar ?? 'gregorian'}>
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
      {(state.status === 'loading' || (value && language === null)) && <StartupLoading />}
      {value && language !== null && <SettingsContext value={value}>{props.children}</SettingsContext>}
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
