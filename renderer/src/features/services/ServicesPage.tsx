// The service catalogue: every service, searchable in both languages, filtered by kind, subject
// type, data provider, organisation category and status; each entry with its provider (G6), status (G7, G16),
// announcements (G13) and the assurance level it needs (G8). A link can preset the filter through the URL's query.
import { useId, useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import type { DirectoryScreenView, ServiceEntryView } from '../../../../electron/contract/index.ts';
import { filterServices } from '../../../../electron/common/catalogue-filter.ts';
import { PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatInstant } from '../directory/format.ts';
import { CATEGORIES, SERVICE_KINDS, SERVICE_STATUSES, SUBJECT_TYPES, filterFromParams, filterToParams, type CatalogueFilter } from '../directory/logic.ts';
import { DirectoryFrame, LevelText, NoticeBanners, OrgLine, StatusBadge } from '../directory/parts.tsx';

export function ServicesPage() {
  const { t } = useI18n();
  const location = useLocation();
  return (
    <>
      <PageHeading>{t('services.title')}</PageHeading>
      <DirectoryFrame>{(view) => <Catalogue key={location.search} view={view} />}</DirectoryFrame>
    </>
  );
}

function Catalogue(props: { view: DirectoryScreenView }) {
  const { t } = useI18n();
  const [params] = useSearchParams();
  // The URL presets the filter (e.g. Home's "download my data"); typing does not navigate, since a navigation
  // would move focus to the page heading in the middle of a search.
  const [filter, setFilter] = useState<CatalogueFilter>(() => filterFromParams(params));
  const shown = filterServices(props.view.services, filter);
  const change = (patch: Partial<Record<keyof CatalogueFilter, string>>): void => {
    setFilter((current) => filterFromParams(filterToParams({ ...current, ...patch } as CatalogueFilter)));
  };
  return (
    <>
      <FilterForm view={props.view} filter={filter} onChange={change} />
      <p role="status" className="catalogue-count" data-testid="catalogue-count">
        {t('dir.catalogue.count', { shown: shown.length, total: props.view.services.length })}
      </p>
      {shown.length === 0 ? (
        <p>{t('dir.catalogue.none')}</p>
      ) : (
        <ul className="service-list" aria-label={t('dir.catalogue.listLabel')}>
          {shown.map((s) => (
            <ServiceEntry key={s.id} service={s} view={props.view} />
          ))}
        </ul>
      )}
    </>
  );
}

function FilterForm(props: { view: DirectoryScreenView; filter: CatalogueFilter; onChange: (patch: Partial<Record<keyof CatalogueFilter, string>>) => void }) {
  const { t } = useI18n();
  const id = useId();
  const f = props.filter;
  const select = (name: keyof CatalogueFilter, label: string, value: string | undefined, options: readonly { value: string; label: string }[]) => (
    <div className="tool-field filter-field">
      <label htmlFor={`${id}-${name}`}>{label}</label>
      <select
        id={`${id}-${name}`}
        value={value ?? ''}
        onChange={(event) => {
          props.onChange({ [name]: event.target.value });
        }}
      >
        <option value="">{t('dir.filter.any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <form
      className="catalogue-filter"
      role="search"
      aria-label={t('dir.filter.label')}
      onSubmit={(event) => {
        event.preventDefault();
      }}
    >
      <div className="tool-field filter-field filter-search">
        <label htmlFor={`${id}-q`}>{t('dir.filter.search')}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={f.query ?? ''}
          aria-describedby={`${id}-q-hint`}
          onChange={(event) => {
            props.onChange({ query: event.target.value });
          }}
        />
        <span id={`${id}-q-hint`} className="muted">
          {t('dir.filter.searchHint')}
        </span>
      </div>
      {select('kind', t('dir.filter.kind'), f.kind, SERVICE_KINDS.map((k) => ({ value: k, label: t(`dir.kind.${k}`) })))}
      {select('subjectType', t('dir.filter.subject'), f.subjectType, SUBJECT_TYPES.map((s) => ({ value: s, label: t(`dir.subject.${s}`) })))}
      {select(
        'provider',
        t('dir.filter.provider'),
        f.provider,
        props.view.dataProviders.map((o) => ({ value: o.id, label: o.name })),
      )}
      {select('category', t('dir.filter.category'), f.category, CATEGORIES.map((c) => ({ value: c, label: t(`dir.category.${c}`) })))}
      {select('status', t('dir.filter.status'), f.status, SERVICE_STATUSES.map((s) => ({ value: s, label: t(`dir.status.${s}`) })))}
      <button
        type="button"
        className="button button-quiet"
        onClick={() => {
          props.onChange({ query: '', kind: '', subjectType: '', provider: '', category: '', status: '' });
        }}
      >
        {t('dir.filter.clear')}
      </button>
    </form>
  );
}

/** The sentence under a blocked service: why, and since / until when. */
export function BlockedNote(props: { service: ServiceEntryView }) {
  const { t, language, calendar } = useI18n();
  const gate = props.service.gate;
  if (gate.allowed || !gate.refusal) return null;
  return (
    <div className="gate-refusal" data-gate="refused" data-refusal-code={gate.refusal.code}>
      <p>{gate.refusal.message}</p>
      {(gate.since ?? gate.until) !== null && (
        <p className="gate-dates">
          {gate.since !== null && t('dir.gate.since', { date: formatInstant(gate.since, language, calendar) })}
          {gate.since !== null && gate.until !== null && ' '}
          {gate.until !== null && t('dir.gate.until', { date: formatInstant(gate.until, language, calendar) })}
        </p>
      )}
    </div>
  );
}

/** The gate's warnings (testing, pilot: shown, not blocking). */
export function GateWarnings(props: { service: ServiceEntryView }) {
  return props.service.gate.warnings.map((w) => (
    <p key={w.code} className="gate-warning" data-warning-code={w.code}>
      {w.message}
    </p>
  ));
}

function ServiceEntry(props: { service: ServiceEntryView; view: DirectoryScreenView }) {
  const { t } = useI18n();
  const s = props.service;
  return (
    <li className={`service-entry service-${s.status}`} data-service-id={s.id} data-status={s.status}>
      <h2 className="service-name">
        <Link to={`/services/${encodeURIComponent(s.id)}`}>{s.name}</Link>
      </h2>
      <p className="badges">
        <StatusBadge status={s.status} />
        <span className="badge badge-neutral">{t(`dir.kind.${s.facets.kind}`)}</span>
        <span className="badge badge-neutral">{t(`dir.subject.${s.facets.subjectType}`)}</span>
      </p>
      <dl className="facts">
        <dt>{t('dir.service.organization')}</dt>
        <dd>
          <OrgLine org={s.organization} />
        </dd>
        <dt>{t('dir.service.dataProviders')}</dt>
        <dd>
          <ul className="plain-list">
            {s.providers.map((p) => (
              <li key={p.id}>
                <OrgLine org={p} />
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t('dir.service.level')}</dt>
        <dd>
          <LevelText level={s.levelRequired} />
        </dd>
      </dl>
      <GateWarnings service={s} />
      <BlockedNote service={s} />
      <NoticeBanners ids={s.bannerIds} view={props.view} label={t('dir.banner.service')} />
    </li>
  );
}
