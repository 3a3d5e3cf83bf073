// The organisation registry (G6, G16): category, approving authority, roles, standing, and the services of each
// organisation with their statuses; terminated organisations are marked here as everywhere else.
import { Link } from 'react-router';
import type { DirectoryView, Organization, ServiceView } from '../../../../electron/contract/index.ts';
import { PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { CATEGORIES, isCurrentNotice, servicesOf, shownStatus } from './logic.ts';
import { DirectoryFrame, NoticeBanners, OrgStanding, StatusBadge, orgName } from './parts.tsx';

export function OrganizationsPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading>{t('dir.orgs.title')}</PageHeading>
      <p>{t('dir.orgs.intro')}</p>
      <DirectoryFrame>
        {(view, now) => (
          <>
            {CATEGORIES.map((category) => {
              const orgs = view.organizations.filter((o) => o.category === category);
              if (orgs.length === 0) return null;
              return (
                <section key={category} aria-labelledby={`orgs-${category}`} className="org-category" data-category={category}>
                  <h2 id={`orgs-${category}`}>{t(`dir.category.${category}`)}</h2>
                  <ul className="org-list">
                    {orgs.map((org) => (
                      <OrgEntry key={org.id} org={org} view={view} now={now} />
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

function OrgEntry(props: { org: Organization; view: DirectoryView; now: Date }) {
  const { t, language, pick, pickField, list } = useI18n();
  const o = props.org;
  // Only a terminated organisation has a reason, and it may be given in one language only.
  const reason = pick({ zh: o.termination_reason_zh ?? '', en: o.termination_reason_en ?? '' });
  const { offers, supplies } = servicesOf(o, props.view.services);
  const banners = props.view.notices.filter(
    (n) => n.notice.scope === 'organisation' && n.notice.organisation_id === o.id && isCurrentNotice(n, props.now),
  );
  return (
    <li className={`org-entry org-${o.status}`} data-org-id={o.id} data-org-status={o.status}>
      <h3>
        {orgName(o, language)} <OrgStanding org={o} />
      </h3>
      <dl className="facts">
        <dt>{t('dir.orgs.category')}</dt>
        <dd>{t(`dir.category.${o.category}`)}</dd>
        <dt>{t('dir.orgs.authority')}</dt>
        <dd>{pickField(o, 'approving_authority')}</dd>
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
      <NoticeBanners notices={banners} view={props.view} label={t('dir.banner.organisation')} />
      <ServiceList title={t('dir.orgs.offers')} services={offers} />
      <ServiceList title={t('dir.orgs.supplies')} services={supplies} />
    </li>
  );
}

function ServiceList(props: { title: string; services: readonly ServiceView[] }) {
  const { pickField } = useI18n();
  if (props.services.length === 0) return null;
  return (
    <div className="org-services">
      <p className="org-services-title">{props.title}</p>
      <ul className="plain-list">
        {props.services.map((s) => (
          <li key={s.service.id} data-service-id={s.service.id}>
            <Link to={`/services/${encodeURIComponent(s.service.id)}`}>{pickField(s.service, 'name')}</Link>{' '}
            <StatusBadge status={shownStatus(s)} />
          </li>
        ))}
      </ul>
    </div>
  );
}
