// The identity step's pure rules: the need from the /verify query, default choices, the flow (outcomes matched to
// their transaction, cancels racing outcomes), advice after an error, time left, and the method names in both catalogues.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VERIFICATION_METHODS, type AppError, type IdentitySession, type MethodChoice, type VerificationTicket } from '../../../electron/contract/index.ts';
import { en } from '../../../renderer/src/i18n/en.ts';
import { zhTW } from '../../../renderer/src/i18n/zh-TW.ts';
import {
  errorAdvice,
  flowReducer,
  initialFlow,
  inOrder,
  minutesLeft,
  msUntilMinuteChange,
  needFromQuery,
  pickMethod,
  pickProvider,
  timeLeft,
  type Flow,
  type FlowEvent,
  type ProviderOption,
  type VerificationOutcome,
} from '../../../renderer/src/features/identity/model.ts';

function choice(id: string, qualifies: boolean): MethodChoice {
  const method = VERIFICATION_METHODS.find((m) => m.id === id);
  if (!method) throw new Error(id);
  return { method, qualifies, reason: qualifies ? null : { zh: '太弱', en: 'too weak' } };
}

function provider(issuer: string, choices: MethodChoice[]): ProviderOption {
  return { issuer, name_zh: issuer, name_en: issuer, methods: choices.map((c) => c.method.id), subject_types: ['natural'], choices };
}

const ticket = (id: string): VerificationTicket => ({ transactionId: id, issuer: 'http://127.0.0.1:1/', deadline: '2026-01-01T00:10:00.000Z', reason: null });
const session = { id: 'session-1', displayName: '王小明' } as unknown as IdentitySession;
const appError = (code: string, retryable = true): AppError => ({ code, message_zh: '錯誤', message_en: 'error', retryable });
const ok = (id: string): VerificationOutcome => ({ ok: true, transactionId: id, session });
const failed = (id: string, code: string): VerificationOutcome => ({ ok: false, transactionId: id, error: appError(code) });

function run(events: FlowEvent[], from: Flow = initialFlow): Flow {
  return events.reduce(flowReducer, from);
}

describe('needFromQuery (#/verify?level=…&type=…&datasets=…)', () => {
  it('reads the level, the subject type and the datasets', () => {
    expect(needFromQuery(new URLSearchParams('level=0&type=legal&datasets=tax-income,household'))).toEqual({
      requiredLevel: 0,
      subjectType: 'legal',
      datasets: ['tax-income', 'household'],
    });
    expect(needFromQuery(new URLSearchParams('level=2.1'))).toEqual({ requiredLevel: 2.1, datasets: [] });
  });

  it('defaults to any level and lets the person choose the subject type', () => {
    expect(needFromQuery(new URLSearchParams(''))).toEqual({ requiredLevel: 4, datasets: [] });
  });

  it('ignores bad values instead of demanding something impossible', () => {
    for (const level of ['-1', '5', 'abc', '', ' ', 'Infinity', 'NaN']) {
      expect(needFromQuery(new URLSearchParams({ level })).requiredLevel, level).toBe(4);
    }
    expect(needFromQuery(new URLSearchParams('type=robot')).subjectType).toBeUndefined();
    expect(needFromQuery(new URLSearchParams('datasets=ok,Bad,../x,,ok,a-1')).datasets).toEqual(['ok', 'a-1']);
  });
});

describe('default choices', () => {
  const twca = provider('twca', [choice('moica', true), choice('hw-bank-cert', false), choice('otp', false)]);
  const weakOnly = provider('weak', [choice('otp', false)]);
  const cht = provider('cht', [choice('tw-fido', true), choice('chip-bank-card', true)]);

  it('picks the first provider with a qualifying method, and keeps the person’s pick while it is listed', () => {
    expect(pickProvider([weakOnly, twca, cht], null)).toBe('twca');
    expect(pickProvider([weakOnly, twca, cht], 'cht')).toBe('cht');
    // A provider with nothing qualifying stays chosen if the person chose it: its methods then say why.
    expect(pickProvider([weakOnly, twca], 'weak')).toBe('weak');
    expect(pickProvider([twca], 'gone')).toBe('twca');
    expect(pickProvider([weakOnly], null)).toBe('weak');
    expect(pickProvider([], null)).toBeNull();
  });

  it('picks the strongest qualifying method, keeps a qualifying pick, never a disqualified one', () => {
    expect(pickMethod(cht, null)).toBe('chip-bank-card');
    expect(pickMethod(cht, 'tw-fido')).toBe('tw-fido');
    expect(pickMethod(twca, 'otp')).toBe('moica');
    expect(pickMethod(weakOnly, 'otp')).toBeNull();
    expect(pickMethod(undefined, 'moica')).toBeNull();
  });
});

