// The window's first frame as HTML in index.html (the renderer's first-frame module renders it; see app-protocol.ts):
// the answers main would give the window's start-up queries, asked of the active profile's dispatcher as the window
// itself asks them, and the module that renders them, loaded once.
import type { ChannelName, InvokeResult, Payload } from '../contract/index.ts';
import type { FirstFrameAnswers, FirstFrameModule, SystemAppearance } from '../contract/first-frame.ts';
import type { SenderInfo } from './ipc.ts';

type Dispatch = (sender: SenderInfo, channel: unknown, payload: unknown) => Promise<InvokeResult<ChannelName>>;

/**
 * What the window's start-up asks (app-info.tsx, settings.tsx): settings, app:info and, in a profile with a platform,
 * the identity session. Asked as the window's top frame at `pageUrl` would ask them, so the dispatcher applies its
 * sender check as for the window. null: the window is better off asking itself (an answer failed, or the first start
 * shows the profile choice, whose screen is not part of the first frame).
 */
export async function firstFrameAnswers(dispatch: Dispatch, pageUrl: string): Promise<FirstFrameAnswers | null> {
  const sender: SenderInfo = { frameUrl: pageUrl, isTopFrame: true };
  const ask = async <C extends ChannelName>(channel: C, payload: Payload<C>) => (await dispatch(sender, channel, payload)) as InvokeResult<C>;
  const [settings, appInfo] = await Promise.all([ask('settings:get', {}), ask('app:info', {})]);
  if (!settings.ok || !appInfo.ok || appInfo.value.needsProfileChoice) return null;
  if (appInfo.value.profile === 'official') return { settings: settings.value, appInfo: appInfo.value };
  const identity = await ask('identity:session', {});
  if (!identity.ok) return null;
  return { settings: settings.value, appInfo: appInfo.value, identity: identity.value };
}

export interface FirstFrameOptions {
  /** Loads the renderer's first-frame module (asked once; a failure is kept and the window renders by itself). */
  load(): Promise<FirstFrameModule>;
  /** The active profile's dispatcher (looked up per page: a profile switch replaces it). */
  dispatch: Dispatch;
  /** The OS's appearance as main sees it, for a theme preference of 'system'. */
  system(): SystemAppearance;
  log(error: unknown): void;
}

/** A page made ahead for the window about to open, taken by that window's request if it comes soon. */
const PREPARED_FOR_MS = 10_000;

export interface FirstFramePages {
  /**
   * index.html → the page with the first frame in it, or the template unchanged when it cannot be made (the window
   * then renders from nothing, as it always can): the window never waits on more than main's own answers.
   */
  readonly page: (template: string, pageUrl: string) => Promise<string>;
  /**
   * Starts making the page for `pageUrl` now, while the window that will ask for it starts (its process, its
   * navigation): its next request takes this page instead of waiting for the rendering. The answers are main's as of
   * now; the window asks main again as its screens show them, so a change in these milliseconds is shown at once.
   */
  readonly prepare: (template: Promise<string>, pageUrl: string) => void;
  /** Starts loading the renderer's module now (main calls it while the profile starts, long before the window). */
  readonly preload: () => void;
}

export function firstFramePages(options: FirstFrameOptions): FirstFramePages {
  let module: Promise<FirstFrameModule> | null = null;
  let prepared: { pageUrl: string; template: Promise<string>; page: Promise<string>; at: number } | null = null;

  const loaded = (): Promise<FirstFrameModule> => {
    module ??= options.load();
    return module;
  };

  const render = async (template: string, pageUrl: string): Promise<string> => {
    try {
      const [renderer, answers] = await Promise.all([loaded(), firstFrameAnswers(options.dispatch, pageUrl)]);
      if (!answers) return template;
      return await renderer.renderFirstFramePage(template, answers, options.system());
    } catch (error) {
      options.log(error);
      return template;
    }
  };

  return {
    page: async (template, pageUrl) => {
      const ahead = prepared;
      prepared = null;
      if (ahead && ahead.pageUrl === pageUrl && Date.now() - ahead.at < PREPARED_FOR_MS && (await ahead.template.catch(() => null)) === template) {
        return ahead.page;
      }
      return render(template, pageUrl);
    },
    preload: () => {
      // A failure shows (and is logged) when a page is made; here it must not be left unhandled.
      loaded().catch(() => undefined);
    },
    prepare: (template, pageUrl) => {
      const page = template.then(
        (text) => render(text, pageUrl),
        (error: unknown) => {
          options.log(error);
          return '';
        },
      );
      prepared = { pageUrl, template, page, at: Date.now() };
    },
  };
}
