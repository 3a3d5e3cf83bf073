// Main's side of the first frame: which answers it asks (as the window's top frame would), when it leaves the window
// to render by itself, and that index.html alone is changed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_SETTINGS, type AppInfo, type ChannelName, type InvokeResult } from '../../../electron/contract/index.ts';
import { createAppRequestHandler } from '../../../electron/main/app-protocol.ts';
import type { FirstFrameModule } from '../../../electron/contract/first-frame.ts';
import { firstFrameAnswers, firstFramePages } from '../../../electron/main/first-frame.ts';
import type { SenderInfo } from '../../../electron/main/ipc.ts';
import { SESSION } from '../consent/fixtures.ts';
import { DEMO_APP_INFO } from '../../support/app-info.ts';

const PAGE_URL = 'app://app/index.html';
const DEMO: AppInfo = { ...DEMO_APP_INFO, runtime: 'electron' };
const SYSTEM = { dark: false, forcedColors: false, moreContrast: false };

function dispatcher(answers: Partial<Record<ChannelName, InvokeResult<ChannelName>>>) {
  const asked: { sender: SenderInfo; channel: unknown }[] = [];
  const dispatch = async (sender: SenderInfo, channel: unknown): Promise<InvokeResult<ChannelName>> => {
    asked.push({ sender, channel });
    const answer = answers[channel as ChannelName];
    if (!answer) throw new Error(`unexpected ${String(channel)}`);
    return answer;
  };
  return { dispatch, asked };
}

const ok = (value: unknown) => ({ ok: true, value }) as InvokeResult<ChannelName>;
const failed = { ok: false, error: { code: 'X', message_zh: '失敗', message_en: 'failed', retryable: true } } as InvokeResult<ChannelName>;

describe('first frame answers', () => {
  it('asks settings, app:info and the identity session as the window at the page URL', async () => {
    const { dispatch, asked } = dispatcher({ 'settings:get': ok(DEFAULT_SETTINGS), 'app:info': ok(DEMO), 'identity:session': ok(SESSION) });
    expect(await firstFrameAnswers(dispatch, PAGE_URL)).toEqual({ settings: DEFAULT_SETTINGS, appInfo: DEMO, identity: SESSION });
    expect(asked.map((a) => a.channel).sort()).toEqual(['app:info', 'identity:session', 'settings:get']);
    for (const a of asked) expect(a.sender).toEqual({ frameUrl: PAGE_URL, isTopFrame: true });
  });

  it('asks no identity in the official profile', async () => {
    const official = { ...DEMO, profile: 'official' as const, platformUrl: null };
    const { dispatch, asked } = dispatcher({ 'settings:get': ok(DEFAULT_SETTINGS), 'app:info': ok(official) });
    expect(await firstFrameAnswers(dispatch, PAGE_URL)).toEqual({ settings: DEFAULT_SETTINGS, appInfo: official });
    expect(asked.map((a) => a.channel)).not.toContain('identity:session');
  });

  it('leaves the window to itself on a first start (profile choice) or a failed answer', async () => {
    const choice = dispatcher({ 'settings:get': ok(DEFAULT_SETTINGS), 'app:info': ok({ ...DEMO, needsProfileChoice: true }) });
    expect(await firstFrameAnswers(choice.dispatch, PAGE_URL)).toBeNull();
    const refused = dispatcher({ 'settings:get': ok(DEFAULT_SETTINGS), 'app:info': ok(DEMO), 'identity:session': failed });
    expect(await firstFrameAnswers(refused.dispatch, PAGE_URL)).toBeNull();
    const noSettings = dispatcher({ 'settings:get': failed, 'app:info': ok(DEMO) });
    expect(await firstFrameAnswers(noSettings.dispatch, PAGE_URL)).toBeNull();
  });
});

