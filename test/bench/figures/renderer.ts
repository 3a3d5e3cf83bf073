// Renderer figures: initial JavaScript weight (gzip) and first render of the shell relative to a blank page, in Chromium.
//
// renderer.first_render_ratio (warm start, budgeted) and renderer.first_render_ratio_cold (first start, report only) — method:
// - Debian Chromium (playwright-core, headless) loads pages from a 127.0.0.1 static server that sends the app's
//   own security headers (CSP included) and app://'s Cache-Control (appCacheControl: content-hashed build files
//   kept, index.html and the rest fetched anew), so the renderer runs under the same policy as from app://.
// - window.mydata is a stub installed by an init script: the start-up channels (STUB_ANSWERS) answer at once
//   with plausible values ({ ok: true, value }); any other channel answers an error and is named in the note
//   (add it to STUB_ANSWERS when the shell starts calling it).
// - index.html is served as the app serves it: with the home screen's first frame rendered in by the built
//   out/main/first-frame.js from the stub's answers (electron/main/first-frame.ts, the code main uses), prepared as each
//   app load starts, as main prepares it while the window starts; the window then hydrates it.
// - "Shell's first render": from navigation start (performance.timeOrigin) until `main#main-content h1` exists
//   (the home screen's heading inside the shell, which needs the entry bundle and both IPC answers), plus the next
//   frame (requestAnimationFrame, then a task: the frame has been produced). The probe reports the time in a console
//   message, so the harness evaluates nothing in the page while it loads (see readyAt).
// - "Blank page": the same measurement on an empty HTML document from the same server: navigation start until
//   the document is parsed and `body` exists, plus the next frame.
// - Cold (a first start ever): each load in a fresh browser context, so nothing is cached.
// - Warm (every later start, the usual case of a desktop app): all loads in one kept profile
//   (launchPersistentContext) after WARM_UP_LOADS loads of each page, so both pages have their HTTP cache and V8
//   code cache filled. In the app, app:// has the `codeCache` privilege (the cache is checked against the script's
//   text) and the window keeps compiled code from the first load (v8CacheOptions 'bypassHeatCheck'); over http://
//   Chromium uses compiled code only for a script from its HTTP cache and after its heat check, which the hashed
//   files' Cache-Control and the warm-up loads give. One traced warm load counts the module scripts compiled from
//   the cache (v8.compileModule with consumedCacheSize) and the note states it, so a warm figure without the cache
//   in use shows.
// - One cold warm-up pair is discarded; then RUNS rounds of cold blank, cold app, warm blank, warm app, so drift
//   affects all; each figure is median(app) / median(blank) of its kind, and the warm note also states the cold one.
//
// renderer.static_home_ratio (report only) — what the browser alone needs for the same first screen: the shell's DOM
// as the app's first frame held it (taken from the app's root once the heading appeared, in this run) put in place by
// a script of one statement, under the same page head (stylesheet), headers, cache rules and probe, warm, in the same
// rounds. The difference to the app's figure is the app's own start-up (its code, React's first render); the rest is
// fetching, style, layout and the fonts of the text, which no framework choice removes.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEFAULT_SETTINGS } from '../../../electron/contract/settings.ts';
import type { AppInfo, ChannelName, InvokeResult, Result } from '../../../electron/contract/index.ts';
import { appCacheControl } from '../../../electron/main/app-protocol.ts';
import type { FirstFrameModule } from '../../../electron/contract/first-frame.ts';
import { firstFramePages } from '../../../electron/main/first-frame.ts';
import { SECURITY_HEADERS } from '../../../electron/main/security.ts';
import { initialJsGzip } from '../lib/initial-js.ts';
import { serveStatic } from '../lib/static-server.ts';
import { median, type BenchContext, type FigureSource, type Measured } from '../types.ts';

const RUNS = Number(process.env.BENCH_RENDER_RUNS ?? 9);
const BLANK_PATH = '/__bench_blank.html';
const BLANK_PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body></body></html>';
const SHELL_READY = 'main#main-content h1';
const STATIC_PATH = '/__bench_static.html';
/** Named like a content-hashed build file, so the cache rules treat it as the app's own script. */
const STATIC_SCRIPT = '/assets/benchstatic-00000000.js';
const READY_TIMEOUT_MS = 30_000;
const READY_MESSAGE = '__bench_rendered';

