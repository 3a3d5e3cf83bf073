// The contract's schemas accept what they should and refuse the rest; every channel and event has schemas.
import { describe, expect, it } from 'vitest';
import {
  AppErrorSchema,
  AppFailure,
  DEFAULT_SETTINGS,
  DeepLinkSchema,
  SettingsPatchSchema,
  SettingsSchema,
  channels,
  events,
  isChannelName,
  isEventName,
} from '../../../electron/contract/index.ts';

describe('contract', () => {
  it('has a payload and a result schema for every channel', () => {
    for (const [name, spec] of Object.entries(channels)) {
      expect(name).toMatch(/^[a-z]+:[a-z-]+$/);
      expect(typeof spec.payload.safeParse).toBe('function');
      expect(typeof spec.result.safeParse).toBe('function');
    }
  });

  it('knows its channel and event names and no others', () => {
    expect(isChannelName('settings:get')).toBe(true);
    expect(isChannelName('settings:delete-everything')).toBe(false);
    expect(isChannelName('__proto__')).toBe(false);
    expect(isChannelName('toString')).toBe(false);
    expect(isEventName('progress')).toBe(true);
    expect(isEventName('hasOwnProperty')).toBe(false);
    expect(Object.keys(events).length).toBeGreaterThan(0);
  });

  it('accepts the default settings and refuses invalid ones', () => {
    expect(SettingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
    expect(SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, language: 'fr' }).success).toBe(false);
    expect(SettingsSchema.safeParse({ ...DEFAULT_SETTINGS, historyRetentionYears: 1 }).success).toBe(false); // G14: two years at least
  });

  it('refuses unknown keys in a settings patch', () => {
    expect(SettingsPatchSchema.safeParse({ theme: 'dark' }).success).toBe(true);
    expect(SettingsPatchSchema.safeParse({ theme: 'dark', isAdmin: true }).success).toBe(false);
    expect(channels['settings:get'].payload.safeParse({ extra: 1 }).success).toBe(false);
  });

  it('shapes AppError with a stable code and both languages', () => {
    const failure = new AppFailure({ code: 'X_ONE', message_zh: '甲', message_en: 'A', retryable: true });
    expect(AppErrorSchema.parse(failure.toAppError())).toEqual({ code: 'X_ONE', message_zh: '甲', message_en: 'A', retryable: true });
    expect(AppErrorSchema.safeParse({ code: 'lower', message_zh: '甲', message_en: 'A', retryable: true }).success).toBe(false);
    expect(AppErrorSchema.safeParse({ code: 'X', message_zh: '', message_en: 'A', retryable: true }).success).toBe(false);
  });

  it('accepts only well-formed request deep links', () => {
    const ok = { kind: 'request', platform: 'http://127.0.0.1:4000', requestUri: 'urn:mydata:req-1' };
    expect(DeepLinkSchema.safeParse(ok).success).toBe(true);
    expect(DeepLinkSchema.safeParse({ ...ok, requestUri: 'javascript:alert(1)' }).success).toBe(false);
    expect(DeepLinkSchema.safeParse({ ...ok, kind: 'download' }).success).toBe(false);
  });
});
