// One service before consent: purpose, terms version, provider (G6), datasets grouped by data
// provider with every field's purpose (fields without one flagged, G10), the level needed and the methods that
// meet it (G8), its announcements (G13) and the consent gate (G7, G16). The consent journey itself is elsewhere.
import { useId, useMemo } from 'react';
import { Link, useParams } from 'react-router';
import type { DirectoryScreenView, ServiceEntryView } from '../../../../electron/contract/index.ts';
import { useIpcQuery } from '../../app/query.ts';
import { PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { DirectoryFrame, LevelText, NoticeBanners, NoticeItem, OrgLine, StatusBadge } from '../directory/parts.tsx';
import { useDirectory } from '../directory/store.ts';
import { BlockedNote, GateWarnings } from './ServicesPage.tsx';

export function ServiceDetailPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const { view } = useDirectory();
  const found = view?.services.find((s) => s.id === id);
  const title = found ? found.name : t('dir.detail.title');
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <p>
        <Link to="/services">{t('dir.detail.back')}</Link>
      </p>
      <DirectoryFrame>
        {(directory) => {
          const service = directory.services.find((s) => s.id === id);
          return service ? <Detail service={service} view={directory} /> : <p>{t('dir.detail.unknown')}</p>;
        }}
      </DirectoryFrame>
    </>
  );
}

function Detail(props: { service: ServiceEntryView; view: DirectoryScreenView }) {
  const { t } = useI18n();
  const refusalId = useId();
  const s = props.service;
  const notices = props.view.notices.filter((n) => s.noticeIds.includes(n.id));
  return (
    <div className="service-detail" data-service-id={s.id} data-status={s.status}>
      <p className="badges">
        <StatusBadge status={s.status} />
        <span className="badge badge-neutral">{t(`dir.kind.${s.facets.kind}`)}</span>
        <span className="badge badge-neutral">{t(`dir.subject.${s.facets.subjectType}`)}</span>
      </p>
      <NoticeBanners ids={s.bannerIds} view={props.view} label={t('dir.banner.service')} />
      <GateWarnings service={s} />
      <div id={refusalId}>
        <BlockedNote service={s} />
      </div>

      <section aria-labelledby={`${refusalId}-about`}>
        <h2 id={`${refusalId}-about`}>{t('dir.detail.about')}</h2>
        <dl className="facts">
          <dt>{t('dir.service.organization')}</dt>
          <dd>
            <OrgLine org={s.organization} />
          </dd>
          <dt>{t('dir.detail.purpose')}</dt>
          <dd>{s.purpose}</dd>
          <dt>{t('dir.detail.terms')}</dt>
          <dd>
            {t('dir.detail.termsVersion', { version: s.terms.version })} <code className="hash">{s.terms.sha256.slice(0, 16)}…</code>
          </dd>
          {s.facets.kind === 'service-provider' && (
            <>
              <dt>{t('dir.detail.retention')}</dt>
              <dd>{s.retention ?? t('dir.detail.retentionNone')}</dd>
            </>
          )}
          <dt>{t('dir.service.level')}</dt>
          <dd>
            <LevelText level={s.levelRequired} />
            <QualifyingMethods subjectType={s.facets.subjectType} level={s.levelRequired} />
          </dd>
        </dl>
      </section>

      <section aria-labelledby={`${refusalId}-data`}>
        <h2 id={`${refusalId}-data`}>{t('dir.detail.datasets')}</h2>
        {s.datasetGroups.map(({ provider, datasets }) => (
          <section key={provider.id} className="provider-group" data-provider-id={provider.id} aria-labelledby={`${refusalId}-p-${provider.id}`}>
            <h3 id={`${refusalId}-p-${provider.id}`}>
              <OrgLine org={provider} />
            </h3>
            {datasets.map((d) => (
              <DatasetFields key={d.id} dataset={d} />
            ))}
          </section>
        ))}
      </section>

      <section aria-labelledby={`${refusalId}-consent`}>
        <h2 id={`${refusalId}-consent`}>{t('dir.detail.consentHeading')}</h2>
        {s.gate.allowed ? (
          <p>
            <Link className="button" to={`/services/${encodeURIComponent(s.id)}/consent`} data-testid="consent-action">
              {t('dir.detail.consent')}
            </Link>
          </p>
        ) : (
          <p>
            <button type="button" className="button" disabled aria-describedby={refusalId} data-testid="consent-action">
              {t('dir.detail.consent')}
            </button>{' '}
            <span className="muted">{t('dir.detail.consentBlocked')}</span>
          </p>
        )}
      </section>

      <section aria-labelledby={`${refusalId}-notices`}>
        <h2 id={`${refusalId}-notices`}>{t('dir.detail.notices')}</h2>
        {notices.length === 0 ? <p>{t('dir.detail.noNotices')}</p> : notices.map((n) => <NoticeItem key={n.id} notice={n} headingLevel={3} />)}
      </section>
    </div>
  );
}

function DatasetFields(props: { dataset: ServiceEntryView['datasetGroups'][number]['datasets'][number] }) {
  const { t } = useI18n();
  const d = props.dataset;
  return (
    <div className="dataset" data-dataset-id={d.id}>
      <table className="fields">
        <caption>
          {d.name} · <span className="muted"><LevelText level={d.levelRequired} /></span>
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('dir.field.name')}</th>
            <th scope="col">{t('dir.field.required')}</th>
            <th scope="col">{t('dir.field.purpose')}</th>
          </tr>
        </thead>
        <tbody>
          {d.fields.map((f) => (
            <tr key={f.name} data-field={f.name} data-purpose={f.purpose === null ? 'missing' : 'stated'}>
              <th scope="row">{f.label}</th>
              <td>{f.required ? t('dir.field.requiredYes') : t('dir.field.optional')}</td>
              <td>{f.purpose ?? <strong className="badge badge-late">{t('dir.field.noPurpose')}</strong>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.unstated > 0 && <p className="gate-warning">{t('dir.field.noPurposeNote', { count: d.unstated })}</p>}
    </div>
  );
}

/** Asks main which verification methods meet the level (identity:providers); quietly shows nothing if it cannot. */
function QualifyingMethods(props: { subjectType: 'natural' | 'legal'; level: number }) {
  const { t, pick, list } = useI18n();
  const query = useIpcQuery('identity:providers', { subjectType: props.subjectType, requiredLevel: props.level });
  const providers = query.status === 'ready' ? query.data : null;
  const names = useMemo(() => {
    if (!providers) return null;
    const seen = new Map<string, { zh: string; en: string; level: number }>();
    for (const p of providers)
      for (const c of p.choices) if (c.qualifies) seen.set(c.method.id, { zh: c.method.name_zh, en: c.method.name_en, level: c.method.level });
    return [...seen.values()].sort((a, b) => a.level - b.level);
  }, [providers]);
  if (!names || names.length === 0) return null;
  return (
    <p className="methods" data-testid="qualifying-methods">
      {t('dir.level.methods', { methods: list(names.map((n) => pick(n))) })}
    </p>
  );
}
