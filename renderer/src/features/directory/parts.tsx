// Pieces the directory screens share: the directory frame (loading, errors, as-of/offline line, platform banners),
// announcements with their working-day lead time (G13), status badges (G7) and organisation lines (G6, G16).
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { DirectoryScreenView, NoticeItemView, OrgLineView, ServiceStatus } from '../../../../electron/contract/index.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatCalendarDate, formatInstant } from './format.ts';
import { useDirectory } from './store.ts';
import './directory.css';

/**
 * Loads the directory and hands it to `children`; shows the as-of line (marked when offline), the refresh
 * button and the platform's current announcements above every screen that uses it.
 */
export function DirectoryFrame(props: { children: (view: DirectoryScreenView) => ReactNode }) {
  const { t } = useI18n();
  const directory = useDirectory();
  if (!directory.view) {
    if (directory.error) return <ErrorView variant="inline" error={directory.error} onRetry={() => void directory.retry()} />;
    return <p role="status">{t('dir.loading')}</p>;
  }
  return (
    <>
      <DirectoryStatus />
      <NoticeBanners ids={directory.view.platformBannerIds} view={directory.view} label={t('dir.banner.platform')} />
      {props.children(directory.view)}
    </>
  );
}

/** When the copy shown was fetched, whether it is the offline copy, and a button to fetch afresh. */
export function DirectoryStatus() {
  const { t, language, calendar } = useI18n();
  const directory = useDirectory();
  const [outcome, setOutcome] = useState<'idle' | 'done'>('idle');
  const view = directory.view;
  if (!view) return null;
  const time = formatInstant(view.fetchedAt, language, calendar);
  return (
    <div className={view.offline ? 'directory-status directory-offline' : 'directory-status'} data-testid="directory-status" data-offline={view.offline}>
      <p className="directory-asof">
        {view.offline ? (
          <>
            <strong className="badge badge-offline">{t('dir.status.offlineBadge')}</strong> {t('dir.status.offline', { time })}
          </>
        ) : (
          t('dir.status.asOf', { time })
        )}
      </p>
      <button
        type="button"
        className="button button-quiet"
        disabled={directory.loading}
        onClick={() => {
          setOutcome('idle');
          void directory.refresh().then(() => {
            setOutcome('done');
          });
        }}
      >
        {directory.loading ? t('dir.status.refreshing') : t('dir.status.refresh')}
      </button>
      <p role="status" className="directory-refresh-result">
        {outcome === 'done' && !directory.loading && (directory.error ? '' : view.offline ? t('dir.status.refreshedOffline') : t('dir.status.refreshed'))}
      </p>
      {outcome === 'done' && directory.error && <ErrorView variant="inline" error={directory.error} />}
    </div>
  );
}

const TIMING_KEY = { urgent: 'dir.timing.urgent', 'on-time': 'dir.timing.onTime', late: 'dir.timing.late' } as const;
const KIND_KEY = {
  change: 'dir.kind.change',
  suspension: 'dir.kind.suspension',
  termination: 'dir.kind.termination',
  maintenance: 'dir.kind.maintenance',
} as const;

/** Urgent, on time or LATE, plus "estimate" when the count involves a year without a published calendar. */
export function TimingBadges(props: { notice: NoticeItemView }) {
  const { t } = useI18n();
  const n = props.notice;
  return (
    <>
      <span className={`badge badge-${n.timing}`} data-timing={n.timing}>
        {t(TIMING_KEY[n.timing])}
      </span>
      {n.exactness === 'estimate' && (
        <span className="badge badge-estimate" data-exactness="estimate">
          {t('dir.lead.estimateBadge')}
        </span>
      )}
    </>
  );
}

/** The lead time in working days, the rule, and the last day that would have met it. */
export function LeadTime(props: { notice: NoticeItemView }) {
  const { t, language, calendar } = useI18n();
  const n = props.notice;
  const due = formatCalendarDate(n.latestOnTimeDate, language, calendar);
  return (
    <>
      {n.workingDays > 0
        ? t('dir.lead.days', { days: n.workingDays, required: n.requiredWorkingDays, date: due })
        : t('dir.lead.none', { required: n.requiredWorkingDays, date: due })}
      {n.timing === 'urgent' && ` ${t('dir.lead.urgentExempt')}`}
      {n.exactness === 'estimate' && ` ${t('dir.lead.estimate')}`}
    </>
  );
}

/** What the announcement is about: the whole platform, an organisation, or a service (linked when the catalogue knows it). */
export function NoticeTarget(props: { notice: NoticeItemView }) {
  const { t } = useI18n();
  const target = props.notice.target;
  if (target.kind === 'platform') return <>{t('dir.scope.platform')}</>;
  if (target.kind === 'organisation' || !target.known) return <>{target.name}</>;
  return <Link to={`/services/${encodeURIComponent(target.id)}`}>{target.name}</Link>;
}

/** The announcement's text in the current language; Chinese (marked as such) when no English was published. */
export function NoticeText(props: { notice: NoticeItemView }) {
  const { t, language } = useI18n();
  const n = props.notice;
  if (n.textLanguage !== language) {
    return (
      <>
        <p lang={n.textLanguage}>{n.text}</p>
        <p className="muted">{t('dir.notice.onlyChinese')}</p>
      </>
    );
  }
  return <p>{n.text}</p>;
}

