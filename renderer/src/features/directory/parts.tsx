// Pieces the directory screens share: the directory frame (loading, errors, as-of/offline line, platform banners),
// announcements with their working-day lead time (G13), status badges (G7) and organisation lines (G6, G16).
import { useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { AppError, DirectoryView, Language, NoticeView, Organization, ServiceStatus } from '../../../../electron/contract/index.ts';
import { ErrorView } from '../../components/index.ts';
import { pickField as pickFieldIn, useI18n } from '../../i18n/index.ts';
import { formatCalendarDate, formatInstant } from './format.ts';
import { platformBanners } from './logic.ts';
import { useDirectory } from './store.ts';
import './directory.css';

/** The message of an AppError in the current language. */
export function useErrorText(): (error: AppError) => string {
  const { pickField } = useI18n();
  return (error) => pickField(error, 'message');
}

/**
 * Loads the directory and hands it to `children`; shows the as-of line (marked when offline), the refresh
 * button and the platform's current announcements above every screen that uses it.
 */
export function DirectoryFrame(props: { children: (view: DirectoryView, now: Date) => ReactNode }) {
  const { t } = useI18n();
  const directory = useDirectory();
  if (!directory.view) {
    if (directory.error) return <ErrorView variant="inline" error={directory.error} onRetry={() => void directory.retry()} />;
    return <p role="status">{t('dir.loading')}</p>;
  }
  const now = new Date();
  return (
    <>
      <DirectoryStatus />
      <NoticeBanners notices={platformBanners(directory.view.notices, now)} view={directory.view} label={t('dir.banner.platform')} />
      {props.children(directory.view, now)}
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
export function TimingBadges(props: { notice: NoticeView }) {
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
export function LeadTime(props: { notice: NoticeView }) {
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

/** What the announcement is about: the whole platform, an organisation, or a service (linked). */
export function NoticeTarget(props: { notice: NoticeView; view: DirectoryView }) {
  const { t, language, pickField } = useI18n();
  const n = props.notice.notice;
  if (n.scope === 'platform') return <>{t('dir.scope.platform')}</>;
  if (n.scope === 'organisation') {
    const org = props.view.organizations.find((o) => o.id === n.organisation_id);
    return <>{org ? orgName(org, language) : n.organisation_id}</>;
  }
  const service = props.view.services.find((s) => s.service.id === n.service_id);
  if (!service) return <>{n.service_id}</>;
  return <Link to={`/services/${encodeURIComponent(service.service.id)}`}>{pickField(service.service, 'name')}</Link>;
}

/** The announcement's text in the current language; Chinese (marked as such) when no English was published. */
export function NoticeText(props: { notice: NoticeView }) {
  const { t, language, pick } = useI18n();
  const text = props.notice.notice.text;
  if (language === 'en' && text.en === undefined) {
    return (
      <>
        <p lang="zh-TW">{text.zh}</p>
        <p className="muted">{t('dir.notice.onlyChinese')}</p>
      </>
    );
  }
  return <p>{pick({ zh: text.zh, en: text.en ?? text.zh })}</p>;
}

/** When it was announced and the window it covers. */
export function NoticeDates(props: { notice: NoticeView }) {
  const { t, language, calendar } = useI18n();
  const n = props.notice.notice;
  const f = (iso: string) => formatInstant(iso, language, calendar);
  return (
    <dl className="facts notice-facts">
      <dt>{t('dir.notice.announced')}</dt>
      <dd>{f(n.announced_at)}</dd>
      <dt>{t('dir.notice.effective')}</dt>
      <dd>{n.effective_until ? t('dir.notice.window', { from: f(n.effective_from), until: f(n.effective_until) }) : f(n.effective_from)}</dd>
      <dt>{t('dir.notice.lead')}</dt>
      <dd>
        <LeadTime notice={props.notice} />
      </dd>
    </dl>
  );
}

/** One announcement in full: kind, target, badges, text, dates and lead time. */
export function NoticeItem(props: { notice: NoticeView; view: DirectoryView; headingLevel: 2 | 3 | 4 }) {
  const { t } = useI18n();
  const n = props.notice;
  const Heading = `h${props.headingLevel}` as const;
  return (
    <article className={`notice-item notice-${n.timing}`} data-notice-id={n.notice.id} data-timing={n.timing}>
      <Heading className="notice-title">
        {t(KIND_KEY[n.notice.kind])}：<NoticeTarget notice={n} view={props.view} />
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

/** Current announcements shown as banners (platform-wide on every screen; organisation/service ones where they apply). */
export function NoticeBanners(props: { notices: readonly NoticeView[]; view: DirectoryView; label: string }) {
  const { t, language, calendar } = useI18n();
  if (props.notices.length === 0) return null;
  return (
    <div className="notice-banners" data-testid="notice-banners">
      {props.notices.map((n) => (
        <div key={n.notice.id} className={`notice-banner notice-${n.timing}`} data-notice-id={n.notice.id} data-scope={n.notice.scope}>
          <p className="notice-banner-title">
            <strong>
              {props.label} · {t(KIND_KEY[n.notice.kind])}
            </strong>{' '}
            <TimingBadges notice={n} />
          </p>
          <NoticeText notice={n} />
          <p className="notice-banner-dates">
            {n.notice.effective_until
              ? t('dir.notice.window', { from: formatInstant(n.notice.effective_from, language, calendar), until: formatInstant(n.notice.effective_until, language, calendar) })
              : t('dir.notice.from', { from: formatInstant(n.notice.effective_from, language, calendar) })}
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

export function orgName(org: Organization, language: Language): string {
  return pickFieldIn(language, org, 'name');
}

/** An organisation with its category and approving authority (G6), and its termination when terminated (G16). */
export function OrgLine(props: { org: Organization }) {
  const { t, language, pickField } = useI18n();
  const o = props.org;
  return (
    <span className="org-line" data-org-id={o.id} data-org-status={o.status}>
      <span className="org-name">{orgName(o, language)}</span>{' '}
      <span className="org-meta">
        {t('dir.org.meta', {
          category: t(`dir.category.${o.category}`),
          authority: pickField(o, 'approving_authority'),
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
export function OrgStanding(props: { org: Organization }) {
  const { t, language, calendar } = useI18n();
  const o = props.org;
  if (o.status === 'active') return null;
  const date = o.terminated_at ? formatCalendarDate(o.terminated_at, language, calendar) : null;
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
