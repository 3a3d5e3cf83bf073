// Pure rules of the verification step and the identity badge: the need from a query, default choices, the flow's
// state machine (matching results to the transaction), time left, and what a person can do after an error.
import type {
  AppError,
  AssuranceLevel,
  Bilingual,
  EventData,
  IdentityProvider,
  IdentitySession,
  Language,
  MethodChoice,
  MethodId,
  SubjectType,
  VerificationTicket,
} from '../../../../electron/contract/index.ts';
import { STRONGEST_LEVEL, WEAKEST_LEVEL } from '../../../../electron/common/enums.ts';
import { textIn } from '../../../../electron/common/bilingual.ts';
import { intlLocale } from '../../../../electron/common/locale.ts';
import { otherLanguage } from '../../i18n/index.ts';

/** What a verification must satisfy (G8): who, how strong (lower is stronger), and for which datasets (one scope each). */
export interface VerificationNeed {
  /** Fixed by the caller (e.g. company datasets); when absent the person chooses 個人 or 企業代表. */
  readonly subjectType?: SubjectType;
  readonly requiredLevel: AssuranceLevel;
  readonly datasets: readonly string[];
  /** Why this verification is asked for (a step-up's reason). */
  readonly reason?: Bilingual;
}

export type ProviderOption = IdentityProvider & { readonly choices: readonly MethodChoice[] };

/** The weakest level there is: with no dataset to serve, any accredited method will do. */
export const ANY_LEVEL: AssuranceLevel = WEAKEST_LEVEL;
const DATASET_ID = /^[a-z][a-z0-9-]*$/;

/**
 * The need for the /verify route, from its query: `level` (0…4, lower is stronger; default 4, any method),
 * `type` (`natural` | `legal`; default: the person chooses) and `datasets` (comma-separated ids). Bad values are ignored.
 */
export function needFromQuery(query: URLSearchParams): VerificationNeed {
  const rawLevel = query.get('level');
  const level = rawLevel === null || rawLevel.trim() === '' ? Number.NaN : Number(rawLevel);
  const requiredLevel = Number.isFinite(level) && level >= STRONGEST_LEVEL && level <= WEAKEST_LEVEL ? level : ANY_LEVEL;
  const type = query.get('type');
  const datasets = (query.get('datasets') ?? '').split(',').map((d) => d.trim()).filter((d) => DATASET_ID.test(d)).slice(0, 50);
  return {
    requiredLevel,
    datasets: [...new Set(datasets)],
    ...(type === 'natural' || type === 'legal' ? { subjectType: type } : {}),
  };
}

export function qualifyingChoices(provider: Pick<ProviderOption, 'choices'>): MethodChoice[] {
  return provider.choices.filter((c) => c.qualifies);
}

/**
 * Keeps the person's provider while it is listed (even one with no qualifying method: its methods then show why),
 * else the first provider with a qualifying method, else the first listed.
 */
export function pickProvider(providers: readonly ProviderOption[], current: string | null): string | null {
  if (current !== null && providers.some((p) => p.issuer === current)) return current;
  return (providers.find((p) => qualifyingChoices(p).length > 0) ?? providers[0])?.issuer ?? null;
}

/** Keeps the current method if it qualifies at this provider, else the strongest one that does. */
export function pickMethod(provider: Pick<ProviderOption, 'choices'> | undefined, current: MethodId | null): MethodId | null {
  if (!provider) return null;
  const usable = qualifyingChoices(provider);
  if (current !== null && usable.some((c) => c.method.id === current)) return current;
  return [...usable].sort((a, b) => a.method.level - b.method.level)[0]?.method.id ?? null;
}

/** The text in the person's language. */
export { textIn as bilingual } from '../../../../electron/common/bilingual.ts';

/** Both texts, the current language first, each with its lang: how AppError messages are shown. */
export function inOrder(text: Bilingual, language: Language): readonly { lang: Language; text: string }[] {
  return [language, otherLanguage(language)].map((lang) => ({ lang, text: textIn(text, lang) }));
}

// ---- the flow ---------------------------------------------------------------------------------------------------

export type VerificationOutcome = EventData<'identity:result'>;

export type Flow =
  | { readonly step: 'choose'; readonly notice: 'cancelled' | null }
  /** `begin` is on its way; an outcome that overtakes the ticket is kept until the ticket names its transaction. */
  | { readonly step: 'starting'; readonly early: readonly VerificationOutcome[] }
  | { readonly step: 'waiting'; readonly ticket: VerificationTicket; readonly cancelling: boolean; readonly reopened: number; readonly reopenError: AppError | null }
  | { readonly step: 'verified'; readonly session: IdentitySession }
  | { readonly step: 'failed'; readonly error: AppError };

export type FlowEvent =
  | { readonly type: 'begin' }
  | { readonly type: 'ticket'; readonly ticket: VerificationTicket }
  | { readonly type: 'begin-failed'; readonly error: AppError }
  | { readonly type: 'outcome'; readonly outcome: VerificationOutcome }
  | { readonly type: 'cancel-requested' }
  | { readonly type: 'cancel-done' }
  | { readonly type: 'cancel-failed'; readonly error: AppError }
  | { readonly type: 'reopened' }
  | { readonly type: 'reopen-failed'; readonly error: AppError }
  | { readonly type: 'restart' };

export const initialFlow: Flow = { step: 'choose', notice: null };

