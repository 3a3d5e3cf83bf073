// Announcement lead times (G7, G13), suspension windows, and the consent gate by service status (G7, G16).
import type { AppError } from '../../contract/errors.ts';
import { AppFailure } from '../../contract/errors.ts';
import { InstantSchema, type Notice, type NoticeKind, type ServiceStatus } from '../../contract/platform.ts';
import { taipeiMinute } from '../../common/time.ts';
import {
  addCalendarDays,
  addWorkingDays,
  officeCalendar,
  toCalendarDate,
  workingDaysBetween,
  type CalendarDate,
  type DateInput,
  type Exactness,
  type OfficeCalendar,
} from './calendar.ts';

/** 要點 §5(2), §6(3), §10: changes, suspensions and terminations are announced 7 working days ahead unless urgent. */
export const REQUIRED_NOTICE_WORKING_DAYS = 7;

// ---------------------------------------------------------------- lead time

export interface NoticeLeadTime {
  /**
   * Working days from the Taipei date of the announcement (counted) up to the Taipei date it takes effect
   * (not counted). Negative when announced after it took effect.
   */
  readonly workingDays: number;
  /** The last Taipei date on which announcing would have met the 7-working-day rule. */
  readonly latestOnTimeDate: CalendarDate;
  readonly exactness: Exactness;
  readonly yearsWithoutCalendar: readonly number[];
}

/**
 * "七個工作日前" read as a period counted back from the effective date: that day is not counted
 * (始日不算入), the 7th working day before it is the deadline, and announcing on that day is on time.
 * Hence the count runs over [announced, effective): equal to workingDaysBetween(announced, effective)
 * whenever both dates are working days.
 */
export function noticeLeadTime(
  announcedAt: DateInput,
  effectiveFrom: DateInput,
  calendar: OfficeCalendar = officeCalendar,
): NoticeLeadTime {
  const announced = toCalendarDate(announcedAt);
  const effective = toCalendarDate(effectiveFrom);
  const count = workingDaysBetween(addCalendarDays(announced, -1), addCalendarDays(effective, -1), calendar);
  const deadline = addWorkingDays(effective, -REQUIRED_NOTICE_WORKING_DAYS, calendar);
  const missing = [...new Set([...count.yearsWithoutCalendar, ...deadline.yearsWithoutCalendar])].sort((a, b) => a - b);
  return {
    workingDays: count.days,
    latestOnTimeDate: deadline.date,
    exactness: missing.length === 0 ? 'exact' : 'estimate',
    yearsWithoutCalendar: missing,
  };
}

// ---------------------------------------------------------------- classification

export type NoticeTiming = 'urgent' | 'on-time' | 'late';

export interface NoticeClassification extends NoticeLeadTime {
  readonly timing: NoticeTiming;
  readonly requiredWorkingDays: number;
}

/**
 * urgent: the publisher flagged an emergency (exempt from the rule, lead time still shown);
 * on-time: at least 7 working days of lead; late: fewer.
 * Every kind is held to the rule, maintenance included: a maintenance window makes the service
 * unavailable, which is a suspension (暫停) in the guidelines' terms (§6(3), §10).
 * With an `estimate` lead time (a year without a published calendar) holidays were not subtracted,
 * so an estimated `on-time` may in fact be late; the exactness travels with the result for the UI to say so.
 */
export function classifyNotice(
  notice: Pick<Notice, 'urgent' | 'announced_at' | 'effective_from'>,
  calendar: OfficeCalendar = officeCalendar,
): NoticeClassification {
  const lead = noticeLeadTime(notice.announced_at, notice.effective_from, calendar);
  const timing: NoticeTiming = notice.urgent
    ? 'urgent'
    : lead.workingDays >= REQUIRED_NOTICE_WORKING_DAYS
      ? 'on-time'
      : 'late';
  return { ...lead, timing, requiredWorkingDays: REQUIRED_NOTICE_WORKING_DAYS };
}

// ---------------------------------------------------------------- which notices concern a service

/** A service as notices see it: its id and the organisations behind it (its provider, its data providers). */
export interface ServiceTarget {
  readonly serviceId: string;
  readonly organisationIds: readonly string[];
}

export function noticeAffects(notice: Notice, target: ServiceTarget): boolean {
  switch (notice.scope) {
    case 'platform':
      return true;
    case 'organisation':
      return target.organisationIds.includes(notice.organisation_id);
    case 'service':
      return notice.service_id === target.serviceId;
  }
}

export function noticesAffecting(notices: readonly Notice[], target: ServiceTarget): Notice[] {
  return notices.filter((n) => noticeAffects(n, target));
}

