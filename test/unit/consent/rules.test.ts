// Consent rules: terms gate (G11), minimisation flags and declines (G10), status gate (G7, G16), scopes, return address (G5).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../electron/contract/errors.ts';
import type { Notice } from '../../../electron/contract/platform.ts';
import type { SessionFit } from '../../../electron/contract/identity.ts';
import {
  assertGateAllows, assertTermsShown, consentFit, consentGate, datasetNeeds, fieldsWithoutPurpose, fitFailure, isReturnAllowed,
  platformDatasets, refusalFit, selectFields, stateOf, isFinalForProvider,
} from '../../../electron/core/consent/rules.ts';
import { SESSION, TERMS_TEXT, loanService, sha } from './fixtures.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (error) {
    expect(error).toBeInstanceOf(AppFailure);
    return (error as AppFailure).code;
  }
}

/** The same for a check that answers through a promise (the terms digest is computed with WebCrypto). */
async function asyncCodeOf(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
    return 'OK';
  } catch (error) {
    expect(error).toBeInstanceOf(AppFailure);
    return (error as AppFailure).code;
  }
}

const NOW = new Date('2026-11-27T04:00:00Z');

describe('terms gate (G11)', () => {
  const service = loanService();
  it('accepts only the digest of the current terms as shown', async () => {
    expect(await asyncCodeOf(() => assertTermsShown(service, sha(TERMS_TEXT)))).toBe('OK');
    expect(await asyncCodeOf(() => assertTermsShown(service, null))).toBe('CONSENT_TERMS_NOT_SHOWN');
    expect(await asyncCodeOf(() => assertTermsShown(service, 'not-a-digest'))).toBe('CONSENT_TERMS_NOT_SHOWN');
    expect(await asyncCodeOf(() => assertTermsShown(service, sha(`${TERMS_TEXT} `)))).toBe('CONSENT_TERMS_CHANGED');
  });
  it('refuses a catalogue whose digest does not match its text (a new text under an old label)', async () => {
    const tampered = loanService({ terms: { ...service.terms, text: `${TERMS_TEXT}\n第三條 新增條款。` } });
    expect(await asyncCodeOf(() => assertTermsShown(tampered, service.terms.sha256))).toBe('CONSENT_TERMS_CHANGED');
  });
  it('no digest but the current one passes (property)', async () => {
    await fc.assert(fc.asyncProperty(fc.string(), async (text) => {
      fc.pre(text !== TERMS_TEXT);
      return await asyncCodeOf(() => assertTermsShown(service, sha(text))) === 'CONSENT_TERMS_CHANGED';
    }));
  });
});

describe('minimisation (G10)', () => {
  it('flags fields without a stated purpose, in either language', () => {
    expect(fieldsWithoutPurpose(loanService())).toEqual([{ dataset: 'API.syWqjr4flJ', field: 'employer_name' }]);
    const half = loanService();
    half.datasets[0]!.fields[1]!.purpose_en = '  ';
    expect(fieldsWithoutPurpose(half)).toContainEqual({ dataset: 'API.UDauDOLyZg', field: 'household_members' });
  });

  it('declined optional fields are left out of what is sent, and listed as declined', () => {
    const selection = selectFields(loanService(), [{ dataset: 'API.UDauDOLyZg', field: 'household_members' }]);
    expect(platformDatasets(selection, 'consent')).toEqual([
      { id: 'API.UDauDOLyZg', fields: ['name'] },
      { id: 'API.syWqjr4flJ', fields: ['total_income', 'employer_name'] },
    ]);
    expect(selection[0]!.declined.map((f) => f.name)).toEqual(['household_members']);
  });

  it('a required field cannot be declined, and an unknown field is refused, never silently dropped', () => {
    expect(codeOf(() => selectFields(loanService(), [{ dataset: 'API.UDauDOLyZg', field: 'name' }]))).toBe('CONSENT_REQUIRED_FIELD_DECLINED');
    expect(codeOf(() => selectFields(loanService(), [{ dataset: 'API.UDauDOLyZg', field: 'bank_balance' }]))).toBe('CONSENT_UNKNOWN_FIELD');
    expect(codeOf(() => selectFields(loanService(), [{ dataset: 'API.60GGfgGX1A', field: 'name' }]))).toBe('CONSENT_UNKNOWN_FIELD');
  });

  it('whatever optional fields are declined, none of them is sent and every required one is (property)', () => {
    const service = loanService();
    const optional = service.datasets.flatMap((d) => d.fields.filter((f) => !f.required).map((f) => ({ dataset: d.id, field: f.name })));
    fc.assert(fc.property(fc.subarray(optional), (declined) => {
      const sent = platformDatasets(selectFields(service, declined), 'consent');
      for (const d of declined) expect(sent.find((s) => s.id === d.dataset)!.fields).not.toContain(d.field);
      for (const d of service.datasets) for (const f of d.fields.filter((x) => x.required)) expect(sent.find((s) => s.id === d.id)!.fields).toContain(f.name);
    }));
  });

  it('a refusal names only the required fields', () => {
    expect(platformDatasets(selectFields(loanService(), []), 'refuse')).toEqual([
      { id: 'API.UDauDOLyZg', fields: ['name'] },
      { id: 'API.syWqjr4flJ', fields: ['total_income'] },
    ]);
  });
});