/**
 * When the probe saw the page rendered (performance.now() in the page), from its console message. Not
 * page.waitForFunction: that evaluates Playwright's injected script (about 330 KB) in the page as soon as the page
 * commits, a 9–15 ms task on the page's main thread that a trace shows landing inside the shell's load (before the
 * entry module runs) but after the blank page is already done: it lengthened the shell's figure only. A console
 * message needs nothing evaluated in the page.
 */
function readyAt(page: Page): Promise<number> {
  return page
    .waitForEvent('console', { predicate: (message) => message.text().startsWith(`${READY_MESSAGE} `), timeout: READY_TIMEOUT_MS })
    .then((message) => Number(message.text().slice(READY_MESSAGE.length + 1)));
}

const STUB_APP_INFO: AppInfo = {
  name: 'MyData Desktop',
  version: '0.1.0',
  profile: 'demo',
  platformName: { zh: '沙盒平臺', en: 'Sandbox platform' },
  platformUrl: 'http://127.0.0.1:1',
  needsProfileChoice: false,
  runtime: 'bridge',
};

/** What the stub answers at start-up, typed by the contract so a changed result shape fails the type check. */
const STUB_ANSWERS: { [C in ChannelName]?: Result<C> } = {
  'app:info': STUB_APP_INFO,
  'settings:get': DEFAULT_SETTINGS,
  // A fresh start: no deep link waiting, nobody signed in, and a platform directory that is reachable but
  // empty (the bench measures the shell, not the catalogue's rendering).
  'deeplink:pending': [],
  'identity:session': null,
  'history:query': { total: 0, records: [] },
  // The update banner asks as the shell starts (an unpackaged build has no updater).
  'update:state': { state: 'off', reason: 'not-packaged' },
  'platform:directory': {
    platform: { origin: 'http://127.0.0.1:7000', name_zh: '沙盒平臺', name_en: 'Sandbox platform' },
    fetchedAt: '2025-01-01T00:00:00.000Z',
    offline: false,
    organizations: [],
    services: [],
    notices: [],
  },
  'platform:directory-view': {
    language: 'zh-TW',
    fetchedAt: '2025-01-01T00:00:00.000Z',
    offline: false,
    dataProviders: [],
    organizations: [],
    services: [],
    notices: [],
    platformBannerIds: [],
  },
};

type Probe = {
  answers: Record<string, unknown>;
  readySelectors: Record<string, string>;
  /** First argument of the console message the probe writes once the page counts as rendered. */
  readyMessage: string;
  /** Keep the root's HTML as it was when the page counted as ready (window.__benchFirstFrameHtml). */
  capture?: boolean;
};

// Runs in the page before its own scripts (page.addInitScript): the stub bridge and the readiness probe.
function initScript(probe: Probe): void {
  const w = window as unknown as {
    mydata: unknown;
    __benchUnanswered: string[];
  };
  w.__benchUnanswered = [];
  w.mydata = Object.freeze({
    invoke: async (channel: string) => {
      if (Object.hasOwn(probe.answers, channel)) return { ok: true, value: structuredClone(probe.answers[channel]) };
      w.__benchUnanswered.push(channel);
      return {
        ok: false,
        error: {
          code: 'BENCH_STUB_NO_ANSWER',
          message_zh: '效能測試的替身沒有這個頻道的回應。',
          message_en: 'The bench stub has no answer for this channel.',
          retryable: false,
        },
      };
    },
    on: () => () => undefined,
  });
  const selector = probe.readySelectors[location.pathname];
  if (!selector) return;
  {
    const afterNextFrame = () =>
      requestAnimationFrame(() =>
        setTimeout(() => {
          // performance.now() once the page counts as rendered; the harness reads it from this message (readyAt).
          console.debug(probe.readyMessage, performance.now());
        }, 0),
      );
    const ready = () => document.readyState !== 'loading' && document.querySelector(selector) !== null;
    const seen = () => {
      if (probe.capture) (window as unknown as { __benchFirstFrameHtml?: string }).__benchFirstFrameHtml = document.getElementById('root')?.innerHTML;
      afterNextFrame();
    };
    const watch = () => {
      if (ready()) {
        seen();
        return;
      }
      const observer = new MutationObserver(() => {
        if (!ready()) return;
        observer.disconnect();
        seen();
      });
      observer.observe(document, { subtree: true, childList: true });
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', watch, { once: true });
    else watch();
  }
}

const CONTEXT_OPTIONS = { viewport: { width: 1200, height: 820 }, locale: 'zh-TW' } as const;
const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  // Chromium 156 fetches scripts off the main thread by default (BackgroundResourceFetch), and on that path a module
  // script from http:// is compiled anew even when its compiled code is in the cache (a trace shows it streamed, with
  // nothing consumed); with the feature off the same load takes the cached code. It is off for every page measured.
  '--disable-features=BackgroundResourceFetch',
];
/** Loads of each page before the warm runs: Chromium keeps compiled code for an http(s) script seen twice, used from the third. */
const WARM_UP_LOADS = 3;