describe('the verification flow', () => {
  it('waits for its own transaction and settles on its outcome', () => {
    const waiting = run([{ type: 'begin' }, { type: 'ticket', ticket: ticket('tx-1') }]);
    expect(waiting.step).toBe('waiting');
    // An older transaction's outcome (cancelled by this newer one) must not replace it.
    expect(run([{ type: 'outcome', outcome: failed('tx-0', 'IDENTITY_CANCELLED') }], waiting)).toBe(waiting);
    expect(run([{ type: 'outcome', outcome: ok('tx-1') }], waiting)).toEqual({ step: 'verified', session });
    expect(run([{ type: 'outcome', outcome: failed('tx-1', 'IDENTITY_CANCELLED_AT_IDP') }], waiting)).toEqual({
      step: 'failed',
      error: appError('IDENTITY_CANCELLED_AT_IDP'),
    });
  });

  it('keeps an outcome that overtakes the ticket', () => {
    const flow = run([{ type: 'begin' }, { type: 'outcome', outcome: ok('tx-9') }, { type: 'outcome', outcome: ok('tx-1') }, { type: 'ticket', ticket: ticket('tx-1') }]);
    expect(flow).toEqual({ step: 'verified', session });
    const other = run([{ type: 'begin' }, { type: 'outcome', outcome: ok('tx-9') }, { type: 'ticket', ticket: ticket('tx-1') }]);
    expect(other.step).toBe('waiting');
  });

  it('shows a failed begin as an error', () => {
    expect(run([{ type: 'begin' }, { type: 'begin-failed', error: appError('IDENTITY_IDP_UNREACHABLE') }])).toEqual({
      step: 'failed',
      error: appError('IDENTITY_IDP_UNREACHABLE'),
    });
  });

  it('a cancel the person asked for goes back to the choices, whichever arrives first: the answer or the outcome', () => {
    const waiting = run([{ type: 'begin' }, { type: 'ticket', ticket: ticket('tx-1') }, { type: 'cancel-requested' }]);
    const cancelled = { step: 'choose', notice: 'cancelled' };
    expect(run([{ type: 'cancel-done' }, { type: 'outcome', outcome: failed('tx-1', 'IDENTITY_CANCELLED') }], waiting)).toEqual(cancelled);
    expect(run([{ type: 'outcome', outcome: failed('tx-1', 'IDENTITY_CANCELLED') }, { type: 'cancel-done' }], waiting)).toEqual(cancelled);
    // The verification finished just before the cancel reached main: the session wins.
    expect(run([{ type: 'outcome', outcome: ok('tx-1') }, { type: 'cancel-failed', error: appError('IDENTITY_UNKNOWN_TRANSACTION', false) }], waiting)).toEqual({
      step: 'verified',
      session,
    });
  });

  it('a cancel that was not asked for (timeout, a newer begin elsewhere) is an error to explain', () => {
    const waiting = run([{ type: 'begin' }, { type: 'ticket', ticket: ticket('tx-1') }]);
    expect(run([{ type: 'outcome', outcome: failed('tx-1', 'IDENTITY_CANCELLED') }], waiting).step).toBe('failed');
    expect(run([{ type: 'outcome', outcome: failed('tx-1', 'IDENTITY_TIMEOUT') }], waiting).step).toBe('failed');
  });

  it('counts reopenings and reports a failed one without leaving the wait', () => {
    const waiting = run([{ type: 'begin' }, { type: 'ticket', ticket: ticket('tx-1') }, { type: 'reopened' }, { type: 'reopened' }]);
    expect(waiting).toMatchObject({ step: 'waiting', reopened: 2, reopenError: null });
    expect(run([{ type: 'reopen-failed', error: appError('IDENTITY_UNKNOWN_TRANSACTION', false) }], waiting)).toMatchObject({
      step: 'waiting',
      reopenError: { code: 'IDENTITY_UNKNOWN_TRANSACTION' },
    });
  });

  it('never starts twice while one begin is on its way, and restarts only from a finished state', () => {
    const starting = run([{ type: 'begin' }]);
    expect(run([{ type: 'begin' }], starting)).toBe(starting);
    expect(run([{ type: 'restart' }], starting)).toBe(starting);
    expect(run([{ type: 'restart' }], { step: 'failed', error: appError('X') })).toEqual(initialFlow);
  });
});

