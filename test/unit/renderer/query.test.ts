// The renderer's data layer without React: a prefetch asks main once, an event that carries the new value replaces
// the cached answer, and an answer that arrives after a newer one is not kept.
import { afterEach, describe, expect, it } from 'vitest';
import type { MyDataApi } from '../../../electron/contract/index.ts';
import { DEFAULT_SETTINGS } from '../../../electron/contract/settings.ts';
import { peekIpcQueryForTests, prefetchIpcQuery, resetIpcQueriesForTests } from '../../../renderer/src/app/query.ts';

const g = globalThis as { window?: { mydata?: Partial<MyDataApi> } };

afterEach(() => {
  resetIpcQueriesForTests();
  delete g.window;
});

describe('prefetchIpcQuery', () => {
  it('asks main once per channel and payload and hands back its answer', async () => {
    const calls: string[] = [];
    g.window = {
      mydata: {
        invoke: ((channel: string) => {
          calls.push(channel);
          return Promise.resolve({ ok: true, value: DEFAULT_SETTINGS });
        }) as MyDataApi['invoke'],
        on: () => () => undefined,
      },
    };
    const first = prefetchIpcQuery('settings:get', {});
    const second = prefetchIpcQuery('settings:get', {});
    expect(second).toBeNull();
    await expect(first).resolves.toEqual(DEFAULT_SETTINGS);
    expect(calls).toEqual(['settings:get']);
  });

  it('passes main’s AppError on as a rejection the caller may ignore', async () => {
    const error = { code: 'SETTINGS_READ_FAILED', message_zh: '無法讀取設定。', message_en: 'Settings could not be read.', retryable: true };
    g.window = { mydata: { invoke: () => Promise.resolve({ ok: false, error }), on: () => () => undefined } };
    const answer = prefetchIpcQuery('settings:get', {});
    await expect(answer).rejects.toMatchObject({ appError: error });
  });
});

describe('events from main', () => {
  it('settings:changed replaces the cached settings, and a late answer to the older request does not overwrite it', async () => {
    let resolveGet: (value: unknown) => void = () => undefined;
    const listeners = new Map<string, (data: unknown) => void>();
    g.window = {
      mydata: {
        invoke: (() => new Promise<unknown>((resolve) => { resolveGet = resolve; })) as unknown as MyDataApi['invoke'],
        on: ((event: string, listener: (data: unknown) => void) => {
          listeners.set(event, listener);
          return () => undefined;
        }) as MyDataApi['on'],
      },
    };
    const answer = prefetchIpcQuery('settings:get', {});
    const changed = { ...DEFAULT_SETTINGS, language: 'en' as const };
    listeners.get('settings:changed')?.(changed);
    expect(peekIpcQueryForTests('settings:get', {})).toEqual({ status: 'ready', data: changed });
    resolveGet({ ok: true, value: DEFAULT_SETTINGS });
    await answer;
    expect(peekIpcQueryForTests('settings:get', {})).toEqual({ status: 'ready', data: changed });
  });

  it('a download changing state while nobody shows the pending list does not ask main again (it is asked when next shown)', () => {
    const listeners = new Map<string, (data: unknown) => void>();
    const calls: string[] = [];
    g.window = {
      mydata: {
        invoke: ((channel: string) => {
          calls.push(channel);
          return new Promise(() => undefined);
        }),
        on: ((event: string, listener: (data: unknown) => void) => {
          listeners.set(event, listener);
          return () => undefined;
        }) as MyDataApi['on'],
      },
    };
    void prefetchIpcQuery('package:pending', {});
    // A prefetched entry counts as shown by nobody: an invalidation marks it stale without asking main again.
    const task = { taskId: 't1', state: 'downloading' };
    listeners.get('package:task')?.(task);
    listeners.get('package:task')?.({ ...task, state: 'done' });
    expect(calls).toEqual(['package:pending']);
    expect(peekIpcQueryForTests('package:pending', {})).toEqual({ status: 'loading' });
  });
});
