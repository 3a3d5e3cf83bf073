// Pure rules of the directory screens: catalogue search and filters, a service's shown status, which announcements are current.
import type { NoticeView, Organization, OrganizationCategory, ServiceStatus, ServiceView } from '../../../../electron/contract/index.ts';
import { ORGANIZATION_CATEGORIES as CATEGORIES, SERVICE_KINDS, SERVICE_STATUSES as ALL_STATUSES, SUBJECT_TYPES } from '../../../../electron/common/enums.ts';

export type SubjectType = ServiceView['service']['subject_type'];
export type ServiceKind = ServiceView['service']['kind'];

// The filter's status choices put the common case first: live, then the rest of the life cycle.
export const SERVICE_STATUSES: readonly ServiceStatus[] = ['live', ...ALL_STATUSES.filter((s) => s !== 'live')];
export { CATEGORIES, SERVICE_KINDS, SUBJECT_TYPES };

/** What the catalogue is narrowed to; an absent member means "any". */
export interface CatalogueFilter {
  readonly query?: string;
  readonly kind?: ServiceKind;
  readonly subjectType?: SubjectType;
  /** A data provider's organisation id. */
  readonly provider?: string;
  /** The category of the organisation offering the service (G6). */
  readonly category?: OrganizationCategory;
  readonly status?: ServiceStatus;
}

/**
 * The status a person should see: a terminated provider or data provider ends the service whatever its own
 * status says (G16), as the consent gate in core also holds.
 */
export function shownStatus(view: ServiceView): ServiceStatus {
  const s = view.service;
  if (s.organization.status === 'terminated' || s.datasets.some((d) => d.provider.status === 'terminated')) return 'terminated';
  return s.status;
}

/** Case-, width- and space-insensitive form for matching (NFKC folds full-width Latin and digits). */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Everything a search looks in, in both languages: names, purpose, the provider and the data providers. */
export function searchText(view: ServiceView): string {
  const s = view.service;
  const parts = [s.name_zh, s.name_en, s.purpose_zh, s.purpose_en, s.organization.name_zh, s.organization.name_en];
  for (const d of s.datasets) parts.push(d.name_zh, d.name_en, d.provider.name_zh, d.provider.name_en);
  return normalise(parts.join('\n'));
}

/** Every whitespace-separated term must occur somewhere (Chinese is matched as a substring, having no spaces). */
export function matchesQuery(view: ServiceView, query: string): boolean {
  const terms = normalise(query).split(' ').filter((t) => t !== '');
  if (terms.length === 0) return true;
  const text = searchText(view);
  return terms.every((t) => text.includes(t));
}

export function dataProviderIds(view: ServiceView): string[] {
  return [...new Set(view.service.datasets.map((d) => d.provider.id))];
}

export function matchesFilter(view: ServiceView, filter: CatalogueFilter): boolean {
  const s = view.service;
  if (filter.kind !== undefined && s.kind !== filter.kind) return false;
  if (filter.subjectType !== undefined && s.subject_type !== filter.subjectType) return false;
  if (filter.provider !== undefined && !dataProviderIds(view).includes(filter.provider)) return false;
  if (filter.category !== undefined && s.organization.category !== filter.category) return false;
  if (filter.status !== undefined && shownStatus(view) !== filter.status) return false;
  return filter.query === undefined || matchesQuery(view, filter.query);
}

export function filterServices(services: readonly ServiceView[], filter: CatalogueFilter): ServiceView[] {
  return services.filter((v) => matchesFilter(v, filter));
}

/** The data providers found in the catalogue, each once, for the provider filter. */
export function dataProviders(services: readonly ServiceView[]): Organization[] {
  const byId = new Map<string, Organization>();
  for (const v of services) for (const d of v.service.datasets) if (!byId.has(d.provider.id)) byId.set(d.provider.id, d.provider);
  return [...byId.values()];
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** Reads the filter from the URL's query (so a link, e.g. Home's "download my data", can open it filtered). */
export function filterFromParams(params: URLSearchParams): CatalogueFilter {
  const query = params.get('q') ?? '';
  const provider = params.get('provider') ?? '';
  return {
    ...(query.trim() !== '' ? { query } : {}),
    ...(provider !== '' ? { provider } : {}),
    ...optional('kind', oneOf(params.get('kind'), SERVICE_KINDS)),
    ...optional('subjectType', oneOf(params.get('subject'), SUBJECT_TYPES)),
    ...optional('category', oneOf(params.get('category'), CATEGORIES)),
    ...optional('status', oneOf(params.get('status'), SERVICE_STATUSES)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** Writes the filter back as URL query parameters (empty ones left out). */
export function filterToParams(filter: CatalogueFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.query !== undefined && filter.query !== '') params.set('q', filter.query);
  if (filter.kind) params.set('kind', filter.kind);
  if (filter.subjectType) params.set('subject', filter.subjectType);
  if (filter.provider) params.set('provider', filter.provider);
  if (filter.category) params.set('category', filter.category);
  if (filter.status) params.set('status', filter.status);
  return params;
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