describe('advice after an error', () => {
  it('says whether to start again, choose another provider, or report it', () => {
    expect(errorAdvice(appError('IDENTITY_CANCELLED_AT_IDP'))).toEqual({ retry: true, otherProvider: false, report: false });
    expect(errorAdvice(appError('IDENTITY_IDP_UNREACHABLE'))).toEqual({ retry: true, otherProvider: true, report: false });
    expect(errorAdvice(appError('IDENTITY_TOKEN_NOT_DPOP_BOUND', false))).toEqual({ retry: false, otherProvider: true, report: false });
    expect(errorAdvice(appError('IDENTITY_CALLBACK_REPEATED', false))).toEqual({ retry: false, otherProvider: false, report: true });
  });

  it('always offers at least one thing to do', () => {
    fc.assert(fc.property(fc.string(), fc.boolean(), (code, retryable) => {
      const advice = errorAdvice({ code, retryable });
      return advice.retry || advice.otherProvider || advice.report;
    }));
  });

  it('shows both messages, the current language first', () => {
    expect(inOrder({ zh: '中', en: 'en' }, 'zh-TW')).toEqual([{ lang: 'zh-TW', text: '中' }, { lang: 'en', text: 'en' }]);
    expect(inOrder({ zh: '中', en: 'en' }, 'en')).toEqual([{ lang: 'en', text: 'en' }, { lang: 'zh-TW', text: '中' }]);
  });
});

describe('time left', () => {
  const expires = '2026-01-01T00:10:00.000Z';
  const at = (iso: string) => Date.parse(iso);

  it('rounds up to whole minutes, then says under a minute, then expired', () => {
    expect(timeLeft(expires, at('2026-01-01T00:00:00.500Z'))).toEqual({ kind: 'minutes', minutes: 10 });
    expect(timeLeft(expires, at('2026-01-01T00:08:59.000Z'))).toEqual({ kind: 'minutes', minutes: 2 });
    expect(timeLeft(expires, at('2026-01-01T00:09:00.000Z'))).toEqual({ kind: 'minutes', minutes: 1 });
    expect(timeLeft(expires, at('2026-01-01T00:09:00.001Z'))).toEqual({ kind: 'under-a-minute' });
    expect(timeLeft(expires, at('2026-01-01T00:10:00.000Z'))).toEqual({ kind: 'expired' });
    expect(minutesLeft(expires, at('2026-01-01T00:11:00.000Z'))).toBe(0);
  });

  it('the next tick comes exactly when the minutes change, never sooner than needed and within a minute', () => {
    const end = Date.parse(expires);
    fc.assert(fc.property(fc.integer({ min: 1, max: 20 * 60_000 }), (remaining) => {
      const now = end - remaining;
      const wait = msUntilMinuteChange(expires, now);
      const before = minutesLeft(expires, now);
      const justBefore = minutesLeft(expires, now + wait - 6);
      const after = minutesLeft(expires, now + wait);
      return wait > 0 && wait <= 60_005 && justBefore === before && after === before - 1;
    }));
  });
});

describe('method names in the catalogues', () => {
  it('match the contract’s names for every method, in both languages', () => {
    for (const method of VERIFICATION_METHODS) {
      expect(zhTW[`identity.method.${method.id}`]).toBe(method.name_zh);
      expect(en[`identity.method.${method.id}`]).toBe(method.name_en);
    }
  });
});