// ---------------------------------------------------------------- suspension windows

export type BlockingKind = Exclude<NoticeKind, 'change'>;

export type SuspensionState =
  | { readonly blocked: false }
  | {
      readonly blocked: true;
      /** The strongest kind among the notices in force now: termination, then suspension, then maintenance. */
      readonly kind: BlockingKind;
      /** Start of the unbroken blocked stretch that contains `now` (back-to-back windows are joined). */
      readonly since: string;
      /** Its end, exclusive; null when open-ended (a termination, or a window with no end). */
      readonly until: string | null;
      /** The notices in force at `now`. */
      readonly notices: readonly Notice[];
    };

const BLOCKING_PRIORITY: Readonly<Record<BlockingKind, number>> = { termination: 3, suspension: 2, maintenance: 1 };

interface Window {
  readonly notice: Notice & { kind: BlockingKind };
  readonly start: number;
  readonly end: number; // Infinity when open-ended
}

function blockingWindow(notice: Notice): Window | null {
  if (notice.kind === 'change') return null;
  // A termination does not lapse: resuming takes a new application (G7), which shows as a new status.
  const until = notice.kind === 'termination' ? null : (notice.effective_until ?? null);
  return {
    notice: notice as Notice & { kind: BlockingKind },
    start: Date.parse(notice.effective_from),
    end: until === null ? Number.POSITIVE_INFINITY : Date.parse(until),
  };
}

/**
 * Whether the service is inside a suspension, maintenance or termination window at `now` (an instant),
 * judging from the notices that concern it. Windows are [effective_from, effective_until).
 */
export function suspensionAt(notices: readonly Notice[], target: ServiceTarget, now: string | Date): SuspensionState {
  const t = instantOf(now);
  const windows = noticesAffecting(notices, target)
    .map(blockingWindow)
    .filter((w): w is Window => w !== null)
    .sort((a, b) => a.start - b.start);
  const active = windows.filter((w) => w.start <= t && t < w.end);
  if (active.length === 0) return { blocked: false };

  let start = Math.min(...active.map((w) => w.start));
  let end = Math.max(...active.map((w) => w.end));
  for (let grew = true; grew; ) {
    grew = false;
    for (const w of windows) {
      if (w.start <= end && w.end >= start && (w.start < start || w.end > end)) {
        [start, end, grew] = [Math.min(start, w.start), Math.max(end, w.end), true];
      }
    }
  }
  const kind = active.reduce<BlockingKind>(
    (strongest, w) => (BLOCKING_PRIORITY[w.notice.kind] > BLOCKING_PRIORITY[strongest] ? w.notice.kind : strongest),
    'maintenance',
  );
  return {
    blocked: true,
    kind,
    since: new Date(start).toISOString(),
    until: Number.isFinite(end) ? new Date(end).toISOString() : null,
    notices: active.map((w) => w.notice),
  };
}

// ---------------------------------------------------------------- consent gate

export const ConsentGateCode = {
  TESTING: 'SERVICE_STATUS_TESTING',
  PILOT: 'SERVICE_STATUS_PILOT',
  SUSPENDED: 'SERVICE_SUSPENDED',
  TERMINATED: 'SERVICE_TERMINATED',
  SUSPENSION_WINDOW: 'SERVICE_SUSPENSION_WINDOW',
  MAINTENANCE_WINDOW: 'SERVICE_MAINTENANCE_WINDOW',
  TERMINATION_NOTICE: 'SERVICE_TERMINATION_IN_EFFECT',
} as const;

export type StatusGate = { readonly allowed: true; readonly warning: AppError | null } | { readonly allowed: false; readonly failure: AppError };

