// The route table: one entry per screen, in navigation order, each screen loaded lazily from its feature folder
// except Home, the first screen, which ships in the initial bundle so the first render needs no second round trip;
// then the screens reached from others (a service's detail, the announcements), which have no navigation entry.
import type { ComponentType } from 'react';
import { HomePage } from '../features/home/HomePage.tsx';
import type { MessageKey } from '../i18n/index.ts';
import { lazyWithMessages } from '../i18n/lazy.ts';

/** A screen loaded when first shown (with the later screens' messages): the module holding it, and which of its exports it is. */
const screen = lazyWithMessages;

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
  { path: '/services', navLabel: 'nav.services', Screen: screen(() => import('../features/services/ServicesPage.tsx'), (m) => m.ServicesPage) },
  { path: '/organizations', navLabel: 'nav.organizations', Screen: screen(() => import('../features/directory/OrganizationsPage.tsx'), (m) => m.OrganizationsPage) },
  { path: '/my-data', navLabel: 'nav.mydata', Screen: screen(() => import('../features/mydata/MyDataPage.tsx'), (m) => m.MyDataPage) },
  { path: '/history', navLabel: 'nav.history', Screen: screen(() => import('../features/history/HistoryPage.tsx'), (m) => m.HistoryPage) },
  { path: '/settings', navLabel: 'nav.settings', Screen: screen(() => import('../features/settings/SettingsPage.tsx'), (m) => m.SettingsPage) },
];

/** Routes without a navigation entry; the navigation marks their parent (e.g. /services) as current. */
export const subRoutes: readonly SubRoute[] = [
  { path: '/services/:id', Screen: screen(() => import('../features/services/ServiceDetailPage.tsx'), (m) => m.ServiceDetailPage) },
  { path: '/announcements', Screen: screen(() => import('../features/directory/AnnouncementsPage.tsx'), (m) => m.AnnouncementsPage) },
  // Identity verification: reached from the header badge and from screens that need a verification.
  { path: '/verify', Screen: screen(() => import('../features/identity/VerifyPage.tsx'), (m) => m.VerifyPage) },
  // Consent: a catalogue service, a service provider's request from a deep link, and the receipts under My data.
  { path: '/services/:id/consent', Screen: screen(() => import('../features/consent/ConsentPages.tsx'), (m) => m.ServiceConsentPage) },
  { path: '/requests/:requestUri', Screen: screen(() => import('../features/consent/ConsentPages.tsx'), (m) => m.RequestConsentPage) },
  { path: '/my-data/receipts', Screen: screen(() => import('../features/consent/ReceiptsPage.tsx'), (m) => m.ReceiptsPage) },
  { path: '/my-data/receipts/:id', Screen: screen(() => import('../features/consent/ReceiptsPage.tsx'), (m) => m.ReceiptPage) },
];
