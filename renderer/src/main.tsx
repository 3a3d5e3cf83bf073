// Renderer entry: mounts the app into #root — taking over the first frame main rendered into the page (hydrating it)
// when there is one, else rendering from nothing.
// The page loads this module `async`: the frame main rendered is drawn without waiting for it, and the module waits
// for the page to be parsed (the frame and its answers are below the script's tag) before it looks at either.
import { StrictMode } from 'react';
import { createRoot, hydrateRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { prefetchAppInfo } from './app/app-info.tsx';
import { seedFirstFrame, takeFirstFrameAnswers } from './app/first-frame-answers.ts';
import { prefetchIpcQuery } from './app/query.ts';
import { prefetchSettings } from './app/settings.tsx';
import { startIdentitySession } from './features/identity/session.ts';
import { isCatalogueLoaded, loadCatalogue } from './i18n/index.ts';
import './app/theme.css';
import './app/base.css';
import './app/shell.css';
import './components/components.css';

function start(): void {
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  const app = (
    <StrictMode>
      <App />
    </StrictMode>
  );

  // Main renders the home screen only: a window opened on another route renders from nothing.
  const onHome = location.hash === '' || location.hash === '#' || location.hash === '#/';
  const given = takeFirstFrameAnswers(document);
  const answers = root.firstElementChild && onHome ? given : null;

  // The update banner's code loads after the first frame; its state is asked now, so that an update:state event sent
  // before the banner is there updates the kept answer instead of finding no query to update.
  void prefetchIpcQuery('update:state', {});
  if (answers) {
    // The first render must make exactly the HTML main made: from the same answers (main is asked again as the
    // screens show them), in the same language, after the frame already on screen has been drawn.
    seedFirstFrame(answers);
    if (answers.identity !== undefined) startIdentitySession();
    const language = answers.settings.language;
    const messages = isCatalogueLoaded(language) ? null : loadCatalogue(language).catch(() => undefined);
    requestAnimationFrame(() => {
      setTimeout(() => {
        void Promise.resolve(messages).then(() => hydrateRoot(root, app));
      }, 0);
    });
  } else {
    // Without main's frame (another route, a page served without it): the answers are asked before React renders.
    root.replaceChildren();
    prefetchSettings();
    prefetchAppInfo();
    createRoot(root).render(app);
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
else start();