/** G7, G16: testing and pilot services may be used with a warning, live ones freely; suspended and terminated ones not. */
export function gateServiceStatus(status: ServiceStatus): StatusGate {
  switch (status) {
    case 'live':
      return { allowed: true, warning: null };
    case 'testing':
      return {
        allowed: true,
        warning: {
          code: ConsentGateCode.TESTING,
          message_zh: '此服務仍在介接測試階段，尚未正式上線，運作方式可能變動。請確認您了解後再決定是否同意。',
          message_en: 'This service is still being tested and is not yet live; how it works may change. Consent only if you accept that.',
          retryable: false,
        },
      };
    case 'pilot':
      return {
        allowed: true,
        warning: {
          code: ConsentGateCode.PILOT,
          message_zh: '此服務目前為試辦階段，尚未正式上線，服務內容可能調整。請確認您了解後再決定是否同意。',
          message_en: 'This service is in a pilot and is not yet live; what it offers may change. Consent only if you accept that.',
          retryable: false,
        },
      };
    case 'suspended':
      return {
        allowed: false,
        failure: {
          code: ConsentGateCode.SUSPENDED,
          message_zh: '此服務已暫停介接，暫停期間無法同意提供資料。請留意平臺公告，待服務恢復後再試。',
          message_en: 'This service is suspended from the platform, so you cannot consent to it now. Watch the announcements and try again once it resumes.',
          retryable: true,
        },
      };
    case 'terminated':
      return {
        allowed: false,
        failure: {
          code: ConsentGateCode.TERMINATED,
          message_zh: '此服務已終止介接，無法再同意提供資料。過去的傳輸紀錄仍保留在歷史紀錄中；如需協助請洽該服務提供者。',
          message_en: 'This service has been terminated on the platform and can no longer receive consent. Past transmissions stay in your history; contact the service provider if you need help.',
          retryable: false,
        },
      };
  }
}

export interface ConsentGateInput {
  readonly status: ServiceStatus;
  readonly target: ServiceTarget;
  readonly notices: readonly Notice[];
  readonly now: string | Date;
}

export type ConsentGate =
  | { readonly allowed: true; readonly warnings: readonly AppError[] }
  | { readonly allowed: false; readonly failure: AppError; readonly since: string | null; readonly until: string | null };

/** The status first (the platform's word on the service), then any window the notices put it in at `now`. */
export function gateConsent(input: ConsentGateInput): ConsentGate {
  const status = gateServiceStatus(input.status);
  if (!status.allowed) return { allowed: false, failure: status.failure, since: null, until: null };
  const window = suspensionAt(input.notices, input.target, input.now);
  if (window.blocked) {
    return { allowed: false, failure: windowFailure(window.kind, window.since, window.until), since: window.since, until: window.until };
  }
  return { allowed: true, warnings: status.warning ? [status.warning] : [] };
}

/** For the consent flow: returns the warnings to show, or throws the refusal as an AppFailure. */
export function assertConsentAllowed(input: ConsentGateInput): readonly AppError[] {
  const gate = gateConsent(input);
  if (!gate.allowed) throw new AppFailure(gate.failure);
  return gate.warnings;
}

function windowFailure(kind: BlockingKind, since: string, until: string | null): AppError {
  const from = taipeiMinute(since);
  const to = until ? taipeiMinute(until) : null;
  switch (kind) {
    case 'termination':
      return {
        code: ConsentGateCode.TERMINATION_NOTICE,
        message_zh: `依公告，此服務自 ${from}（臺北時間）起終止介接，無法再同意提供資料。過去的傳輸紀錄仍保留在歷史紀錄中。`,
        message_en: `As announced, this service was terminated on the platform from ${from} (Taipei time) and can no longer receive consent. Past transmissions stay in your history.`,
        retryable: false,
      };
    case 'suspension':
      return {
        code: ConsentGateCode.SUSPENSION_WINDOW,
        message_zh: `依公告，此服務自 ${from}（臺北時間）起暫停介接${to ? `，預計 ${to} 恢復` : '，恢復時間未定'}。暫停期間無法同意提供資料，請於恢復後再試。`,
        message_en: `As announced, this service is suspended from ${from} (Taipei time)${to ? ` until ${to}` : ', with no end date announced'}. You cannot consent during the suspension; try again after it ends.`,
        retryable: true,
      };
    case 'maintenance':
      return {
        code: ConsentGateCode.MAINTENANCE_WINDOW,
        message_zh: `依公告，此服務自 ${from}（臺北時間）起維護中${to ? `，預計 ${to} 結束` : '，結束時間未定'}。維護期間無法同意提供資料，請於維護結束後再試。`,
        message_en: `As announced, this service is under maintenance from ${from} (Taipei time)${to ? ` until ${to}` : ', with no end time announced'}. You cannot consent during maintenance; try again after it ends.`,
        retryable: true,
      };
  }
}

// ---------------------------------------------------------------- instants

function instantOf(now: string | Date): number {
  const ms = now instanceof Date ? now.getTime() : InstantSchema.safeParse(now).success ? Date.parse(now) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new AppFailure({
      code: 'NOTICE_INVALID_TIME',
      message_zh: `無法辨識時間「${String(now)}」。請使用含時區的 ISO 時間（例如 2025-01-27T09:00:00+08:00）。`,
      message_en: `"${String(now)}" is not a time this check can read. Use an ISO timestamp with its offset (for example 2025-01-27T09:00:00+08:00).`,
      retryable: false,
    });
  }
  return ms;
}

