// Home's later parts: services that cannot be used now (and since when), the latest announcements with their
// timing, and the recent history.
import { Link } from 'react-router';
import type { DirectoryView, Organization, ServiceView } from '../../../../electron/contract/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatInstant } from '../directory/format.ts';
import { blockedSince, shownStatus } from '../directory/logic.ts';
import { DirectoryFrame, NoticeItem, OrgStanding, StatusBadge, orgName, useErrorText } from '../directory/parts.tsx';
import { RecentHistory } from './RecentHistory.tsx';

const LATEST = 5;

/** The terminated organisations behind a service (its provider or a data provider), each once (G16). */
function terminatedOrgs(view: ServiceView): Organization[] {
  const all = [view.service.organization, ...view.service.datasets.map((d) => d.provider)];
  return [...new Map(all.filter((o) => o.status === 'terminated').map((o) => [o.id, o])).values()];
}

/** The official profile has no platform API: no catalogue or announcements, only the person's own history. */
export function HomeLatest(props: { official: boolean }) {
  return (
    <>
      {!props.official && (
        <DirectoryFrame>
          {(view) => (
            <>
              <Unavailable view={view} />
              <LatestNotices view={view} />
            </>
          )}
        </DirectoryFrame>
      )}
      <RecentHistory />
    </>
  );
}

function Unavailable(props: { view: DirectoryView }) {
  const { t, language, calendar, pickField } = useI18n();
  const errorText = useErrorText();
  const blocked = props.view.services.filter((s) => !s.gate.allowed);
  return (
    <section aria-labelledby="home-unavailable" data-testid="home-unavailable">
      <h2 id="home-unavailable">{t('dir.home.unavailable')}</h2>
      {blocked.length === 0 ? (
        <p>{t('dir.home.allAvailable')}</p>
      ) : (
        <ul className="plain-list unavailable-list">
          {blocked.map((s) => {
            const since = blockedSince(s, props.view.notices);
            return (
              <li key={s.service.id} data-service-id={s.service.id}>
                <Link to={`/services/${encodeURIComponent(s.service.id)}`}>{pickField(s.service, 'name')}</Link>{' '}
                <StatusBadge status={shownStatus(s)} />
                {since !== null && <span className="since"> {t('dir.gate.since', { date: formatInstant(since, language, calendar) })}</span>}
                {s.gate.until !== null && <span className="until"> {t('dir.gate.until', { date: formatInstant(s.gate.until, language, calendar) })}</span>}
                {terminatedOrgs(s).map((o) => (
                  <span key={o.id}>
                    {' '}
                    {orgName(o, language)} <OrgStanding org={o} />
                  </span>
                ))}
                {s.gate.refusal && <p className="muted">{errorText(s.gate.refusal)}</p>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function LatestNotices(props: { view: DirectoryView }) {
  const { t } = useI18n();
  const latest = props.view.notices.slice(0, LATEST);
  const late = props.view.notices.filter((n) => n.timing === 'late').length;
  return (
    <section aria-labelledby="home-notices" data-testid="home-notices">
      <h2 id="home-notices">{t('dir.home.notices')}</h2>
      <p>{t('dir.notices.lateCount', { late, total: props.view.notices.length })}</p>
      {latest.length === 0 ? (
        <p>{t('dir.notices.none')}</p>
      ) : (
        latest.map((n) => <NoticeItem key={n.notice.id} notice={n} view={props.view} headingLevel={3} />)
      )}
      <p>
        <Link to="/announcements">{t('dir.home.allNotices')}</Link>
      </p>
    </section>
  );
}