/** Called as an app load starts (before its page is opened): the server starts making the page, as main does. */
let beforeAppLoad: ((origin: string) => void) | null = null;

/** One load of url in a new page of context: milliseconds from navigation start until the probe saw it rendered. */
async function timeLoad(context: BrowserContext, url: string, probe: Probe, isApp: boolean, unanswered: Set<string>): Promise<number> {
  if (isApp) beforeAppLoad?.(new URL(url).origin);
  const page = await context.newPage();
  try {
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.addInitScript(initScript, probe);
    // Listening before the navigation starts, so the message cannot be missed.
    const rendered = readyAt(page);
    await page.goto(url, { waitUntil: 'commit' });
    // Bounded: a renderer that never shows the heading fails the figure instead of hanging the bench.
    const ms = await rendered.catch((error: unknown) => {
      throw new Error(`${url} did not render within ${READY_TIMEOUT_MS} ms (page errors: ${pageErrors.join(' | ') || 'none'})`, { cause: error });
    });
    if (isApp) {
      // A fast error screen is not a first render: make sure the shell, not a failure, was measured.
      const heading = (await page.locator(SHELL_READY).first().textContent())?.trim() ?? '';
      const failed = await page.locator('.startup-error').count();
      if (!heading || failed > 0) throw new Error(`the shell did not render its home heading (errors: ${pageErrors.join(' | ') || 'none'})`);
      const missing = await page.evaluate(() => (window as unknown as { __benchUnanswered: string[] }).__benchUnanswered);
      for (const channel of missing) unanswered.add(channel);
    }
    if (pageErrors.length > 0) throw new Error(`page errors at ${url}: ${pageErrors.join(' | ')}`);
    return ms;
  } finally {
    await page.close();
  }
}

/** A first start: a fresh context each time, so nothing is cached (no HTTP cache, no compiled code). */
async function timeCold(browser: Browser, url: string, probe: Probe, isApp: boolean, unanswered: Set<string>): Promise<number> {
  const context = await browser.newContext(CONTEXT_OPTIONS);
  try {
    return await timeLoad(context, url, probe, isApp, unanswered);
  } finally {
    await context.close();
  }
}

/**
 * One load of url with a trace of V8's module compiles: how many module scripts took compiled code from the cache,
 * of how many compiled. Proves the warm runs measure what they claim.
 */
async function modulesFromCodeCache(context: BrowserContext, url: string, probe: Probe): Promise<{ cached: number; compiled: number }> {
  const page = await context.newPage();
  try {
    await page.addInitScript(initScript, probe);
    const cdp = await context.newCDPSession(page);
    const events: { name: string; args?: { data?: { consumedCacheSize?: number } } }[] = [];
    cdp.on('Tracing.dataCollected', (event) => events.push(...(event.value as unknown as typeof events)));
    await cdp.send('Tracing.start', { categories: 'v8', transferMode: 'ReportEvents' });
    const rendered = readyAt(page);
    await page.goto(url, { waitUntil: 'commit' });
    await rendered;
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await complete;
    const compiles = events.filter((event) => event.name === 'v8.compileModule');
    return { cached: compiles.filter((event) => (event.args?.data?.consumedCacheSize ?? 0) > 0).length, compiled: compiles.length };
  } finally {
    await page.close();
  }
}

