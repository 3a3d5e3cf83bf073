// The directory's rules over the platform's data: the status a service shows, its facets for search, which announcements are banners, since when a service is blocked, and who offers or supplies what.
import type { NoticeView, Organization, ServiceStatus, ServiceView } from '../../contract/index.ts';
import { normalise, type ServiceFacets } from '../../common/catalogue-filter.ts';

/**
 * The status a person should see: a terminated provider or data provider ends the service whatever its own
 * status says (G16), as the consent gate also holds.
 */
export function shownStatus(view: ServiceView): ServiceStatus {
  const s = view.service;
  if (s.organization.status === 'terminated' || s.datasets.some((d) => d.provider.status === 'terminated')) return 'terminated';
  return s.status;
}

/** Everything a search looks in, in both languages: names, purpose, the provider and the data providers. */
export function searchText(view: ServiceView): string {
  const s = view.service;
  const parts = [s.name_zh, s.name_en, s.purpose_zh, s.purpose_en, s.organization.name_zh, s.organization.name_en];
  for (const d of s.datasets) parts.push(d.name_zh, d.name_en, d.provider.name_zh, d.provider.name_en);
  return normalise(parts.join('\n'));
}

export function dataProviderIds(view: ServiceView): string[] {
  return [...new Set(view.service.datasets.map((d) => d.provider.id))];
}

export function serviceFacets(view: ServiceView): ServiceFacets {
  const s = view.service;
  return { kind: s.kind, subjectType: s.subject_type, providerIds: dataProviderIds(view), category: s.organization.category, status: shownStatus(view), searchText: searchText(view) };
}

/** The data providers found in the catalogue, each once, for the provider filter. */
export function dataProviders(services: readonly ServiceView[]): Organization[] {
  const byId = new Map<string, Organization>();
  for (const v of services) for (const d of v.service.datasets) if (!byId.has(d.provider.id)) byId.set(d.provider.id, d.provider);
  return [...byId.values()];
}

/**
 * Whether an announcement still belongs in a banner at `now`: anything not yet in effect; a suspension,
 * maintenance or termination while in effect; a change only until it takes effect (then it is simply how things are).
 */
export function isCurrentNotice(view: NoticeView, now: Date): boolean {
  const t = now.getTime();
  if (t < Date.parse(view.notice.effective_from)) return true;
  if (view.notice.kind === 'change') return false;
  return view.inEffect;
}

/** Current announcements of organisation or service scope that concern this service (platform ones are shown on every screen). */
export function serviceBanners(service: ServiceView, notices: readonly NoticeView[], now: Date): NoticeView[] {
  const ids = new Set(service.noticeIds);
  return notices.filter((n) => ids.has(n.notice.id) && n.notice.scope !== 'platform' && isCurrentNotice(n, now));
}

export function platformBanners(notices: readonly NoticeView[], now: Date): NoticeView[] {
  return notices.filter((n) => n.notice.scope === 'platform' && isCurrentNotice(n, now));
}

/** Services an organisation offers, and services that use its data. */
export function servicesOf(org: Organization, services: readonly ServiceView[]): { offers: ServiceView[]; supplies: ServiceView[] } {
  return {
    offers: services.filter((v) => v.service.organization.id === org.id),
    supplies: services.filter((v) => v.service.datasets.some((d) => d.provider.id === org.id)),
  };
}

/** When a blocked service became blocked: the gate's window, else the in-force notice that blocks it. */
export function blockedSince(view: ServiceView, notices: readonly NoticeView[]): string | null {
  if (view.gate.since !== null) return view.gate.since;
  const ids = new Set(view.noticeIds);
  const starts = notices
    .filter((n) => ids.has(n.notice.id) && n.inEffect && n.notice.kind !== 'change')
    .map((n) => n.notice.effective_from)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return starts[0] ?? null;
}