describe('status gate (G7, G16)', () => {
  it('testing and pilot warn; suspended and terminated refuse', () => {
    expect(consentGate(loanService(), [], NOW)).toMatchObject({ allowed: true, warnings: [] });
    expect(consentGate(loanService({ status: 'pilot' }), [], NOW).warnings.map((w) => w.code)).toEqual(['SERVICE_STATUS_PILOT']);
    expect(consentGate(loanService({ status: 'testing' }), [], NOW).warnings.map((w) => w.code)).toEqual(['SERVICE_STATUS_TESTING']);
    expect(codeOf(() => assertGateAllows(consentGate(loanService({ status: 'suspended' }), [], NOW)))).toBe('SERVICE_SUSPENDED');
    expect(codeOf(() => assertGateAllows(consentGate(loanService({ status: 'terminated' }), [], NOW)))).toBe('SERVICE_TERMINATED');
  });

  it('a terminated service provider terminates its service whatever the service says (G16)', () => {
    const s = loanService();
    const gate = consentGate({ ...s, organization: { ...s.organization, status: 'terminated' } }, [], NOW);
    expect(gate.allowed).toBe(false);
    expect(gate.refusal?.code).toBe('SERVICE_TERMINATED');
  });

  it('an announced suspension window refuses inside it, with its dates, and not outside it', () => {
    const notice: Notice = {
      id: 'n1', scope: 'service', service_id: 'sp-bank-loan', kind: 'suspension', urgent: false,
      announced_at: '2026-11-01T00:00:00+08:00', effective_from: '2026-11-20T00:00:00+08:00', effective_until: '2026-12-31T00:00:00+08:00',
      text: { zh: '暫停', en: 'Suspended' },
    };
    const inside = consentGate(loanService(), [notice], NOW);
    expect(inside).toMatchObject({ allowed: false, since: '2026-11-19T16:00:00.000Z', until: '2026-12-30T16:00:00.000Z' });
    expect(inside.refusal?.code).toBe('SERVICE_SUSPENSION_WINDOW');
    expect(consentGate(loanService(), [notice], new Date('2027-01-02T00:00:00Z')).allowed).toBe(true);
  });
});

describe('identity for consent (G2, G8)', () => {
  const service = loanService();
  it('asks for each dataset at its own level and subject type', () => {
    expect(datasetNeeds(service).map((d) => [d.id, d.requiredLevel, d.subjectType])).toEqual([['API.UDauDOLyZg', 2, 'natural'], ['API.syWqjr4flJ', 1, 'natural']]);
  });
  it('a session without a dataset scope needs a fresh verification for it', () => {
    const fit = consentFit({ kind: 'ok' }, { datasets: ['API.UDauDOLyZg'] }, service);
    expect(fit.kind).toBe('step-up');
    expect(fit.kind === 'step-up' && fit.requiredLevel).toBe(1);
    expect(fit.kind === 'step-up' && fit.reason.en).toContain('Income tax');
    expect(consentFit({ kind: 'ok' }, SESSION, service)).toEqual({ kind: 'ok' });
  });
  it('a refusal needs no step-up, but still the right subject type; each non-fit has its own code', () => {
    const stepUp: SessionFit = { kind: 'step-up', requiredLevel: 1, subjectType: 'natural', methods: ['moica'], reason: { zh: '升級', en: 'step up' } };
    expect(refusalFit(stepUp)).toEqual({ kind: 'ok' });
    expect(fitFailure(stepUp)?.code).toBe('CONSENT_STEP_UP_NEEDED');
    expect(fitFailure({ kind: 'no-session', requiredLevel: 1, subjectType: 'natural', reason: { zh: '請驗證', en: 'verify' } })?.code).toBe('CONSENT_NOT_VERIFIED');
    const wrong: SessionFit = { kind: 'wrong-subject-type', subjectType: 'legal', reason: { zh: '企業', en: 'company' } };
    expect(refusalFit(wrong)).toBe(wrong);
    expect(fitFailure(wrong)?.code).toBe('CONSENT_WRONG_SUBJECT_TYPE');
    expect(fitFailure({ kind: 'ok' })).toBeNull();
  });
});

describe('return address (G5)', () => {
  const origin = 'https://bank.example';
  it.each([
    ['https://bank.example/return?x=1', true],
    ['https://bank.example:443/return', true],
    ['https://evil.example/return', false],
    ['https://bank.example.evil.example/return', false],
    ['http://bank.example/return', false],
    ['https://user:pw@bank.example/return', false],
    ['javascript:alert(1)', false],
    ['mydata-desktop://request', false],
    ['/return', false],
    ['https://bank.example:8443/return', false],
  ])('%s → %s', (url, allowed) => {
    expect(isReturnAllowed(url, origin)).toBe(allowed);
  });
  it('http only on loopback (the sandbox)', () => {
    expect(isReturnAllowed('http://127.0.0.1:4100/return', 'http://127.0.0.1:4100')).toBe(true);
    expect(isReturnAllowed('http://127.0.0.1:4101/return', 'http://127.0.0.1:4100')).toBe(false);
  });
  it('never allows another origin (property)', () => {
    fc.assert(fc.property(fc.webUrl(), (url) => {
      fc.pre(new URL(url).origin !== origin);
      return !isReturnAllowed(url, origin);
    }));
  });
});

describe('transaction status', () => {
  it('reads the platform codes as states; only delivered, failed, refused, expired end a provider delivery', () => {
    expect([429, 200, 201, 205, 403, 504, 410, 500].map(stateOf)).toEqual(['preparing', 'ready', 'delivered', 'refused', 'partly-failed', 'failed', 'expired', null]);
    expect((['preparing', 'ready', 'partly-failed'] as const).some(isFinalForProvider)).toBe(false);
    expect((['delivered', 'failed', 'refused', 'expired'] as const).every(isFinalForProvider)).toBe(true);
  });
});
