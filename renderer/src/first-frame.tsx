// The window's first frame rendered to HTML outside the window: main calls this with the answers it would give the
// start-up queries and serves the page with the result in #root (and the answers beside it), so the window paints
// the real first screen from its HTML, before any of the app's script has run; React then takes that HTML over
// (hydrates it, main.tsx) instead of building it again. Built with main (electron.vite.config.ts), never run in the window.
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import type { FirstFrameAnswers, FirstFrameModule } from '../../electron/contract/first-frame.ts';
import { App } from './app/App.tsx';
import { clearFirstFrame, FIRST_FRAME_ANSWERS_ID, seedFirstFrame } from './app/first-frame-answers.ts';
import { resolveTheme } from './app/theme.ts';
import { isCatalogueLoaded, loadCatalogue, translate } from './i18n/index.ts';

/** The page's markers this fills in; a template without them is served as it is (the window renders by itself). */
const HTML_TAG = /<html lang="[^"]*">/;
const TITLE = /<title>[^<]*<\/title>/;
const ROOT = '<div id="root"></div>';

export class FirstFrameTemplateError extends Error {
  override readonly name = 'FirstFrameTemplateError';
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * JSON that cannot end its <script> block early or open a comment there: every `<` is written as \u003c, which
 * JSON.parse reads back as the same character.
 */
function jsonForScriptBlock(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** The home screen's markup, as the window's first render makes it from the same answers. */
async function renderFirstFrameHtml(answers: FirstFrameAnswers): Promise<string> {
  const language = answers.settings.language;
  if (!isCatalogueLoaded(language)) await loadCatalogue(language);
  // Seeding, rendering and clearing happen in one turn, so no other page's answers can be in the cache meanwhile.
  seedFirstFrame(answers);
  try {
    return renderToString(
      <StrictMode>
        <App location="/" />
      </StrictMode>,
    );
  } finally {
    clearFirstFrame();
  }
}

/**
 * index.html with the first frame in #root, its answers in a JSON block after it, <html> carrying the language and
 * the theme (what the window's first render applies), and the home screen's title.
 * `system`: the OS's appearance as main sees it (a theme preference of 'system' follows it; the window corrects it
 * from its own media queries if they differ).
 */
export const renderFirstFramePage: FirstFrameModule['renderFirstFramePage'] = async (template, answers, system) => {
  if (!HTML_TAG.test(template) || !TITLE.test(template) || template.split(ROOT).length !== 2) {
    throw new FirstFrameTemplateError('index.html has not the markers the first frame fills in');
  }
  const html = await renderFirstFrameHtml(answers);
  const { language, theme } = answers.settings;
  const applied = resolveTheme(theme, system);
  const title = translate(language, 'app.pageTitle', { page: translate(language, 'home.title') });
  return template
    .replace(HTML_TAG, `<html lang="${escapeText(language)}" data-theme="${escapeText(applied)}" data-theme-preference="${escapeText(theme)}">`)
    .replace(TITLE, () => `<title>${escapeText(title)}</title>`)
    .replace(
      ROOT,
      () => `<div id="root">${html}</div><script type="application/json" id="${FIRST_FRAME_ANSWERS_ID}">${jsonForScriptBlock(answers)}</script>`,
    );
};
