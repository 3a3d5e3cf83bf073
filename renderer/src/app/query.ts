// The renderer's data layer: main's answers cached by contract channel and payload, shared by every screen that
// shows them, asked again when main sends an event that changes them, and dropped when no screen shows them.
import { useCallback, useMemo, useState, useSyncExternalStore } from 'react';
import type { AppError, ChannelName, EventName, Payload, Result } from '../../../electron/contract/index.ts';
import { invoke, subscribe, toAppError } from './ipc.ts';

/** What a screen shows of one query: not answered yet, main's answer, or the AppError main (or the bridge) gave. */
export type QueryState<T> =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly data: T }
  | { readonly status: 'error'; readonly error: AppError };

export type Query<T> = QueryState<T> & { readonly refetch: () => void };

interface Entry {
  readonly channel: ChannelName;
  readonly payload: unknown;
  /** Channel and payload (without what else the answer depends on). */
  readonly base: string;
  state: QueryState<unknown>;
  /** Counts the requests started, so that only the latest one's answer is kept (an older one may settle later). */
  run: number;
  listeners: Set<() => void>;
  /** A prefetched entry survives until a screen has shown it once. */
  held: boolean;
  /** Set when an event made the answer stale while no screen showed it: asked again on the next showing. */
  stale: boolean;
  /** Holds an answer given in the page (seedIpcQuery) until main has answered once. */
  seeded?: boolean;
}

const LOADING: QueryState<never> = Object.freeze({ status: 'loading' });
const cache = new Map<string, Entry>();

function keyOf(channel: ChannelName, payload: unknown): string {
  return `${channel}\n${JSON.stringify(payload)}`;
}

function entryFor(channel: ChannelName, payload: unknown, key: string = keyOf(channel, payload)): Entry {
  let entry = cache.get(key);
  if (!entry) {
    entry = { channel, payload, base: keyOf(channel, payload), state: LOADING, run: 0, listeners: new Set(), held: false, stale: true };
    cache.set(key, entry);
  }
  return entry;
}

function publish(entry: Entry, state: QueryState<unknown>): void {
  entry.state = state;
  for (const listener of entry.listeners) listener();
}

function load(entry: Entry): Promise<unknown> {
  const run = ++entry.run;
  entry.stale = false;
  // A failed answer gives way to "loading" while asking again; a good one stays on screen until the new one is in.
  if (entry.state.status === 'error') publish(entry, LOADING);
  // The rejection is handled here (the screen shows it), so callers may ignore the returned promise.
  const answer: Promise<unknown> = invoke(entry.channel, entry.payload as never);
  void answer.then(
    (data: unknown) => {
      if (entry.run !== run) return;
      const seeded = entry.seeded;
      entry.seeded = false;
      if (seeded && entry.state.status === 'ready' && JSON.stringify(entry.state.data) === JSON.stringify(data)) return;
      publish(entry, { status: 'ready', data });
    },
    (error: unknown) => {
      if (entry.run === run) publish(entry, { status: 'error', error: toAppError(error) });
    },
  );
  return answer;
}

function release(key: string, entry: Entry): void {
  // Deferred: a remount in the same turn (StrictMode, a key flip-flop) keeps the answer it already has.
  queueMicrotask(() => {
    if (entry.listeners.size === 0 && !entry.held && cache.get(key) === entry) {
      entry.run++; // an answer still on its way is not kept
      cache.delete(key);
    }
  });
}

/**
 * Starts asking main before React renders (start-up), so the first render usually has the answer already; returns
 * the answer's promise, or null when the query was already asked.
 */
export function prefetchIpcQuery<C extends ChannelName>(channel: C, payload: Payload<C>): Promise<Result<C>> | null {
  installEventRules();
  const entry = entryFor(channel, payload);
  if (entry.run > 0) return null;
  entry.held = true;
  return load(entry) as Promise<Result<C>>;
}

/** Puts an answer main gave some other way (an update's result, an event carrying the new value) into the cache. */
export function setIpcQueryData<C extends ChannelName>(channel: C, payload: Payload<C>, data: Result<C>): void {
  const base = keyOf(channel, payload);
  for (const entry of cache.values()) {
    if (entry.base !== base) continue;
    entry.run++; // an older request still on its way does not overwrite this
    entry.stale = false;
    publish(entry, { status: 'ready', data });
  }
}

/**
 * Puts an answer main gave in the page (the first frame's, see first-frame.tsx) into the cache before anything is
 * rendered, so the first render shows it. Marked stale: the first screen showing it asks main again, and keeps the
 * object it has when the new answer is the same (no second render of everything that reads it).
 */
export function seedIpcQuery<C extends ChannelName>(channel: C, payload: Payload<C>, data: Result<C>): void {
  const entry = entryFor(channel, payload);
  entry.run++;
  entry.held = true;
  entry.stale = true;
  entry.seeded = true;
  publish(entry, { status: 'ready', data });
}

/** Forgets every cached answer (after a first frame rendered to HTML, whose answers belong to that page only). */
export function clearIpcQueries(): void {
  for (const entry of cache.values()) entry.run++;
  cache.clear();
}

