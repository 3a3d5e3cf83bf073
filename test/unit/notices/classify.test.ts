// Announcement classification (G7, G13), suspension windows and the consent gate by service status (G7, G16).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../electron/contract/errors.ts';
import { NoticeSchema, type Notice } from '../../../electron/contract/platform.ts';
import { addCalendarDays, isWorkingDay } from '../../../electron/core/notices/calendar.ts';
import { taipeiMinute as formatTaipei } from '../../../electron/common/time.ts';
import {
  assertConsentAllowed,
  classifyNotice,
  ConsentGateCode,
  gateConsent,
  gateServiceStatus,
  noticeAffects,
  noticeLeadTime,
  suspensionAt,
  type ServiceTarget,
} from '../../../electron/core/notices/classify.ts';

const TARGET: ServiceTarget = { serviceId: 'svc-tax', organisationIds: ['org-bank', 'org-mof'] };

function notice(overrides: Partial<Record<string, unknown>> = {}): Notice {
  return NoticeSchema.parse({
    id: 'n1',
    scope: 'service',
    service_id: 'svc-tax',
    kind: 'suspension',
    announced_at: '2025-03-03T10:00:00+08:00',
    effective_from: '2025-03-12T00:00:00+08:00',
    effective_until: null,
    urgent: false,
    text: { zh: '暫停服務公告', en: 'Suspension notice' },
    ...overrides,
  });
}

describe('classifyNotice (G13)', () => {
  it('is on time at exactly 7 working days and late at 6', () => {
    // Effective Wed 2025-03-12; counted back: 11, 10, 7, 6, 5, 4, 3 March.
    const onTime = classifyNotice(notice({ announced_at: '2025-03-03T17:30:00+08:00' }));
    expect(onTime).toMatchObject({ timing: 'on-time', workingDays: 7, requiredWorkingDays: 7, latestOnTimeDate: '2025-03-03', exactness: 'exact' });
    const late = classifyNotice(notice({ announced_at: '2025-03-04T09:00:00+08:00' }));
    expect(late).toMatchObject({ timing: 'late', workingDays: 6, latestOnTimeDate: '2025-03-03' });
  });

  it('counts on the office calendar, not on weekdays', () => {
    // Effective Tue 2026-02-24, after the Lunar New Year week (02-16…02-20 off).
    const base = { effective_from: '2026-02-24T09:00:00+08:00' };
    expect(classifyNotice(notice({ ...base, announced_at: '2026-02-06T12:00:00+08:00' }))).toMatchObject({ timing: 'on-time', workingDays: 7 });
    // Eleven weekdays ahead, but six working days: late.
    expect(classifyNotice(notice({ ...base, announced_at: '2026-02-09T12:00:00+08:00' }))).toMatchObject({ timing: 'late', workingDays: 6 });
  });

  it('counts a make-up Saturday', () => {
    // Effective Tue 2024-02-27: 26, 23, 22, 21, 20, 19, and Saturday 17 (make-up) make 7 on Sat 02-17.
    expect(noticeLeadTime('2024-02-17T08:00:00+08:00', '2024-02-27T00:00:00+08:00').workingDays).toBe(7);
    expect(noticeLeadTime('2024-02-17T08:00:00+08:00', '2024-02-27T00:00:00+08:00').latestOnTimeDate).toBe('2024-02-17');
  });

  it('reads the announcement time as a Taipei date around midnight', () => {
    const at = (announced_at: string) => classifyNotice(notice({ announced_at })).timing;
    expect(at('2025-03-03T15:59:59Z')).toBe('on-time'); // 23:59:59 Monday in Taipei
    expect(at('2025-03-03T16:00:00Z')).toBe('late'); // 00:00 Tuesday in Taipei
  });

  it('marks urgent notices urgent whatever their lead time, and still reports it', () => {
    const r = classifyNotice(notice({ urgent: true, announced_at: '2025-03-11T22:00:00+08:00' }));
    expect(r).toMatchObject({ timing: 'urgent', workingDays: 1 });
    expect(classifyNotice(notice({ urgent: true })).timing).toBe('urgent');
  });

  it('holds every kind to the rule, maintenance included', () => {
    for (const kind of ['change', 'suspension', 'termination', 'maintenance']) {
      expect(classifyNotice(notice({ kind, announced_at: '2025-03-04T09:00:00+08:00' })).timing).toBe('late');
      expect(classifyNotice(notice({ kind })).timing).toBe('on-time');
    }
  });

  it('gives a negative lead time to a notice announced after it took effect', () => {
    const r = classifyNotice(notice({ announced_at: '2025-03-14T09:00:00+08:00' }));
    expect(r).toMatchObject({ timing: 'late', workingDays: -2 });
  });

  it('says when the lead time is an estimate (2027 has no published calendar)', () => {
    const r = classifyNotice(notice({ announced_at: '2026-12-30T09:00:00+08:00', effective_from: '2027-01-12T00:00:00+08:00' }));
    expect(r).toMatchObject({ exactness: 'estimate', yearsWithoutCalendar: [2027] });
    expect(r.workingDays).toBe(9); // 12-30, 12-31, then 1, 4, 5, 6, 7, 8, 11 January counted as weekdays
    const exact = classifyNotice(notice({ announced_at: '2026-12-01T09:00:00+08:00', effective_from: '2026-12-31T00:00:00+08:00' }));
    expect(exact.exactness).toBe('exact');
  });

  it('is on time exactly when announced on or before the latest on-time date', () => {
    const day = fc.integer({ min: 0, max: 3 * 365 }).map((k) => addCalendarDays('2024-01-01', k));
    fc.assert(
      fc.property(day, fc.integer({ min: -5, max: 40 }), (announced, gap) => {
        const effective = addCalendarDays(announced, gap);
        const r = classifyNotice(notice({ announced_at: `${announced}T12:00:00+08:00`, effective_from: `${effective}T00:00:00+08:00`, effective_until: null }));
        expect(r.timing === 'on-time').toBe(announced <= r.latestOnTimeDate);
        expect(r.timing === 'on-time').toBe(r.workingDays >= 7);
        expect(isWorkingDay(r.latestOnTimeDate)).toBe(true);
      }),
    );
  });
});