/** Files in the profile's V8 code cache (Chromium's "Code Cache/js"), to show the warm runs had compiled code at hand. */
async function codeCacheEntries(userDataDir: string): Promise<number> {
  const dir = path.join(userDataDir, 'Default', 'Code Cache', 'js');
  try {
    return (await readdir(dir)).filter((name) => name !== 'index' && name !== 'index-dir').length;
  } catch {
    return 0;
  }
}

type Pair = { appMs: number; blankMs: number; ratio: number };

function pair(app: readonly number[], blank: readonly number[]): Pair {
  const appMs = median(app);
  const blankMs = median(blank);
  return { appMs, blankMs, ratio: Number((appMs / blankMs).toFixed(2)) };
}

/** The app's first frame, as its root held it when the heading appeared (one load in `context`). */
async function firstFrameHtml(context: BrowserContext, url: string, probe: Probe): Promise<string> {
  const page = await context.newPage();
  try {
    await page.addInitScript(initScript, { ...probe, capture: true });
    const rendered = readyAt(page);
    await page.goto(url, { waitUntil: 'commit' });
    await rendered;
    const html = await page.evaluate(() => (window as unknown as { __benchFirstFrameHtml?: string }).__benchFirstFrameHtml);
    if (!html) throw new Error('the probe kept no first frame');
    return html;
  } finally {
    await page.close();
  }
}

/**
 * The app's index.html loading `script` in place of its entry (same head: the stylesheet, the meta tags). Not async
 * (the app's entry is): the one statement puts the frame in place before the page counts as parsed, as a frame in
 * the HTML would be.
 */
function staticPage(indexHtml: string, script: string): string {
  const entry = /<script (?:async )?type="module" crossorigin src="[^"]+"><\/script>/;
  if (!entry.test(indexHtml)) throw new Error('the built index.html has no module entry script to replace');
  return indexHtml.replace(entry, `<script type="module" crossorigin src=".${script}"></script>`);
}

