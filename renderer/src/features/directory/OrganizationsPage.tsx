// The organisation registry (G6, G16): category, approving authority, roles, standing, and the services of each
// organisation with their statuses; terminated organisations are marked here as everywhere else.
import { Link } from 'react-router';
import type { DirectoryScreenView, ServiceEntryView } from '../../../../electron/contract/index.ts';
import { PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { CATEGORIES } from './logic.ts';
import { DirectoryFrame, NoticeBanners, OrgStanding, StatusBadge } from './parts.tsx';

type OrgEntryView = DirectoryScreenView['organizations'][number];

export function OrganizationsPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading>{t('dir.orgs.title')}</PageHeading>
      <p>{t('dir.orgs.intro')}</p>
      <DirectoryFrame>
        {(view) => (
          <>
            {CATEGORIES.map((category) => {
              const orgs = view.organizations.filter((o) => o.category === category);
              if (orgs.length === 0) return null;
              return (
                <section key={category} aria-labelledby={`orgs-${category}`} className="org-category" data-category={category}>
                  <h2 id={`orgs-${category}`}>{t(`dir.category.${category}`)}</h2>
                  <ul className="org-list">
                    {orgs.map((org) => (
                      <OrgEntry key={org.id} org={org} view={view} />
                    ))}
                  </ul>
                </section>
              );
            })}
          </>
        )}
      </DirectoryFrame>
    </>
  );
}

function OrgEntry(props: { org: OrgEntryView; view: DirectoryScreenView }) {
  const { t, list } = useI18n();
  const o = props.org;
  const reason = o.terminationReason;
  const byIds = (ids: readonly string[]) => props.view.services.filter((s) => ids.includes(s.id));
  return (
    <li className={`org-entry org-${o.status}`} data-org-id={o.id} data-org-status={o.status}>
      <h3>
        {o.name} <OrgStanding org={o} />
      </h3>
      <dl className="facts">
        <dt>{t('dir.orgs.category')}</dt>
        <dd>{t(`dir.category.${o.category}`)}</dd>
        <dt>{t('dir.orgs.authority')}</dt>
        <dd>{o.approvingAuthority}</dd>
        <dt>{t('dir.orgs.roles')}</dt>
        <dd>{list(o.roles.map((r) => t(r === 'data-provider' ? 'dir.role.dataProvider' : 'dir.role.serviceProvider')))}</dd>
        <dt>{t('dir.orgs.standing')}</dt>
        <dd>
          {o.status === 'active' ? t('dir.org.active') : <OrgStanding org={o} />}
          {o.status === 'terminated' && reason && (
            <span className="org-reason"> {t('dir.orgs.reason', { reason })}</span>
          )}
        </dd>
        {o.status === 'terminated' && (
          <>
            <dt>{t('dir.orgs.history')}</dt>
            <dd>{t('dir.orgs.historyNote')}</dd>
          </>
        )}
      </dl>
      <NoticeBanners ids={o.bannerIds} view={props.view} label={t('dir.banner.organisation')} />
      <ServiceList title={t('dir.orgs.offers')} services={byIds(o.offers)} />
      <ServiceList title={t('dir.orgs.supplies')} services={byIds(o.supplies)} />
    </li>
  );
}

function ServiceList(props: { title: string; services: readonly ServiceEntryView[] }) {
  if (props.services.length === 0) return null;
  return (
    <div className="org-services">
      <p className="org-services-title">{props.title}</p>
      <ul className="plain-list">
        {props.services.map((s) => (
          <li key={s.id} data-service-id={s.id}>
            <Link to={`/services/${encodeURIComponent(s.id)}`}>{s.name}</Link> <StatusBadge status={s.status} />
          </li>
        ))}
      </ul>
    </div>
  );
}
