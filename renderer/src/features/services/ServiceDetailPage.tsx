// One service before consent: purpose, terms version, provider (G6), datasets grouped by data
// provider with every field's purpose (fields without one flagged, G10), the level needed and the methods that
// meet it (G8), its announcements (G13) and the consent gate (G7, G16). The consent journey itself is elsewhere.
import { useId, useMemo } from 'react';
import { Link, useParams } from 'react-router';
import type { DirectoryView, Organization, ServiceDataset, ServiceView } from '../../../../electron/contract/index.ts';
import { useIpcQuery } from '../../app/query.ts';
import { PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { serviceBanners, shownStatus } from '../directory/logic.ts';
import { DirectoryFrame, LevelText, NoticeBanners, NoticeItem, OrgLine, StatusBadge, useErrorText } from '../directory/parts.tsx';
import { useDirectory } from '../directory/store.ts';
import { BlockedNote } from './ServicesPage.tsx';

export function ServiceDetailPage() {
  const { t, pickField } = useI18n();
  const { id = '' } = useParams();
  const { view } = useDirectory();
  const found = view?.services.find((s) => s.service.id === id);
  const title = found ? pickField(found.service, 'name') : t('dir.detail.title');
  return (
    <>
      <PageHeading>{title}</PageHeading>
      <p>
        <Link to="/services">{t('dir.detail.back')}</Link>
      </p>
      <DirectoryFrame>
        {(directory, now) => {
          const service = directory.services.find((s) => s.service.id === id);
          return service ? <Detail service={service} view={directory} now={now} /> : <p>{t('dir.detail.unknown')}</p>;
        }}
      </DirectoryFrame>
    </>
  );
}

function Detail(props: { service: ServiceView; view: DirectoryView; now: Date }) {
  const { t, pickField } = useI18n();
  const errorText = useErrorText();
  const refusalId = useId();
  const sv = props.service;
  const s = sv.service;
  const status = shownStatus(sv);
  const notices = props.view.notices.filter((n) => sv.noticeIds.includes(n.notice.id));
  const groups = groupByProvider(s.datasets);
  return (
    <div className="service-detail" data-service-id={s.id} data-status={status}>
      <p className="badges">
        <StatusBadge status={status} />
        <span className="badge badge-neutral">{t(`dir.kind.${s.kind}`)}</span>
        <span className="badge badge-neutral">{t(`dir.subject.${s.subject_type}`)}</span>
      </p>
      <NoticeBanners notices={serviceBanners(sv, props.view.notices, props.now)} view={props.view} label={t('dir.banner.service')} />
      {sv.gate.warnings.map((w) => (
        <p key={w.code} className="gate-warning" data-warning-code={w.code}>
          {errorText(w)}
        </p>
      ))}
      <div id={refusalId}>
        <BlockedNote service={sv} view={props.view} />
      </div>

      <section aria-labelledby={`${refusalId}-about`}>
        <h2 id={`${refusalId}-about`}>{t('dir.detail.about')}</h2>
        <dl className="facts">
          <dt>{t('dir.service.organization')}</dt>
          <dd>
            <OrgLine org={s.organization} />
          </dd>
          <dt>{t('dir.detail.purpose')}</dt>
          <dd>{pickField(s, 'purpose')}</dd>
          <dt>{t('dir.detail.terms')}</dt>
          <dd>
            {t('dir.detail.termsVersion', { version: s.terms.version })} <code className="hash">{s.terms.sha256.slice(0, 16)}…</code>
          </dd>
          {s.kind === 'service-provider' && (
            <>
              <dt>{t('dir.detail.retention')}</dt>
              <dd>{pickField(s, 'retention') ?? t('dir.detail.retentionNone')}</dd>
            </>
          )}
          <dt>{t('dir.service.level')}</dt>
          <dd>
            <LevelText level={s.level_required} />
            <QualifyingMethods subjectType={s.subject_type} level={s.level_required} />
          </dd>
        </dl>
      </section>

      <section aria-labelledby={`${refusalId}-data`}>
        <h2 id={`${refusalId}-data`}>{t('dir.detail.datasets')}</h2>
        {groups.map(({ provider, datasets }) => (
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
        {sv.gate.allowed ? (
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
        {notices.length === 0 ? (
          <p>{t('dir.detail.noNotices')}</p>
        ) : (
          notices.map((n) => <NoticeItem key={n.notice.id} notice={n} view={props.view} headingLevel={3} />)
        )}
      </section>
    </div>
  );
}

function groupByProvider(datasets: readonly ServiceDataset[]): { provider: Organization; datasets: ServiceDataset[] }[] {
  const groups = new Map<string, { provider: Organization; datasets: ServiceDataset[] }>();
  for (const d of datasets) {
    const group = groups.get(d.provider.id) ?? { provider: d.provider, datasets: [] };
    group.datasets.push(d);
    groups.set(d.provider.id, group);
  }
  return [...groups.values()];
}

function DatasetFields(props: { dataset: ServiceDataset }) {
  const { t, pickField } = useI18n();
  const d = props.dataset;
  const unstated = d.fields.filter((f) => pickField(f, 'purpose') === null).length;
  return (
    <div className="dataset" data-dataset-id={d.id}>
      <table className="fields">
        <caption>
          {pickField(d, 'name')} · <span className="muted"><LevelText level={d.level_required} /></span>
        </caption>
        <thead>
          <tr>
            <th scope="col">{t('dir.field.name')}</th>
            <th scope="col">{t('dir.field.required')}</th>
            <th scope="col">{t('dir.field.purpose')}</th>
          </tr>
        </thead>
        <tbody>
          {d.fields.map((f) => {
            const purpose = pickField(f, 'purpose');
            return (
              <tr key={f.name} data-field={f.name} data-purpose={purpose === null ? 'missing' : 'stated'}>
                <th scope="row">{pickField(f, 'label')}</th>
                <td>{f.required ? t('dir.field.requiredYes') : t('dir.field.optional')}</td>
                <td>{purpose ?? <strong className="badge badge-late">{t('dir.field.noPurpose')}</strong>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {unstated > 0 && <p className="gate-warning">{t('dir.field.noPurposeNote', { count: unstated })}</p>}
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
