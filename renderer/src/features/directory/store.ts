// The platform directory shared by the directory screens: fetched once at start (main keeps a copy), again on demand.
import { useCallback, useSyncExternalStore } from 'react';
import type { AppError, DirectoryView } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';

export interface DirectoryState {
  readonly view: DirectoryView | null;
  /** Set when the last attempt failed (with no view, the screen shows the error; with one, a notice beside it). */
  readonly error: AppError | null;
  readonly loading: boolean;
}

let state: DirectoryState = { view: null, error: null, loading: false };
let inFlight: Promise<void> | null = null;
const listeners = new Set<() => void>();

function set(next: Partial<DirectoryState>): void {
  state = { ...state, ...next };
  for (const listener of listeners) listener();
}

function load(refresh: boolean): Promise<void> {
  if (inFlight) return inFlight;
  set({ loading: true });
  inFlight = invoke('platform:directory', { refresh })
    .then(
      (view) => {
        set({ view, error: null, loading: false });
      },
      (error: unknown) => {
        set({ error: toAppError(error), loading: false });
      },
    )
    .finally(() => {
      inFlight = null;
    });
  return inFlight;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // The first screen that looks asks main (which fetches from the platform if it has no copy yet).
  if (state.view === null && state.error === null && !state.loading) void load(false);
  return () => listeners.delete(listener);
}

function snapshot(): DirectoryState {
  return state;
}

export function useDirectory(): DirectoryState & { refresh: () => Promise<void>; retry: () => Promise<void> } {
  const current = useSyncExternalStore(subscribe, snapshot);
  const refresh = useCallback(() => load(true), []);
  const retry = useCallback(() => load(false), []);
  return { ...current, refresh, retry };
}
