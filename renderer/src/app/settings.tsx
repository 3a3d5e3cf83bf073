// Settings state for the whole renderer: loaded through IPC, updated through IPC, applied at once to <html>.
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useMemo, useState, type ReactNode } from 'react';
import type { Language, Settings, SettingsPatch } from '../../../electron/contract/index.ts';
import { ErrorView } from '../components/index.ts';
import { I18nProvider, isCatalogueLoaded, loadCatalogue, useI18n } from '../i18n/index.ts';
import { invoke } from './ipc.ts';
import { prefetchIpcQuery, setIpcQueryData, useIpcQuery } from './query.ts';
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

/**
 * Starts the first settings:get before React renders, so that the answer is usually in hand by the first render and
 * the shell renders at once instead of a loading line followed by a second render pass (app:info: prefetchAppInfo).
 */
export function prefetchSettings(): void {
  void prefetchIpcQuery('settings:get', {})?.then(
    // A language other than the default loads its catalogue now, while React starts.
    (settings) => {
      if (!isCatalogueLoaded(settings.language)) void loadCatalogue(settings.language).catch(() => undefined);
    },
    () => undefined,
  );
}

export function SettingsProvider(props: { children: ReactNode }) {
  // Main's copy is the truth: settings:changed (another window, main itself) replaces the cached answer.
  const state = useIpcQuery('settings:get', {});

  const update = useCallback(async (patch: SettingsPatch) => {
    const settings = await invoke('settings:update', patch);
    setIpcQueryData('settings:get', {}, settings);
  }, []);

  const settings = state.status === 'ready' ? state.data : null;
  const value = useMemo(() => (settings ? { settings, update } : null), [settings, update]);

  // A catalogue that is not loaded yet (English loads on demand): keep showing the language shown so far, or the
  // start-up line before anything was shown, until it is in; if it cannot load, the default language is shown.
  const wanted: Language = settings?.language ?? 'zh-TW';
  const [catalogue, setCatalogue] = useState<{ shown: Language | null; failed: Language | null }>({ shown: null, failed: null });
  const ready = isCatalogueLoaded(wanted) || catalogue.failed === wanted;
  // Noted while rendering (React calls this component again at once, before rendering its children), not in an
  // effect, which would render and commit again just after the first frame.
  if (ready && settings && catalogue.shown !== wanted) setCatalogue({ ...catalogue, shown: wanted });
  useEffect(() => {
    if (ready) return;
    // Each answer states a fact about `wanted` (its catalogue loaded, or failed) that stays true when it arrives late.
    loadCatalogue(wanted).then(
      () => {
        setCatalogue((c) => ({ ...c, shown: wanted }));
      },
      () => {
        setCatalogue((c) => ({ ...c, failed: wanted }));
      },
    );
  }, [wanted, ready]);
  const language: Language | null = ready ? wanted : catalogue.shown;

  return (
    <I18nProvider language={language ?? 'zh-TW'} calendar={settings?.calendar ?? 'gregorian'}>
      <DocumentAppearance settings={settings} />
      {state.status === 'error' && (
        <main id="main-content" className="startup-error">
          <ErrorView
            variant="page"
            error={state.error}
            onRetry={state.refetch}
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

/**
 * Keeps <html lang> and data-theme in step with the settings and the OS. A layout effect: applied before the frame is
 * drawn, so the first frame with the shell already has the person's theme (not the OS colours shown before settings).
 */
function DocumentAppearance(props: { settings: Settings | null }) {
  const system = useSystemAppearance();
  const language = props.settings?.language;
  const preference = props.settings?.theme;
  const applied = preference ? resolveTheme(preference, system) : null;
  useLayoutEffect(() => {
    const root = document.documentElement;
    if (language) root.lang = language;
    if (applied && preference) {
      root.dataset.theme = applied;
      root.dataset.themePreference = preference;
    }
  }, [language, applied, preference]);
  return null;
}