async function firstRenderRatios(ctx: BenchContext): Promise<{ warm: Measured; cold: Measured; staticHome: Measured }> {
  // Filled once the app's first frame is known (the server reads its pages at each request).
  const pages: Record<string, string> = { [BLANK_PATH]: BLANK_PAGE };
  // index.html with the first frame in it, rendered from the stub's answers by the same module and code as main's
  // app:// handler; prepared as each app load starts, as main prepares it while the window starts (its time is in
  // the figure when it takes longer than the page's own start).
  const firstFrame = firstFramePages({
    load: () => import(pathToFileURL(path.join(ctx.rendererDir, '..', 'main', 'first-frame.js')).href) as Promise<FirstFrameModule>,
    dispatch: async (_sender, channel) => ({ ok: true, value: STUB_ANSWERS[channel as ChannelName] }) as InvokeResult<ChannelName>,
    system: () => ({ dark: false, forcedColors: false, moreContrast: false }),
    log: (error) => {
      throw error instanceof Error ? error : new Error('the first frame could not be rendered');
    },
  });
  const indexTemplate = readFile(path.join(ctx.rendererDir, 'index.html'), 'utf8');
  beforeAppLoad = (origin) => {
    firstFrame.prepare(indexTemplate, `${origin}/`);
  };
  const server = await serveStatic(ctx.rendererDir, {
    headers: SECURITY_HEADERS,
    pages,
    empty: ['/favicon.ico'],
    // The same Cache-Control as app:// (content-hashed files kept, the rest fetched anew), see appCacheControl.
    cacheControl: appCacheControl,
    index: firstFrame.page,
  });
  const browser = await chromium.launch({ executablePath: ctx.chromiumPath, args: BROWSER_ARGS });
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'bench-renderer-profile-'));
  const warmContext = await chromium.launchPersistentContext(userDataDir, { executablePath: ctx.chromiumPath, args: BROWSER_ARGS, ...CONTEXT_OPTIONS });
  try {
    const probe: Probe = {
      answers: STUB_ANSWERS,
      readySelectors: { [BLANK_PATH]: 'body', '/': SHELL_READY, '/index.html': SHELL_READY, [STATIC_PATH]: SHELL_READY },
      readyMessage: READY_MESSAGE,
    };
    const blankUrl = `${server.origin}${BLANK_PATH}`;
    const appUrl = `${server.origin}/`;
    const staticUrl = `${server.origin}${STATIC_PATH}`;
    const unanswered = new Set<string>();
    await timeCold(browser, blankUrl, probe, false, unanswered);
    await timeCold(browser, appUrl, probe, true, unanswered);
    const html = await firstFrameHtml(warmContext, appUrl, probe);
    pages[STATIC_SCRIPT] = `document.getElementById('root').innerHTML = ${JSON.stringify(html)};\n`;
    pages[STATIC_PATH] = staticPage(await readFile(path.join(ctx.rendererDir, 'index.html'), 'utf8'), STATIC_SCRIPT);
    for (let i = 0; i < WARM_UP_LOADS; i++) {
      await timeLoad(warmContext, blankUrl, probe, false, unanswered);
      await timeLoad(warmContext, appUrl, probe, true, unanswered);
      await timeLoad(warmContext, staticUrl, probe, false, unanswered);
    }
    const cached = await codeCacheEntries(userDataDir);
    const fromCache = await modulesFromCodeCache(warmContext, appUrl, probe);
    const cold = { blank: [] as number[], app: [] as number[] };
    const warm = { blank: [] as number[], app: [] as number[], static: [] as number[] };
    for (let i = 0; i < RUNS; i++) {
      cold.blank.push(await timeCold(browser, blankUrl, probe, false, unanswered));
      cold.app.push(await timeCold(browser, appUrl, probe, true, unanswered));
      warm.blank.push(await timeLoad(warmContext, blankUrl, probe, false, unanswered));
      warm.app.push(await timeLoad(warmContext, appUrl, probe, true, unanswered));
      warm.static.push(await timeLoad(warmContext, staticUrl, probe, false, unanswered));
    }
    const w = pair(warm.app, warm.blank);
    const c = pair(cold.app, cold.blank);
    const s = pair(warm.static, warm.blank);
    const describe = (p: Pair) => `shell first render median ${p.appMs.toFixed(1)} ms / blank page median ${p.blankMs.toFixed(1)} ms`;
    const suffix =
      `${RUNS} runs each (Chromium ${browser.version()})` + (unanswered.size > 0 ? `; WARNING: stub had no answer for ${[...unanswered].join(', ')}` : '');
    return {
      warm: {
        value: w.ratio,
        unit: 'ratio',
        budget: 1.5,
        note: `warm start: ${describe(w)} (after ${WARM_UP_LOADS} loads of each: ${cached} compiled-code entries, ${fromCache.cached} of ${fromCache.compiled} module scripts compiled from the cache${fromCache.cached === 0 ? ' — WARNING: no code cache in use' : ''}); cold start: ${c.ratio} = ${describe(c)}; ${suffix}`,
      },
      staticHome: {
        value: s.ratio,
        unit: 'ratio',
        budget: 1.5,
        reportOnly: true,
        note: `warm: the app's first frame (${String(html.length)} characters of HTML) put in place by one statement of script, no framework: median ${s.appMs.toFixed(1)} ms / blank page median ${s.blankMs.toFixed(1)} ms, against the app's ${w.appMs.toFixed(1)} ms in the same rounds; ${suffix}`,
      },
      cold: {
        value: c.ratio,
        unit: 'ratio',
        budget: 1.5,
        reportOnly: true,
        note: `first start ever (fresh context, nothing cached): ${describe(c)}; ${suffix}`,
      },
    };
  } finally {
    await warmContext.close();
    await browser.close();
    await server.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
}

export const measure: FigureSource = async (ctx) => {
  const initial = await initialJsGzip(ctx.rendererDir);
  const ratios = await firstRenderRatios(ctx);
  return {
    'renderer.initial_js_gzip_kib': {
      value: Number((initial.gzipBytes / 1024).toFixed(1)),
      unit: 'KiB',
      budget: 100,
      note: `gzip -9 of ${initial.files.map((f) => `${f.file} (${(f.gzipBytes / 1024).toFixed(1)} KiB)`).join(', ')}`,
    },
    'renderer.first_render_ratio': ratios.warm,
    'renderer.first_render_ratio_cold': ratios.cold,
    'renderer.static_home_ratio': ratios.staticHome,
  };
};
