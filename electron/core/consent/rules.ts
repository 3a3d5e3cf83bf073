// The consent rules as small pure functions: terms gate (G11), minimisation flags and declines (G10), status gate
// (G7, G16), what identity must provide (G8), the return-address check (G5), and status codes read as states.
import type { AppError } from '../../contract/errors.ts';
import { AppFailure } from '../../contract/errors.ts';
import type { ConsentGateView } from '../../contract/directory.ts';
import type { CatalogueService, Notice, ServiceField } from '../../contract/platform.ts';
import type { DatasetNeed, IdentitySession, SessionFit } from '../../contract/identity.ts';
import type { DeclinedField, FieldFlag, TransactionState } from '../../contract/consent.ts';
import { ConsentErrorCode as C } from '../../contract/consent.ts';
import { qualifyingMethods } from '../identity/levels.ts';
import { VERIFICATION_METHODS } from '../../contract/identity.ts';
import { serviceView } from '../platform/directory-view.ts';
import { consentFailure } from './errors.ts';
import { sha256Hex } from '../../common/hash.ts';

// ---------------------------------------------------------------- terms (G11)

/**
 * Consent is possible only with the digest of the terms the screen showed, and only when that is the service's
 * current terms; the catalogue's own digest must match its text, so a version label cannot hide a changed text.
 */
export async function assertTermsShown(service: Pick<CatalogueService, 'terms'>, shownSha256: string | null): Promise<void> {
  if (shownSha256 === null || !/^[0-9a-f]{64}$/.test(shownSha256)) throw consentFailure(C.TERMS_NOT_SHOWN);
  if (await sha256Hex(service.terms.text) !== service.terms.sha256) {
    throw consentFailure(C.TERMS_CHANGED, { detail: { zh: '平臺提供的條款內容與其雜湊值不符', en: 'the platform’s terms text does not match its digest' } });
  }
  if (shownSha256 !== service.terms.sha256) throw consentFailure(C.TERMS_CHANGED);
}

// ---------------------------------------------------------------- minimisation (G10)

export function hasPurpose(field: Pick<ServiceField, 'purpose_zh' | 'purpose_en'>): boolean {
  return (field.purpose_zh ?? '').trim() !== '' && (field.purpose_en ?? '').trim() !== '';
}

/** Every requested field whose purpose is not stated in both languages. */
export function fieldsWithoutPurpose(service: Pick<CatalogueService, 'datasets'>): FieldFlag[] {
  return service.datasets.flatMap((d) => d.fields.filter((f) => !hasPurpose(f)).map((f) => ({ dataset: d.id, field: f.name })));
}

export interface DatasetSelection {
  id: string;
  consented: ServiceField[];
  declined: ServiceField[];
}

/**
 * What will be sent: every field of every dataset except the optional ones declined. A declined required field or
 * a field the service does not request is refused outright rather than quietly dropped.
 */
export function selectFields(service: Pick<CatalogueService, 'datasets'>, declined: readonly DeclinedField[]): DatasetSelection[] {
  for (const d of declined) {
    const dataset = service.datasets.find((x) => x.id === d.dataset);
    const field = dataset?.fields.find((f) => f.name === d.field);
    if (!field) throw consentFailure(C.UNKNOWN_FIELD);
    if (field.required) throw consentFailure(C.REQUIRED_FIELD_DECLINED, { detail: { zh: field.label_zh, en: field.label_en } });
  }
  return service.datasets.map((dataset) => {
    const isDeclined = (f: ServiceField) => declined.some((d) => d.dataset === dataset.id && d.field === f.name);
    return { id: dataset.id, consented: dataset.fields.filter((f) => !isDeclined(f)), declined: dataset.fields.filter(isDeclined) };
  });
}

/** The platform's POST /transactions `datasets` member for a selection; a refusal names the required fields only. */
export function platformDatasets(selection: readonly DatasetSelection[], decision: 'consent' | 'refuse'): { id: string; fields: string[] }[] {
  return selection.map((s) => ({
    id: s.id,
    fields: (decision === 'consent' ? s.consented : s.consented.filter((f) => f.required)).map((f) => f.name),
  }));
}

// ---------------------------------------------------------------- status gate (G7, G16)

/** The directory's gate for a service (status first, then the announced windows in force at `now`). */
export function consentGate(service: CatalogueService, notices: readonly Notice[], now: Date): ConsentGateView {
  return serviceView(service, notices, now).gate;
}

