// handle()/dispatch(): sender checks, unknown channels, payload and result validation, error mapping.
import { describe, expect, it } from 'vitest';
import { AppFailure, DEFAULT_SETTINGS, IpcErrorCode } from '../../../electron/contract/index.ts';
import { createDispatcher, createEventEmitter, isAppProtocolUrl, type SenderInfo } from '../../../electron/main/ipc.ts';

const ours: SenderInfo = { frameUrl: 'app://app/index.html#/settings', isTopFrame: true };

function dispatcherWithSettings() {
  const logged: string[] = [];
  const d = createDispatcher({ isTrustedOrigin: isAppProtocolUrl, logInternal: (c) => logged.push(c) });
  d.handle('settings:get', () => DEFAULT_SETTINGS);
  return { d, logged };
}

describe('dispatcher', () => {
  it('answers a valid call from the app frame', async () => {
    const { d } = dispatcherWithSettings();
    await expect(d.dispatch(ours, 'settings:get', {})).resolves.toEqual({ ok: true, value: DEFAULT_SETTINGS });
  });

  it.each<[string, SenderInfo]>([
    ['a missing frame', { frameUrl: null, isTopFrame: true }],
    ['a subframe', { frameUrl: 'app://app/index.html', isTopFrame: false }],
    ['a remote page', { frameUrl: 'https://evil.example/', isTopFrame: true }],
    ['a file: page', { frameUrl: 'file:///tmp/index.html', isTopFrame: true }],
    ['an empty origin', { frameUrl: 'about:blank', isTopFrame: true }],
    ['an empty url', { frameUrl: '', isTopFrame: true }],
    ['a look-alike host', { frameUrl: 'app://app.evil/index.html', isTopFrame: true }],
    ['a data: page', { frameUrl: 'data:text/html,hi', isTopFrame: true }],
    ['userinfo before the app host', { frameUrl: 'app://user@app/index.html', isTopFrame: true }],
    ['a user and password before the app host', { frameUrl: 'app://u:p@app/index.html', isTopFrame: true }],
    ['a port on the app host', { frameUrl: 'app://app:8080/index.html', isTopFrame: true }],
    ['the app host with a trailing dot', { frameUrl: 'app://app./index.html', isTopFrame: true }],
    ['the app host in another case (custom schemes keep it)', { frameUrl: 'app://App/index.html', isTopFrame: true }],
    ['a percent-encoded app host', { frameUrl: 'app://ap%70/index.html', isTopFrame: true }],
    ['another scheme with host app', { frameUrl: 'https://app/index.html', isTopFrame: true }],
    ['a backslash look-alike', { frameUrl: 'app://evil\\@app/index.html', isTopFrame: true }],
  ])('refuses %s', async (_name, sender) => {
    const { d } = dispatcherWithSettings();
    const result = await d.dispatch(sender, 'settings:get', {});
    expect(result).toMatchObject({ ok: false, error: { code: IpcErrorCode.FORBIDDEN_SENDER } });
  });

  it('accepts the exact app origin however the URL spells it after parsing (scheme case, empty port)', async () => {
    const { d } = dispatcherWithSettings();
    for (const frameUrl of ['APP://app/index.html', 'app://app:/index.html#/x']) {
      expect(await d.dispatch({ frameUrl, isTopFrame: true }, 'settings:get', {}), frameUrl).toMatchObject({ ok: true });
    }
  });

  it('refuses userinfo whatever origin check the dispatcher was given (the dev server case)', async () => {
    const d = createDispatcher({ isTrustedOrigin: (url) => url.origin === 'http://localhost:5173' });
    d.handle('settings:get', () => DEFAULT_SETTINGS);
    expect(await d.dispatch({ frameUrl: 'http://localhost:5173/', isTopFrame: true }, 'settings:get', {})).toMatchObject({ ok: true });
    expect(await d.dispatch({ frameUrl: 'http://x@localhost:5173/', isTopFrame: true }, 'settings:get', {})).toMatchObject({ ok: false, error: { code: IpcErrorCode.FORBIDDEN_SENDER } });
  });

  it('refuses unknown channels, including prototype names', async () => {
    const { d } = dispatcherWithSettings();
    for (const channel of ['vault:read-everything', '__proto__', 'constructor', 42, null]) {
      const result = await d.dispatch(ours, channel, {});
      expect(result).toMatchObject({ ok: false, error: { code: IpcErrorCode.UNKNOWN_CHANNEL } });
    }
  });

  it('refuses a contract channel nobody registered', async () => {
    const { d } = dispatcherWithSettings();
    expect(d.unregistered()).toContain('app:info');
    await expect(d.dispatch(ours, 'app:info', {})).resolves.toMatchObject({ ok: false, error: { code: IpcErrorCode.UNKNOWN_CHANNEL } });
  });

  it('refuses invalid payloads without calling the handler', async () => {
    const d = createDispatcher({ isTrustedOrigin: isAppProtocolUrl });
    let called = 0;
    d.handle('settings:update', (patch) => {
      called++;
      return { ...DEFAULT_SETTINGS, ...patch };
    });
    for (const payload of [{ theme: 'neon' }, { language: 'en', extra: true }, 'string', null, undefined]) {
      const result = await d.dispatch(ours, 'settings:update', payload);
      expect(result).toMatchObject({ ok: false, error: { code: IpcErrorCode.INVALID_PAYLOAD } });
    }
    expect(called).toBe(0);
    await expect(d.dispatch(ours, 'settings:update', { theme: 'dark' })).resolves.toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect(called).toBe(1);
  });

  it('maps AppFailure to its AppError and other throws to a generic internal error', async () => {
    const d = createDispatcher({ isTrustedOrigin: isAppProtocolUrl });
    d.handle('settings:get', () => {
      throw new AppFailure({ code: 'SETTINGS_BROKEN', message_zh: '壞了', message_en: 'Broken', retryable: false });
    });
    d.handle('app:info', () => {
      throw new Error('secret path /home/a/b');
    });
    await expect(d.dispatch(ours, 'settings:get', {})).resolves.toEqual({
      ok: false,
      error: { code: 'SETTINGS_BROKEN', message_zh: '壞了', message_en: 'Broken', retryable: false },
    });
    const internal = await d.dispatch(ours, 'app:info', {});
    expect(internal).toMatchObject({ ok: false, error: { code: IpcErrorCode.INTERNAL } });
    expect(JSON.stringify(internal)).not.toContain('/home/a/b');
  });

  it('discards a result that breaks the contract', async () => {
    const d = createDispatcher({ isTrustedOrigin: isAppProtocolUrl });
    d.handle('settings:get', () => ({ language: 'klingon' }) as never);
    await expect(d.dispatch(ours, 'settings:get', {})).resolves.toMatchObject({ ok: false, error: { code: IpcErrorCode.INVALID_RESULT } });
  });

  it('refuses registering a channel twice or a channel outside the contract', () => {
    const { d } = dispatcherWithSettings();
    expect(() => d.handle('settings:get', () => DEFAULT_SETTINGS)).toThrow(/twice/);
    expect(() => d.handle('nope:nope' as never, () => DEFAULT_SETTINGS as never)).toThrow(/not a contract channel/);
  });

  it('validates events before they leave main', () => {
    const sent: unknown[] = [];
    const emit = createEventEmitter({ send: (event, data) => sent.push([event, data]) });
    emit('settings:changed', DEFAULT_SETTINGS);
    expect(sent).toEqual([['settings:changed', DEFAULT_SETTINGS]]);
    expect(() => emit('progress', { taskId: 't', phase: 'x', done: -1, total: null, unit: 'bytes' })).toThrow();
  });
});