describe('noticeAffects', () => {
  it('matches platform notices to every service, organisation notices to its organisations, service notices to the service', () => {
    expect(noticeAffects(notice({ scope: 'platform' }), TARGET)).toBe(true);
    expect(noticeAffects(notice({ scope: 'organisation', organisation_id: 'org-mof' }), TARGET)).toBe(true);
    expect(noticeAffects(notice({ scope: 'organisation', organisation_id: 'org-other' }), TARGET)).toBe(false);
    expect(noticeAffects(notice({ service_id: 'svc-other' }), TARGET)).toBe(false);
  });
});

describe('suspensionAt', () => {
  const window = notice({ effective_from: '2025-03-12T00:00:00+08:00', effective_until: '2025-03-14T18:00:00+08:00' });

  it('blocks inside [effective_from, effective_until) and says since when', () => {
    expect(suspensionAt([window], TARGET, '2025-03-11T15:59:59Z')).toEqual({ blocked: false });
    expect(suspensionAt([window], TARGET, '2025-03-11T16:00:00Z')).toEqual({
      blocked: true,
      kind: 'suspension',
      since: '2025-03-11T16:00:00.000Z',
      until: '2025-03-14T10:00:00.000Z',
      notices: [window],
    });
    expect(suspensionAt([window], TARGET, new Date('2025-03-14T09:59:59Z')).blocked).toBe(true);
    expect(suspensionAt([window], TARGET, '2025-03-14T18:00:00+08:00')).toEqual({ blocked: false });
  });

  it('ignores change notices and notices about other services', () => {
    const change = notice({ kind: 'change' });
    const other = notice({ service_id: 'svc-other' });
    expect(suspensionAt([change, other], TARGET, '2025-04-01T00:00:00Z')).toEqual({ blocked: false });
  });

  it('keeps an open-ended suspension and a termination in force', () => {
    expect(suspensionAt([notice()], TARGET, '2030-01-01T00:00:00Z')).toMatchObject({ blocked: true, until: null });
    const termination = notice({ kind: 'termination', effective_until: '2025-03-20T00:00:00+08:00' });
    expect(suspensionAt([termination], TARGET, '2030-01-01T00:00:00Z')).toMatchObject({ blocked: true, kind: 'termination', until: null });
  });

  it('joins back-to-back windows and prefers the strongest kind', () => {
    const maintenance = notice({ id: 'm', kind: 'maintenance', scope: 'platform', effective_from: '2025-03-14T18:00:00+08:00', effective_until: '2025-03-15T06:00:00+08:00' });
    const r = suspensionAt([maintenance, window], TARGET, '2025-03-15T01:00:00+08:00');
    expect(r).toMatchObject({ blocked: true, kind: 'maintenance', since: '2025-03-11T16:00:00.000Z', until: '2025-03-14T22:00:00.000Z' });
    const overlap = suspensionAt([maintenance, window, notice({ id: 't', kind: 'termination', effective_from: '2025-03-15T00:00:00+08:00' })], TARGET, '2025-03-15T01:00:00+08:00');
    expect(overlap).toMatchObject({ blocked: true, kind: 'termination', until: null });
  });

  it('refuses a time without an offset', () => {
    expect(() => suspensionAt([window], TARGET, '2025-03-12T10:00:00')).toThrow(AppFailure);
  });
});