/** When it was announced and the window it covers. */
export function NoticeDates(props: { notice: NoticeItemView }) {
  const { t, language, calendar } = useI18n();
  const n = props.notice;
  const f = (iso: string) => formatInstant(iso, language, calendar);
  return (
    <dl className="facts notice-facts">
      <dt>{t('dir.notice.announced')}</dt>
      <dd>{f(n.announcedAt)}</dd>
      <dt>{t('dir.notice.effective')}</dt>
      <dd>{n.effectiveUntil ? t('dir.notice.window', { from: f(n.effectiveFrom), until: f(n.effectiveUntil) }) : f(n.effectiveFrom)}</dd>
      <dt>{t('dir.notice.lead')}</dt>
      <dd>
        <LeadTime notice={n} />
      </dd>
    </dl>
  );
}

/** One announcement in full: kind, target, badges, text, dates and lead time. */
export function NoticeItem(props: { notice: NoticeItemView; headingLevel: 2 | 3 | 4 }) {
  const { t } = useI18n();
  const n = props.notice;
  const Heading = `h${props.headingLevel}` as const;
  return (
    <article className={`notice-item notice-${n.timing}`} data-notice-id={n.id} data-timing={n.timing}>
      <Heading className="notice-title">
        {t(KIND_KEY[n.kind])}：<NoticeTarget notice={n} />
      </Heading>
      <p className="badges">
        <TimingBadges notice={n} />
        {n.inEffect && <span className="badge badge-neutral">{t('dir.notice.inEffect')}</span>}
      </p>
      <NoticeText notice={n} />
      <NoticeDates notice={n} />
    </article>
  );
}

/** Current announcements shown as banners (platform-wide on every screen; organisation/service ones where they apply), by id. */
export function NoticeBanners(props: { ids: readonly string[]; view: DirectoryScreenView; label: string }) {
  const { t, language, calendar } = useI18n();
  const notices = props.view.notices.filter((n) => props.ids.includes(n.id));
  if (notices.length === 0) return null;
  return (
    <div className="notice-banners" data-testid="notice-banners">
      {notices.map((n) => (
        <div key={n.id} className={`notice-banner notice-${n.timing}`} data-notice-id={n.id} data-scope={n.scope}>
          <p className="notice-banner-title">
            <strong>
              {props.label} · {t(KIND_KEY[n.kind])}
            </strong>{' '}
            <TimingBadges notice={n} />
          </p>
          <NoticeText notice={n} />
          <p className="notice-banner-dates">
            {n.effectiveUntil
              ? t('dir.notice.window', { from: formatInstant(n.effectiveFrom, language, calendar), until: formatInstant(n.effectiveUntil, language, calendar) })
              : t('dir.notice.from', { from: formatInstant(n.effectiveFrom, language, calendar) })}
            {' · '}
            <LeadTime notice={n} />
          </p>
        </div>
      ))}
    </div>
  );
}

const STATUS_KEY: Record<ServiceStatus, `dir.status.${ServiceStatus}`> = {
  testing: 'dir.status.testing',
  pilot: 'dir.status.pilot',
  live: 'dir.status.live',
  suspended: 'dir.status.suspended',
  terminated: 'dir.status.terminated',
};

export function StatusBadge(props: { status: ServiceStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge badge-status-${props.status}`} data-status={props.status}>
      {t(STATUS_KEY[props.status])}
    </span>
  );
}

/** An organisation with its category and approving authority (G6), and its termination when terminated (G16). */
export function OrgLine(props: { org: OrgLineView }) {
  const { t } = useI18n();
  const o = props.org;
  return (
    <span className="org-line" data-org-id={o.id} data-org-status={o.status}>
      <span className="org-name">{o.name}</span>{' '}
      <span className="org-meta">
        {t('dir.org.meta', {
          category: t(`dir.category.${o.category}`),
          authority: o.approvingAuthority,
        })}
      </span>
      {o.status !== 'active' && (
        <>
          {' '}
          <OrgStanding org={o} />
        </>
      )}
    </span>
  );
}

/** "Terminated (from date)" or "Suspended", marked wherever the organisation appears (G16). */
export function OrgStanding(props: { org: OrgLineView }) {
  const { t, language, calendar } = useI18n();
  const o = props.org;
  if (o.status === 'active') return null;
  const date = o.terminatedAt ? formatCalendarDate(o.terminatedAt, language, calendar) : null;
  return (
    <span className={`badge badge-org-${o.status}`} data-org-standing={o.status}>
      {o.status === 'terminated' ? (date ? t('dir.org.terminatedOn', { date }) : t('dir.org.terminated')) : t('dir.org.suspended')}
    </span>
  );
}

/** The level needed, with what it means (lower numbers are stronger methods). */
export function LevelText(props: { level: number }) {
  const { t } = useI18n();
  return <>{t('dir.level.needed', { level: String(Math.round(props.level * 10) / 10) })}</>;
}
