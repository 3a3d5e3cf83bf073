// The first frame rendered to HTML (renderer/src/first-frame.tsx): the home screen from main's answers, the page's
// markers filled in, and nothing the answers hold able to leave the text or the JSON block it is written into.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type AppInfo, type IdentitySession } from '../../../electron/contract/index.ts';
import type { FirstFrameAnswers } from '../../../electron/contract/first-frame.ts';
import { FIRST_FRAME_ANSWERS_ID } from '../../../renderer/src/app/first-frame-answers.ts';
import { FirstFrameTemplateError, renderFirstFramePage } from '../../../renderer/src/first-frame.tsx';
import { peekIpcQueryForTests } from '../../../renderer/src/app/query.ts';
import { SESSION } from '../consent/fixtures.ts';
import { DEMO_APP_INFO } from '../../support/app-info.ts';

const TEMPLATE = `<!doctype html>
<html lang="zh-TW">
  <head><meta charset="utf-8" /><title>MyData 個人化資料自主運用</title><script type="module" crossorigin src="./assets/index-x.js"></script></head>
  <body>
    <div id="root"></div>
  </body>
</html>`;

const DEMO: AppInfo = DEMO_APP_INFO;
const LIGHT = { dark: false, forcedColors: false, moreContrast: false };

function answersBlock(page: string): unknown {
  const match = new RegExp(`<script type="application/json" id="${FIRST_FRAME_ANSWERS_ID}">([^<]*)</script>`).exec(page);
  if (!match) throw new Error('no answers block');
  return JSON.parse(match[1]!);
}

function root(page: string): string {
  const start = page.indexOf('<div id="root">');
  const end = page.indexOf(`<script type="application/json"`);
  return page.slice(start, end);
}

describe('first frame as HTML', () => {
  it('renders the home screen of the demo into #root, with the answers beside it', async () => {
    const answers: FirstFrameAnswers = { settings: DEFAULT_SETTINGS, appInfo: DEMO, identity: null };
    const page = await renderFirstFramePage(TEMPLATE, answers, LIGHT);
    const html = root(page);
    expect(html).toContain('<main id="main-content"');
    expect(html).toMatch(/<h1[^>]*>首頁<\/h1>/);
    // Demo data is never shown as real, not even in the frame before the script runs.
    expect(html).toContain('data-testid="demo-marker"');
    expect(html).toContain('data-state="none"');
    expect(html).toContain('href="#/verify"');
    expect(answersBlock(page)).toEqual(answers);
    expect(page).toContain('<html lang="zh-TW" data-theme="light" data-theme-preference="system">');
    expect(page).toContain('<title>首頁｜MyData 個人化資料自主運用</title>');
    // The script is left where it was: the window takes the HTML over.
    expect(page).toContain('<script type="module" crossorigin src="./assets/index-x.js"></script>');
    // Main keeps nothing of one page's answers for the next.
    expect(peekIpcQueryForTests('settings:get', {})).toBeUndefined();
    expect(peekIpcQueryForTests('identity:session', {})).toBeUndefined();
  });

  it('shows who is verified, and nothing in the answers can end the text or the JSON block early', async () => {
    const hostile = '</script><script>alert(1)</script><!--';
    const session: IdentitySession = { ...SESSION, displayName: hostile };
    const page = await renderFirstFramePage(TEMPLATE, { settings: DEFAULT_SETTINGS, appInfo: DEMO, identity: session }, LIGHT);
    expect(page.match(/<script/g)).toHaveLength(2); // the app's module and the JSON block, nothing else
    expect(root(page)).toContain('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--');
    expect(root(page)).toContain('data-state="verified"');
    expect((answersBlock(page) as FirstFrameAnswers).identity?.displayName).toBe(hostile);
  });

  it('renders in English with the theme chosen, and in the official profile without identity', async () => {
    const official: AppInfo = { ...DEMO, profile: 'official', platformUrl: null };
    const page = await renderFirstFramePage(TEMPLATE, { settings: { ...DEFAULT_SETTINGS, language: 'en', theme: 'high-contrast' }, appInfo: official }, LIGHT);
    expect(page).toContain('<html lang="en" data-theme="high-contrast" data-theme-preference="high-contrast">');
    expect(root(page)).toMatch(/<h1[^>]*>Home<\/h1>/);
    expect(root(page)).toContain('data-testid="home-official"');
    expect(root(page)).not.toContain('identity-badge');
    expect(root(page)).not.toContain('demo-marker');
  });

  it("follows the OS's appearance for the theme 'system'", async () => {
    const page = await renderFirstFramePage(TEMPLATE, { settings: DEFAULT_SETTINGS, appInfo: DEMO, identity: null }, { ...LIGHT, dark: true });
    expect(page).toContain('data-theme="dark" data-theme-preference="system"');
  });

  it('refuses a template without the markers it fills in', async () => {
    const answers: FirstFrameAnswers = { settings: DEFAULT_SETTINGS, appInfo: DEMO, identity: null };
    await expect(renderFirstFramePage(TEMPLATE.replace('<div id="root"></div>', '<div id="app"></div>'), answers, LIGHT)).rejects.toThrow(FirstFrameTemplateError);
    await expect(renderFirstFramePage(TEMPLATE.replace('<title>', '<title data-x>'), answers, LIGHT)).rejects.toThrow(FirstFrameTemplateError);
  });
});
