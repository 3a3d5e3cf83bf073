// The directory screens' view, shared by them: fetched once in the person's language (main keeps the platform's copy),
// again on demand or when the language changes; the last view stays shown until the new one arrives.
import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { AppError, DirectoryScreenView, Language } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { useI18n } from '../../i18n/index.ts';

export interface DirectoryState {
  readonly view: DirectoryScreenView | null;
  /** Set when the last attempt failed (with no view, the screen shows the error; with one, a notice beside it). */
  readonly error: AppError | null;
  readonly loading: boolean;
}

let state: DirectoryState = { view: null, error: null, loading: false };
let inFlight: { language: Language; refresh: boolean; done: Promise<void> } | null = null;
const listeners = new Set<() => void>();

function set(next: Partial<DirectoryState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

function load(refresh: boolean, language: Language): Promise<void> {
  // A load in another language (or a plain one when a refresh is asked) runs after the one under way.
  if (inFlight && inFlight.language === language && (inFlight.refresh || !refresh)) return inFlight.done;
  const before = inFlight?.done ?? Promise.resolve();
  set({ loading: true });
  const done = before
    .then(() => invoke('platform:directory-view', { refresh, language }))
    .then(
      // Still loading while a later load waits behind this one.
      (view) => {
        set({ view, error: null, loading: inFlight?.done !== done });
      },
      (error: unknown) => {
        set({ error: toAppError(error), loading: inFlight?.done !== done });
      },
    )
    .finally(() => {
      if (inFlight?.done === done) inFlight = null;
    });
  inFlight = { language, refresh, done };
  return done;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function snapshot(): DirectoryState {
  return state;
}

export function useDirectory(): DirectoryState & { refresh: () => Promise<void>; retry: () => Promise<void> } {
  const { language } = useI18n();
  const current = useSyncExternalStore(subscribe, snapshot);
  // The first screen that looks asks main (which fetches from the platform if it has no copy yet); a change of
  // language asks again for the labels in the new one.
  const stale = current.view === null ? current.error === null : current.view.language !== language;
  useEffect(() => {
    if (stale && !(inFlight && inFlight.language === language)) void load(false, language);
  }, [stale, language]);
  const refresh = useCallback(() => load(true, language), [language]);
  const retry = useCallback(() => load(false, language), [language]);
  return { ...current, refresh, retry };
}