/** The code core gives a verification the person (or a newer one) cancelled. */
export const CANCELLED_CODE = 'IDENTITY_CANCELLED';
/** The code core gives a transaction that already ended (a cancel that came too late). */
export const UNKNOWN_TRANSACTION_CODE = 'IDENTITY_UNKNOWN_TRANSACTION';

function settle(outcome: VerificationOutcome, cancelling: boolean): Flow {
  if (outcome.ok) return { step: 'verified', session: outcome.session };
  // A cancel the person asked for is not an error to explain: back to the choices, saying it was cancelled.
  if (cancelling && outcome.error.code === CANCELLED_CODE) return { step: 'choose', notice: 'cancelled' };
  return { step: 'failed', error: outcome.error };
}

export function flowReducer(flow: Flow, event: FlowEvent): Flow {
  switch (event.type) {
    case 'begin':
      return flow.step === 'choose' || flow.step === 'failed' || flow.step === 'verified' ? { step: 'starting', early: [] } : flow;
    case 'ticket': {
      if (flow.step !== 'starting') return flow;
      const early = flow.early.find((o) => o.transactionId === event.ticket.transactionId);
      if (early) return settle(early, false);
      return { step: 'waiting', ticket: event.ticket, cancelling: false, reopened: 0, reopenError: null };
    }
    case 'begin-failed':
      return flow.step === 'starting' ? { step: 'failed', error: event.error } : flow;
    case 'outcome':
      if (flow.step === 'starting') return { step: 'starting', early: [...flow.early, event.outcome].slice(-5) };
      // Only this transaction's outcome counts: an older one (cancelled by a newer begin) must not replace it.
      if (flow.step !== 'waiting' || event.outcome.transactionId !== flow.ticket.transactionId) return flow;
      return settle(event.outcome, flow.cancelling);
    case 'cancel-requested':
      return flow.step === 'waiting' ? { ...flow, cancelling: true } : flow;
    case 'cancel-done':
      return flow.step === 'waiting' && flow.cancelling ? { step: 'choose', notice: 'cancelled' } : flow;
    case 'cancel-failed':
      if (flow.step !== 'waiting') return flow;
      // Too late to cancel: the transaction ended, and its outcome is on its way (or has arrived).
      if (event.error.code === UNKNOWN_TRANSACTION_CODE) return flow;
      return { ...flow, cancelling: false, reopenError: event.error };
    case 'reopened':
      return flow.step === 'waiting' ? { ...flow, reopened: flow.reopened + 1, reopenError: null } : flow;
    case 'reopen-failed':
      return flow.step === 'waiting' ? { ...flow, reopenError: event.error } : flow;
    case 'restart':
      return flow.step === 'failed' || flow.step === 'verified' || flow.step === 'choose' ? initialFlow : flow;
  }
}

// ---- after an error ------------------------------------------------------------------------------------------------

/** Codes after which another provider (or method) is the way forward, rather than the same one again. */
const OTHER_PROVIDER_CODES = new Set([
  'IDENTITY_IDP_UNREACHABLE',
  'IDENTITY_IDP_METADATA_INVALID',
  'IDENTITY_IDP_ERROR',
  'IDENTITY_NO_QUALIFYING_METHOD',
  'IDENTITY_METHOD_NOT_QUALIFYING',
  'IDENTITY_ISSUER_NOT_ACCREDITED',
  'IDENTITY_TOKEN_NOT_DPOP_BOUND',
  'IDENTITY_ACR_INSUFFICIENT',
]);

export interface ErrorAdvice {
  /** Starting again with the same choices may work. */
  readonly retry: boolean;
  /** Choosing another provider or method may work. */
  readonly otherProvider: boolean;
  /** Nothing the person can change: report it with the code. */
  readonly report: boolean;
}

export function errorAdvice(error: Pick<AppError, 'code' | 'retryable'>): ErrorAdvice {
  const otherProvider = OTHER_PROVIDER_CODES.has(error.code);
  return { retry: error.retryable, otherProvider, report: !error.retryable && !otherProvider };
}

// ---- time ---------------------------------------------------------------------------------------------------------

/** Whole minutes left, rounded up (10 right after a 600 s verification), 0 once expired. */
export function minutesLeft(expiresAt: string, now: number): number {
  const ms = Date.parse(expiresAt) - now;
  return ms > 0 ? Math.ceil(ms / 60_000) : 0;
}

export type TimeLeft = { readonly kind: 'minutes'; readonly minutes: number } | { readonly kind: 'under-a-minute' } | { readonly kind: 'expired' };

/** What the badge says: whole minutes (rounded up) while a minute or more is left, then "under a minute", then expired. */
export function timeLeft(expiresAt: string, now: number): TimeLeft {
  const ms = Date.parse(expiresAt) - now;
  if (ms <= 0) return { kind: 'expired' };
  if (ms < 60_000) return { kind: 'under-a-minute' };
  return { kind: 'minutes', minutes: Math.ceil(ms / 60_000) };
}

/** Milliseconds until minutesLeft() next changes, so a display updates once a minute exactly when it must. */
export function msUntilMinuteChange(expiresAt: string, now: number): number {
  const ms = Date.parse(expiresAt) - now;
  if (ms <= 0) return 60_000;
  const rest = ms % 60_000;
  return (rest === 0 ? 60_000 : rest) + 5;
}

/** A clock time (hours and minutes) in the person's language. */
export function formatTime(iso: string, language: Language, timeZone?: string): string {
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hour12: false };
  if (timeZone !== undefined) options.timeZone = timeZone;
  return new Intl.DateTimeFormat(intlLocale(language), options).format(new Date(iso));
}
