// The route table: one entry per screen, in navigation order, each screen loaded lazily from its feature folder
// except Home, the first screen, which ships in the initial bundle so the first render needs no second round trip;
// then the screens reached from others (a service's detail, the announcements), which have no navigation entry.
import { lazy, type ComponentType } from 'react';
import HomePage from '../features/home/index.ts';
import type { MessageKey } from '../i18n/index.ts';

export interface AppRoute {
  readonly path: string;
  readonly navLabel: MessageKey;
  readonly Screen: ComponentType;
}

export interface SubRoute {
  readonly path: string;
  readonly Screen: ComponentType;
}

export const appRoutes: readonly AppRoute[] = [
  { path: '/', navLabel: 'nav.home', Screen: HomePage },
  { path: '/services', navLabel: 'nav.services', Screen: lazy(() => import('../features/services/index.ts')) },
  { path: '/organizations', navLabel: 'nav.organizations', Screen: lazy(() => import('../features/directory/organizations.ts')) },
  { path: '/my-data', navLabel: 'nav.mydata', Screen: lazy(() => import('../features/mydata/index.ts')) },
  { path: '/history', navLabel: 'nav.history', Screen: lazy(() => import('../features/history/index.ts')) },
  { path: '/settings', navLabel: 'nav.settings', Screen: lazy(() => import('../features/settings/index.ts')) },
];

/** Routes without a navigation entry; the navigation marks their parent (e.g. /services) as current. */
export const subRoutes: readonly SubRoute[] = [
  { path: '/services/:id', Screen: lazy(() => import('../features/services/detail.ts')) },
  { path: '/announcements', Screen: lazy(() => import('../features/directory/announcements.ts')) },
  // Identity verification: reached from the header badge and from screens that need a verification.
  { path: '/verify', Screen: lazy(() => import('../features/identity/verify.ts')) },
  // Consent: a catalogue service, a service provider's request from a deep link, and the receipts under My data.
  { path: '/services/:id/consent', Screen: lazy(() => import('../features/consent/service-consent.ts')) },
  { path: '/requests/:requestUri', Screen: lazy(() => import('../features/consent/request-consent.ts')) },
  { path: '/my-data/receipts', Screen: lazy(() => import('../features/consent/receipts.ts')) },
  { path: '/my-data/receipts/:id', Screen: lazy(() => import('../features/consent/receipt.ts')) },
];