/** Throws the gate's refusal; answers the warnings (testing, pilot) to show. */
export function assertGateAllows(gate: ConsentGateView): readonly AppError[] {
  if (!gate.allowed) {
    throw new AppFailure(gate.refusal ?? { code: 'SERVICE_NOT_AVAILABLE', message_zh: '此服務目前無法同意。', message_en: 'This service cannot be consented to now.', retryable: true });
  }
  return gate.warnings;
}

// ---------------------------------------------------------------- identity (G2, G8)

/** The strictest level any of the service's datasets needs (lower is stronger, G8): the level a consent needs. */
export function requiredLevel(service: Pick<CatalogueService, 'datasets'>): number {
  return Math.min(...service.datasets.map((d) => d.level_required));
}

export function datasetNeeds(service: Pick<CatalogueService, 'datasets' | 'subject_type'>): DatasetNeed[] {
  return service.datasets.map((d) => ({ id: d.id, name_zh: d.name_zh, name_en: d.name_en, subjectType: service.subject_type, requiredLevel: d.level_required }));
}

/**
 * identity's fit, and one thing it does not check: the session's token must carry a scope for each dataset, or the
 * platform refuses the consent. A session without them needs a fresh verification for these datasets (as a step-up).
 */
export function consentFit(fit: SessionFit, session: Pick<IdentitySession, 'datasets'> | null, service: Pick<CatalogueService, 'datasets' | 'subject_type'>): SessionFit {
  if (fit.kind !== 'ok' || session === null) return fit;
  const missing = service.datasets.filter((d) => !session.datasets.includes(d.id));
  if (missing.length === 0) return fit;
  const level = requiredLevel(service);
  return {
    kind: 'step-up',
    requiredLevel: level,
    subjectType: service.subject_type,
    methods: qualifyingMethods(VERIFICATION_METHODS.map((m) => m.id), service.subject_type, level),
    reason: {
      zh: `目前的驗證未涵蓋${missing.map((d) => `「${d.name_zh}」`).join('、')}，請重新驗證以取得這些資料集的授權。`,
      en: `Your current verification does not cover ${missing.map((d) => `"${d.name_en}"`).join(', ')}. Verify again to authorise these datasets.`,
    },
  };
}

/** A refusal needs only a session of the right subject type: nothing is released, so no level or scope applies. */
export function refusalFit(fit: SessionFit): SessionFit {
  return fit.kind === 'step-up' ? { kind: 'ok' } : fit;
}

/** The AppFailure for a fit that is not ok. */
export function fitFailure(fit: SessionFit): AppFailure | null {
  switch (fit.kind) {
    case 'ok':
      return null;
    case 'no-session':
      return consentFailure(C.NOT_VERIFIED, { detail: fit.reason });
    case 'step-up':
      return consentFailure(C.STEP_UP_NEEDED, { detail: fit.reason });
    case 'wrong-subject-type':
    case 'mixed-subject-types':
      return consentFailure(C.WRONG_SUBJECT_TYPE, { detail: fit.reason });
  }
}

// ---------------------------------------------------------------- return address (G5)

function isLoopback(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost';
}

/**
 * Whether a return address may be opened: an absolute https URL (http only on loopback, the sandbox), without
 * credentials, whose origin is exactly the provider's registered origin. Anything else is shown, never opened.
 */
export function isReturnAllowed(returnUrl: string, registeredOrigin: string): boolean {
  let url: URL;
  let registered: URL;
  try {
    url = new URL(returnUrl);
    registered = new URL(registeredOrigin);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const transport = (u: URL) => u.protocol === 'https:' || (u.protocol === 'http:' && isLoopback(u.hostname));
  if (!transport(url) || !transport(registered)) return false;
  return url.origin === registered.origin;
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------- transaction status

/** The platform's transaction status codes (ARCHITECTURE §5) as states. */
export function stateOf(status: number): TransactionState | null {
  switch (status) {
    case 429:
      return 'preparing';
    case 200:
      return 'ready';
    case 201:
      return 'delivered';
    case 205:
      return 'refused';
    case 403:
      return 'partly-failed';
    case 504:
      return 'failed';
    case 410:
      return 'expired';
    default:
      return null;
  }
}

/** For a service-provider delivery the journey is over once delivered, failed, refused or expired; ready means the provider has not fetched yet. */
export function isFinalForProvider(state: TransactionState): boolean {
  return state === 'delivered' || state === 'failed' || state === 'refused' || state === 'expired';
}
