// The route table: one entry per screen, in navigation order, each screen loaded lazily from its feature folder.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { MessageKey } from '../i18n/index.ts';

export interface AppRoute {
  readonly path: string;
  readonly navLabel: MessageKey;
  readonly Screen: LazyExoticComponent<ComponentType>;
}

export const appRoutes: readonly AppRoute[] = [
  { path: '/', navLabel: 'nav.home', Screen: lazy(() => import('../features/home/index.ts')) },
  { path: '/services', navLabel: 'nav.services', Screen: lazy(() => import('../features/services/index.ts')) },
  { path: '/my-data', navLabel: 'nav.mydata', Screen: lazy(() => import('../features/mydata/index.ts')) },
  { path: '/history', navLabel: 'nav.history', Screen: lazy(() => import('../features/history/index.ts')) },
  { path: '/settings', navLabel: 'nav.settings', Screen: lazy(() => import('../features/settings/index.ts')) },
];
