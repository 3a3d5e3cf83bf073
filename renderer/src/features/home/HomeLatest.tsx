// Home's later parts: services that cannot be used now (and since when), the latest announcements with their
// timing, and the recent history.
import { Link } from 'react-router';
import type { DirectoryScreenView } from '../../../../electron/contract/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatInstant } from '../directory/format.ts';
import { DirectoryFrame, NoticeItem, OrgStanding, StatusBadge } from '../directory/parts.tsx';
import { RecentHistory } from './RecentHistory.tsx';

const LATEST = 5;

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

function Unavailable(props: { view: DirectoryScreenView }) {
  const { t, language, calendar } = useI18n();
  const blocked = props.view.services.filter((s) => !s.gate.allowed);
  return (
    <section aria-labelledby="home-unavailable" data-testid="home-unavailable">
      <h2 id="home-unavailable">{t('dir.home.unavailable')}</h2>
      {blocked.length === 0 ? (
        <p>{t('dir.home.allAvailable')}</p>
      ) : (
        <ul className="plain-list unavailable-list">
          {blocked.map((s) => (
            <li key={s.id} data-service-id={s.id}>
              <Link to={`/services/${encodeURIComponent(s.id)}`}>{s.name}</Link> <StatusBadge status={s.status} />
              {s.gate.since !== null && <span className="since"> {t('dir.gate.since', { date: formatInstant(s.gate.since, language, calendar) })}</span>}
              {s.gate.until !== null && <span className="until"> {t('dir.gate.until', { date: formatInstant(s.gate.until, language, calendar) })}</span>}
              {s.terminated.map((o) => (
                <span key={o.id}>
                  {' '}
                  {o.name} <OrgStanding org={o} />
                </span>
              ))}
              {s.gate.refusal && <p className="muted">{s.gate.refusal.message}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function LatestNotices(props: { view: DirectoryScreenView }) {
  const { t } = useI18n();
  const latest = props.view.notices.slice(0, LATEST);
  const late = props.view.notices.filter((n) => n.timing === 'late').length;
  return (
    <section aria-labelledby="home-notices" data-testid="home-notices">
      <h2 id="home-notices">{t('dir.home.notices')}</h2>
      <p>{t('dir.notices.lateCount', { late, total: props.view.notices.length })}</p>
      {latest.length === 0 ? <p>{t('dir.notices.none')}</p> : latest.map((n) => <NoticeItem key={n.id} notice={n} headingLevel={3} />)}
      <p>
        <Link to="/announcements">{t('dir.home.allNotices')}</Link>
      </p>
    </section>
  );
}
