// The identity session as the renderer knows it: asked of main once, then kept current by identity:changed and
// identity:result; one store for the whole window, so the badge and every verification step agree.
import { useSyncExternalStore } from 'react';
import type { AppError, IdentitySession } from '../../../../electron/contract/index.ts';
import { invoke, subscribe, toAppError } from '../../app/ipc.ts';

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly session: IdentitySession | null }
  | { readonly status: 'error'; readonly error: AppError };

let state: SessionState = { status: 'loading' };
const listeners = new Set<() => void>();
let started = false;

function set(next: SessionState): void {
  state = next;
  for (const listener of listeners) listener();
}

/** Asks main for the session; an event that arrived meanwhile is newer and wins. */
export function refreshSession(): void {
  const asked = state;
  invoke('identity:session', {}).then(
    (session) => {
      if (state === asked || state.status !== 'ready') set({ status: 'ready', session });
    },
    (error: unknown) => {
      if (state === asked) set({ status: 'error', error: toAppError(error) });
    },
  );
}

/** Starts listening and asks main once (again a no-op); the start-up calls it early so the first render has the answer. */
export function startIdentitySession(): void {
  if (started) return;
  started = true;
  subscribe('identity:changed', (session) => {
    set({ status: 'ready', session });
  });
  subscribe('identity:result', (outcome) => {
    if (outcome.ok) set({ status: 'ready', session: outcome.session });
  });
  refreshSession();
}

function listen(listener: () => void): () => void {
  startIdentitySession();
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function useIdentitySession(): SessionState {
  return useSyncExternalStore(listen, () => state);
}

/** Drops the session in main (identity:sign-out); the store empties at once and identity:changed confirms it. */
export async function signOut(): Promise<void> {
  await invoke('identity:sign-out', {});
  set({ status: 'ready', session: null });
}