describe('gateServiceStatus (G7, G16)', () => {
  it('allows live, allows testing and pilot with a warning, refuses suspended and terminated', () => {
    expect(gateServiceStatus('live')).toEqual({ allowed: true, warning: null });
    expect(gateServiceStatus('testing')).toMatchObject({ allowed: true, warning: { code: 'SERVICE_STATUS_TESTING' } });
    expect(gateServiceStatus('pilot')).toMatchObject({ allowed: true, warning: { code: 'SERVICE_STATUS_PILOT' } });
    expect(gateServiceStatus('suspended')).toMatchObject({ allowed: false, failure: { code: 'SERVICE_SUSPENDED', retryable: true } });
    expect(gateServiceStatus('terminated')).toMatchObject({ allowed: false, failure: { code: 'SERVICE_TERMINATED', retryable: false } });
  });
});

describe('gateConsent', () => {
  const during = '2025-03-12T10:00:00+08:00';

  it('refuses a live service inside a suspension window, naming the Taipei start and end', () => {
    const gate = gateConsent({ status: 'live', target: TARGET, notices: [notice({ effective_until: '2025-03-14T18:00:00+08:00' })], now: during });
    expect(gate).toMatchObject({ allowed: false, since: '2025-03-11T16:00:00.000Z', until: '2025-03-14T10:00:00.000Z' });
    if (gate.allowed) throw new Error('unreachable');
    expect(gate.failure.code).toBe(ConsentGateCode.SUSPENSION_WINDOW);
    expect(gate.failure.message_zh).toContain('2025-03-12 00:00');
    expect(gate.failure.message_zh).toContain('2025-03-14 18:00');
    expect(gate.failure.message_en).toContain('2025-03-12 00:00 (Taipei time)');
  });

  it('uses the maintenance and termination codes for those windows', () => {
    const maint = gateConsent({ status: 'live', target: TARGET, notices: [notice({ kind: 'maintenance', scope: 'platform' })], now: during });
    expect(maint).toMatchObject({ allowed: false, failure: { code: 'SERVICE_MAINTENANCE_WINDOW', retryable: true } });
    const term = gateConsent({ status: 'live', target: TARGET, notices: [notice({ kind: 'termination' })], now: during });
    expect(term).toMatchObject({ allowed: false, failure: { code: 'SERVICE_TERMINATION_IN_EFFECT', retryable: false }, until: null });
  });

  it('lets the status speak first and passes its warning through outside any window', () => {
    expect(gateConsent({ status: 'terminated', target: TARGET, notices: [], now: during })).toMatchObject({ allowed: false, failure: { code: 'SERVICE_TERMINATED' }, since: null });
    expect(gateConsent({ status: 'pilot', target: TARGET, notices: [notice()], now: '2025-03-11T23:00:00+08:00' })).toMatchObject({
      allowed: true,
      warnings: [{ code: 'SERVICE_STATUS_PILOT' }],
    });
  });

  it('throws the refusal as an AppFailure for the consent flow', () => {
    expect(() => assertConsentAllowed({ status: 'suspended', target: TARGET, notices: [], now: during })).toThrow(AppFailure);
    expect(assertConsentAllowed({ status: 'live', target: TARGET, notices: [], now: during })).toEqual([]);
  });
});

describe('Notice schema', () => {
  it('refuses offset-less times, a missing target and a window that ends before it starts', () => {
    expect(NoticeSchema.safeParse({ ...notice(), announced_at: '2025-03-03T10:00:00' }).success).toBe(false);
    const { service_id: _unused, ...withoutTarget } = notice() as Notice & { service_id: string };
    expect(NoticeSchema.safeParse(withoutTarget).success).toBe(false);
    expect(NoticeSchema.safeParse({ ...notice(), effective_until: '2025-03-11T00:00:00+08:00' }).success).toBe(false);
  });

  it('formats instants in Taipei time', () => {
    expect(formatTaipei('2025-03-11T16:00:00.000Z')).toBe('2025-03-12 00:00');
  });
});
