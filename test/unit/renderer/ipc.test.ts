// The renderer's IPC client: values unwrapped, AppErrors thrown as IpcError, a missing or broken bridge reported by code.
import { afterEach, describe, expect, it } from 'vitest';
import type { MyDataApi } from '../../../electron/contract/index.ts';
import { invoke, IpcError, RendererErrorCode, subscribe, toAppError } from '../../../renderer/src/app/ipc.ts';

const g = globalThis as { window?: { mydata?: Partial<MyDataApi> } };

function install(api: Partial<MyDataApi> | undefined): void {
  g.window = api ? { mydata: api } : {};
}

afterEach(() => {
  delete g.window;
});

describe('invoke', () => {
  it('passes channel and payload through and returns the value', async () => {
    const calls: unknown[] = [];
    install({
      invoke: ((channel: string, payload: unknown) => {
        calls.push([channel, payload]);
        return Promise.resolve({ ok: true, value: { language: 'en', theme: 'dark', calendar: 'roc', profile: 'demo', historyRetentionYears: 2 } });
      }) as MyDataApi['invoke'],
    });
    const settings = await invoke('settings:update', { theme: 'dark' });
    expect(settings.theme).toBe('dark');
    expect(calls).toEqual([['settings:update', { theme: 'dark' }]]);
  });

  it('throws an IpcError carrying the AppError main returned', async () => {
    const error = { code: 'IPC_INVALID_PAYLOAD', message_zh: '資料格式不正確。', message_en: 'Invalid payload.', retryable: false };
    install({ invoke: () => Promise.resolve({ ok: false, error }) });
    const thrown = await invoke('app:info', {}).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(IpcError);
    expect((thrown as IpcError).appError).toEqual(error);
    expect((thrown as IpcError).channel).toBe('app:info');
    expect(toAppError(thrown)).toEqual(error);
  });

  it('reports a missing bridge with its own code and both languages', async () => {
    install(undefined);
    const thrown = await invoke('app:info', {}).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(IpcError);
    const appError = (thrown as IpcError).appError;
    expect(appError.code).toBe(RendererErrorCode.BRIDGE_MISSING);
    expect(appError.message_zh).toMatch(/[\u4e00-\u9fff]/);
    expect(appError.message_en.length).toBeGreaterThan(10);
  });

  it('turns a rejected bridge call into a retryable IpcError that keeps the cause', async () => {
    const cause = new Error('channel closed');
    install({ invoke: () => Promise.reject(cause) });
    const thrown = (await invoke('settings:get', {}).catch((e: unknown) => e)) as IpcError;
    expect(thrown.appError.code).toBe(RendererErrorCode.BRIDGE_FAILED);
    expect(thrown.appError.retryable).toBe(true);
    expect(thrown.cause).toBe(cause);
  });

  it('maps anything else thrown to a generic AppError', () => {
    expect(toAppError(new TypeError('x')).code).toBe(RendererErrorCode.UNEXPECTED);
  });
});

describe('subscribe', () => {
  it('returns the bridge’s unsubscribe, or a no-op without a bridge', () => {
    let unsubscribed = false;
    install({
      on: (() => () => {
        unsubscribed = true;
      }),
    });
    subscribe('settings:changed', () => undefined)();
    expect(unsubscribed).toBe(true);
    install(undefined);
    expect(() => {
      subscribe('settings:changed', () => undefined)();
    }).not.toThrow();
  });
});
