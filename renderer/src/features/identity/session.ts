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
      // The same answer as the one shown (given in the page at start) changes nothing on screen.
      if (state === asked && state.status === 'ready' && JSON.stringify(state.session) === JSON.stringify(session)) return;
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

const snapshot = (): SessionState => state;

export function useIdentitySession(): SessionState {
  return useSyncExternalStore(listen, snapshot, snapshot);
}

/**
 * The session main gave in the page (the first frame's answers): the first render shows it; main is still asked
 * (startIdentitySession) and its answer replaces it. null `session` = main said nobody is verified.
 */
export function seedSession(session: IdentitySession | null): void {
  state = { status: 'ready', session };
}

/** Back to "not asked yet" (after a first frame rendered to HTML outside a window). */
export function clearSession(): void {
  state = { status: 'loading' };
}

/** Drops the session in main (identity:sign-out); the store empties at once and identity:changed confirms it. */
export async function signOut(): Promise<void> {
  await invoke('identity:sign-out', {});
  set({ status: 'ready', session: null });
}
