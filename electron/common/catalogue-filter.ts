// The catalogue's search and filters over a service's facets: pure, so core builds the facets and the screen narrows the list as the person types.
import type { ORGANIZATION_CATEGORIES, SERVICE_KINDS, SERVICE_STATUSES, SUBJECT_TYPES } from './enums.ts';

export interface ServiceFacets {
  readonly kind: (typeof SERVICE_KINDS)[number];
  readonly subjectType: (typeof SUBJECT_TYPES)[number];
  /** The data providers' organisation ids. */
  readonly providerIds: readonly string[];
  /** The category of the organisation offering the service (G6). */
  readonly category: (typeof ORGANIZATION_CATEGORIES)[number];
  /** The status shown (a terminated provider ends the service, G16). */
  readonly status: (typeof SERVICE_STATUSES)[number];
  /** Names, purpose, provider and data providers in both languages, normalised. */
  readonly searchText: string;
}

/** What the catalogue is narrowed to; an absent member means "any". */
export interface CatalogueFilter {
  readonly query?: string;
  readonly kind?: ServiceFacets['kind'];
  readonly subjectType?: ServiceFacets['subjectType'];
  /** A data provider's organisation id. */
  readonly provider?: string;
  readonly category?: ServiceFacets['category'];
  readonly status?: ServiceFacets['status'];
}

/** Case-, width- and space-insensitive form for matching (NFKC folds full-width Latin and digits). */
export function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Every whitespace-separated term must occur somewhere (Chinese is matched as a substring, having no spaces). */
export function matchesQuery(facets: Pick<ServiceFacets, 'searchText'>, query: string): boolean {
  const terms = normalise(query).split(' ').filter((t) => t !== '');
  return terms.every((t) => facets.searchText.includes(t));
}

export function matchesFilter(facets: ServiceFacets, filter: CatalogueFilter): boolean {
  if (filter.kind !== undefined && facets.kind !== filter.kind) return false;
  if (filter.subjectType !== undefined && facets.subjectType !== filter.subjectType) return false;
  if (filter.provider !== undefined && !facets.providerIds.includes(filter.provider)) return false;
  if (filter.category !== undefined && facets.category !== filter.category) return false;
  if (filter.status !== undefined && facets.status !== filter.status) return false;
  return filter.query === undefined || matchesQuery(facets, filter.query);
}

export function filterServices<T extends { readonly facets: ServiceFacets }>(services: readonly T[], filter: CatalogueFilter): T[] {
  return services.filter((s) => matchesFilter(s.facets, filter));
}
