// Renderer entry: mounts the app into #root.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { prefetchAppInfo } from './app/app-info.tsx';
import { prefetchIpcQuery } from './app/query.ts';
import { prefetchSettings } from './app/settings.tsx';
import './app/theme.css';
import './app/base.css';
import './app/shell.css';
import './components/components.css';

prefetchSettings();
prefetchAppInfo();
// The update banner's code loads after the first frame; its state is asked now, so that an update:state event sent
// before the banner is there updates the kept answer instead of finding no query to update.
void prefetchIpcQuery('update:state', {});
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
