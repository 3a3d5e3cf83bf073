// The catalogue filter's choices and its URL form (so a link, e.g. Home's "download my data", opens it filtered);
// matching is common's (catalogue-filter.ts) over the facets core gives each service.
import type { CatalogueFilter } from '../../../../electron/common/catalogue-filter.ts';
import type { ServiceStatus } from '../../../../electron/contract/index.ts';
import { ORGANIZATION_CATEGORIES as CATEGORIES, SERVICE_KINDS, SERVICE_STATUSES as ALL_STATUSES, SUBJECT_TYPES } from '../../../../electron/common/enums.ts';

export type { CatalogueFilter };

// The filter's status choices put the common case first: live, then the rest of the life cycle.
export const SERVICE_STATUSES: readonly ServiceStatus[] = ['live', ...ALL_STATUSES.filter((s) => s !== 'live')];
export { CATEGORIES, SERVICE_KINDS, SUBJECT_TYPES };

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** Reads the filter from the URL's query. */
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