/** Marks every cached answer of a channel stale: the shown ones are asked again now, the others when next shown. */
export function invalidateIpcQueries(channel: ChannelName): void {
  for (const entry of cache.values()) {
    if (entry.channel !== channel) continue;
    if (entry.listeners.size > 0) void load(entry);
    else entry.stale = true;
  }
}

let rulesInstalled = false;
let uninstallRules: (() => void)[] = [];

/**
 * Which of main's events change which answers. Events that carry the new value set it; the others make the
 * channels they affect stale. Installed once, for the window's lifetime.
 */
function installEventRules(): void {
  // Rendered to HTML outside a window (the first frame, in main): no bridge and no events there.
  if (rulesInstalled || typeof window === 'undefined') return;
  rulesInstalled = true;
  const on = <E extends EventName>(event: E, rule: Parameters<typeof subscribe<E>>[1]) => {
    uninstallRules.push(subscribe(event, rule));
  };
  on('settings:changed', (settings) => {
    setIpcQueryData('settings:get', {}, settings);
  });
  on('identity:changed', (session) => {
    setIpcQueryData('identity:session', {}, session);
  });
  on('update:state', (state) => {
    setIpcQueryData('update:state', {}, state);
  });
  // A download that starts or ends (not one that only progresses) changes what is still pending.
  const taskStates = new Map<string, string>();
  on('package:task', (task) => {
    if (taskStates.get(task.taskId) === task.state) return;
    taskStates.set(task.taskId, task.state);
    invalidateIpcQueries('package:pending');
  });
}

export interface QueryOptions {
  /** false: do not ask (yet); the query reads as loading. */
  readonly enabled?: boolean;
  /**
   * What else the answer depends on that main does not need told (e.g. the chain head it was checked against): a new
   * value is a new query, asked at once.
   */
  readonly after?: string | number | null;
  /** While a new payload's answer is on its way, keep showing the previous payload's answer (filters, paging). */
  readonly keepPrevious?: boolean;
}

/** Main's answer to `channel` with `payload`, asked once for every screen showing it; refetch() asks again. */
export function useIpcQuery<C extends ChannelName>(channel: C, payload: Payload<C>, options: QueryOptions = {}): Query<Result<C>> {
  installEventRules();
  const enabled = options.enabled ?? true;
  // The payload is read through its JSON, so a new object with the same content is the same query.
  const json = JSON.stringify(payload);
  const key = `${channel}\n${json}` + (options.after === undefined ? '' : `\n${String(options.after)}`);

  const subscribeEntry = useCallback(
    (listener: () => void) => {
      if (!enabled) return () => undefined;
      const entry = entryFor(channel, JSON.parse(json), key);
      entry.listeners.add(listener);
      entry.held = false;
      if (entry.stale) void load(entry);
      return () => {
        entry.listeners.delete(listener);
        release(key, entry);
      };
    },
    [channel, json, key, enabled],
  );
  const getState = useCallback(() => (enabled ? entryFor(channel, JSON.parse(json), key).state : LOADING), [channel, json, key, enabled]);
  const state = useSyncExternalStore(subscribeEntry, getState, getState) as QueryState<Result<C>>;

  // Kept in state, not a ref: the answer last shown, for keepPrevious. Noted only when asked for: noting it calls the
  // component a second time, which every screen showing an answer would pay on its first render.
  const [previous, setPrevious] = useState<QueryState<Result<C>>>(LOADING);
  if (options.keepPrevious && state.status === 'ready' && previous !== state) setPrevious(state);
  const shown = options.keepPrevious && state.status === 'loading' && previous.status === 'ready' ? previous : state;

  const refetch = useCallback(() => {
    if (enabled) void load(entryFor(channel, JSON.parse(json), key));
  }, [channel, json, key, enabled]);
  return useMemo(() => ({ ...shown, refetch }), [shown, refetch]);
}

/** Several queries shown as one: loading until all are in, the first error if any fails; refetch() asks all again. */
export function combineQueries<T extends readonly Query<unknown>[]>(
  ...queries: T
): Query<{ [K in keyof T]: T[K] extends Query<infer R> ? R : never }> {
  const refetch = () => {
    for (const q of queries) q.refetch();
  };
  const failed = queries.find((q) => q.status === 'error');
  if (failed?.status === 'error') return { status: 'error', error: failed.error, refetch };
  if (queries.some((q) => q.status === 'loading')) return { status: 'loading', refetch };
  const data = queries.map((q) => (q.status === 'ready' ? q.data : undefined));
  return { status: 'ready', data: data as { [K in keyof T]: T[K] extends Query<infer R> ? R : never }, refetch };
}

/** For tests: what the cache holds for a channel and payload (undefined when nothing). */
export function peekIpcQueryForTests<C extends ChannelName>(channel: C, payload: Payload<C>): QueryState<Result<C>> | undefined {
  return cache.get(keyOf(channel, payload))?.state as QueryState<Result<C>> | undefined;
}

/** For tests: forget every cached answer and the event rules (installed again, on the current bridge, by the next use). */
export function resetIpcQueriesForTests(): void {
  for (const entry of cache.values()) entry.run++;
  cache.clear();
  for (const off of uninstallRules) off();
  uninstallRules = [];
  rulesInstalled = false;
}