describe('first frame pages', () => {
  const answers = { 'settings:get': ok(DEFAULT_SETTINGS), 'app:info': ok(DEMO), 'identity:session': ok(null) };

  it('renders with the module loaded once, and serves the template when the module cannot load or render', async () => {
    const render = vi.fn<FirstFrameModule['renderFirstFramePage']>(async (template) => `${template}<!-- rendered -->`);
    const load = vi.fn(async () => ({ renderFirstFramePage: render }));
    const log = vi.fn();
    const pages = firstFramePages({ load, dispatch: dispatcher(answers).dispatch, system: () => SYSTEM, log });
    expect(await pages.page('<t>', PAGE_URL)).toBe('<t><!-- rendered -->');
    expect(await pages.page('<t>', PAGE_URL)).toBe('<t><!-- rendered -->');
    expect(load).toHaveBeenCalledTimes(1);
    expect(render.mock.calls[0]![1]).toEqual({ settings: DEFAULT_SETTINGS, appInfo: DEMO, identity: null });

    const broken = firstFramePages({ load: () => Promise.reject(new Error('missing')), dispatch: dispatcher(answers).dispatch, system: () => SYSTEM, log });
    expect(await broken.page('<t>', PAGE_URL)).toBe('<t>');
    const throwing = firstFramePages({
      load: async () => ({ renderFirstFramePage: () => Promise.reject(new Error('render')) }),
      dispatch: dispatcher(answers).dispatch,
      system: () => SYSTEM,
      log,
    });
    expect(await throwing.page('<t>', PAGE_URL)).toBe('<t>');
    expect(log).toHaveBeenCalledTimes(2);
  });

  it('hands a page prepared ahead to the next request for it, once, and only for the same URL and template', async () => {
    let renders = 0;
    const pages = firstFramePages({
      load: async () => ({ renderFirstFramePage: async (template) => `${template}#${++renders}` }),
      dispatch: dispatcher(answers).dispatch,
      system: () => SYSTEM,
      log: () => undefined,
    });
    pages.prepare(Promise.resolve('<t>'), PAGE_URL);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(renders).toBe(1); // made before the request came
    expect(await pages.page('<t>', PAGE_URL)).toBe('<t>#1');
    expect(await pages.page('<t>', PAGE_URL)).toBe('<t>#2'); // taken once: the next request is rendered anew
    const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
    pages.prepare(Promise.resolve('<t>'), PAGE_URL);
    await settle();
    expect(await pages.page('<other>', PAGE_URL)).toBe('<other>#4');
    pages.prepare(Promise.resolve('<t>'), PAGE_URL);
    await settle();
    expect(await pages.page('<t>', 'app://app/')).toBe('<t>#6');
  });

  it('loads the module once, from preload on, and a module that fails to load is logged when a page is made', async () => {
    const load = vi.fn(async () => ({ renderFirstFramePage: async (template: string) => `${template}!` }));
    const pages = firstFramePages({ load, dispatch: dispatcher(answers).dispatch, system: () => SYSTEM, log: () => undefined });
    pages.preload();
    expect(load).toHaveBeenCalledTimes(1);
    expect(await pages.page('<t>', PAGE_URL)).toBe('<t>!');
    expect(load).toHaveBeenCalledTimes(1);
    const log = vi.fn();
    const failing = firstFramePages({ load: () => Promise.reject(new Error('missing')), dispatch: dispatcher(answers).dispatch, system: () => SYSTEM, log });
    failing.preload();
    expect(await failing.page('<t>', PAGE_URL)).toBe('<t>');
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('changes index.html only, for GET only, through the app:// handler', async () => {
    const root = mkdtempSync(join(tmpdir(), 'first-frame-'));
    writeFileSync(join(root, 'index.html'), '<p>template</p>');
    writeFileSync(join(root, 'other.html'), '<p>other</p>');
    const seen: string[] = [];
    const serve = createAppRequestHandler(root, {
      firstFrame: async (template, pageUrl) => {
        seen.push(pageUrl);
        return template.replace('template', 'rendered');
      },
    });
    expect(await (await serve(new Request('app://app/index.html'))).text()).toBe('<p>rendered</p>');
    expect(await (await serve(new Request('app://app/'))).text()).toBe('<p>rendered</p>');
    expect(await (await serve(new Request('app://app/other.html'))).text()).toBe('<p>other</p>');
    expect((await serve(new Request('app://app/index.html', { method: 'HEAD' }))).status).toBe(200);
    expect(seen).toEqual(['app://app/index.html', 'app://app/']);
  });
});
