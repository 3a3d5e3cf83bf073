// The consent screen's pure rules: grouping by data provider, only optional fields declinable, the terms region's end
// (G11), what the Consent button waits for, who may refuse, and the one-sentence confirmation's values; then the view
// core builds for the screen (labels in one language, levels, declinable fields and flags decided once).
import { describe, expect, it } from 'vitest';
import type { ConsentContext } from '../../../electron/contract/consent.ts';
import {
  confirmationParams, consentWait, consentedFieldCount, declinedFields, reachedEnd, sha256Hex, taipeiTime,
} from '../../../renderer/src/features/consent/model.ts';
import { canRefuse, consentView, fieldKey, groupByProvider } from '../../../electron/core/consent/view.ts';
import { requiredLevel } from '../../../electron/core/consent/rules.ts';
import { ConsentViewSchema } from '../../../electron/contract/consent-view.ts';
import { TERMS_TEXT, loanService, selfService, sha } from './fixtures.ts';

const context = (service = loanService()): ConsentContext => ({
  service, gate: { allowed: true, warnings: [], refusal: null, since: null, until: null }, flags: [], request: null, fit: { kind: 'ok' },
});

describe('consent screen model', () => {
  it('groups datasets by data provider, in order', () => {
    const s = loanService();
    const third = { ...s.datasets[0]!, id: 'household-extra' };
    expect(groupByProvider([...s.datasets, third]).map((g) => [g.provider.id, g.datasets.map((d) => d.id)])).toEqual([
      ['moi-dhr', ['API.UDauDOLyZg', 'household-extra']], ['mof-fia', ['API.syWqjr4flJ']],
    ]);
  });

  it('sends only optional fields as declined, and counts what is given', () => {
    const s = loanService();
    const declined = new Set([fieldKey('API.UDauDOLyZg', 'household_members'), fieldKey('API.UDauDOLyZg', 'name'), fieldKey('nope', 'x')]);
    const v = consentView(context(s), 'en');
    expect(declinedFields(v, declined)).toEqual([{ dataset: 'API.UDauDOLyZg', field: 'household_members' }]);
    expect(consentedFieldCount(v, declined)).toBe(3);
    expect(consentedFieldCount(v, new Set())).toBe(4);
  });

  it('the terms are shown once their end is in view (scrolled there, or never overflowing)', () => {
    expect(reachedEnd({ scrollTop: 0, clientHeight: 100, scrollHeight: 300 })).toBe(false);
    expect(reachedEnd({ scrollTop: 199, clientHeight: 100, scrollHeight: 300 })).toBe(true);
    expect(reachedEnd({ scrollTop: 0, clientHeight: 100, scrollHeight: 100 })).toBe(true);
  });

  it('Consent waits for the terms, then the verification, then the agree check; refusing needs a session of the right type', () => {
    expect(consentWait({ termsShown: false, fitOk: true, agreed: true })).toBe('terms');
    expect(consentWait({ termsShown: true, fitOk: false, agreed: true })).toBe('identity');
    expect(consentWait({ termsShown: true, fitOk: true, agreed: false })).toBe('agree');
    expect(consentWait({ termsShown: true, fitOk: true, agreed: true })).toBeNull();
    expect(canRefuse({ kind: 'ok' })).toBe(true);
    expect(canRefuse({ kind: 'step-up', requiredLevel: 1, subjectType: 'natural', methods: [], reason: { zh: 'x', en: 'x' } })).toBe(true);
    expect(canRefuse({ kind: 'no-session', requiredLevel: 1, subjectType: 'natural', reason: { zh: 'x', en: 'x' } })).toBe(false);
  });

  it('fills the confirmation with datasets, providers, recipient and field count', () => {
    expect(confirmationParams(consentView(context(), 'zh-TW'), new Set([fieldKey('API.syWqjr4flJ', 'employer_name')]), '您本人')).toEqual({
      datasets: '戶籍資料、所得資料', providers: '內政部戶政司、財政部財政資訊中心', recipient: '陽光商業銀行', count: 3,
    });
    expect(confirmationParams(consentView(context(selfService()), 'en'), new Set(), 'you')).toMatchObject({ recipient: 'you', datasets: 'Household registration', count: 2 });
    expect(requiredLevel(loanService())).toBe(1);
  });

  it('hashes the terms as shown like main does, and prints Taipei time', async () => {
    expect(await sha256Hex(TERMS_TEXT)).toBe(sha(TERMS_TEXT));
    expect(taipeiTime('2026-11-27T04:05:00Z')).toBe('2026-11-27 12:05');
  });
});

describe('consent view (core)', () => {
  const gated = (service = loanService()): ConsentContext => ({
    ...context(service),
    gate: {
      allowed: false,
      warnings: [{ code: 'SERVICE_PILOT', message_zh: '試辦中', message_en: 'Pilot', retryable: false }],
      refusal: { code: 'SERVICE_SUSPENDED', message_zh: '已暫停', message_en: 'Suspended', retryable: true },
      since: '2026-11-27T00:00:00Z', until: null,
    },
    flags: [{ dataset: 'API.UDauDOLyZg', field: 'household_members' }],
    fit: { kind: 'step-up', requiredLevel: 1, subjectType: 'natural', methods: [], reason: { zh: '需要重新驗證', en: 'Verify again' } },
  });

  it('labels everything in the one language asked for, the other language only for the refusal\'s second line', () => {
    const zh = consentView(gated(), 'zh-TW');
    const en = consentView(gated(), 'en');
    expect(ConsentViewSchema.parse(zh)).toEqual(zh);
    expect(zh.name).toBe('房屋貸款申請');
    expect(en.name).toBe('Mortgage application');
    expect(zh.recipient).toEqual({ kind: 'service-provider', name: '陽光商業銀行', category: '金融監督管理委員會', retention: '核貸後保存五年' });
    expect(en.purpose).toBe('Assessing a mortgage application');
    expect(zh.providers.map((p) => p.name)).toEqual(['內政部戶政司', '財政部財政資訊中心']);
    expect(en.providers[1]?.datasets[0]?.fields.map((f) => f.label)).toEqual(['Total income', 'Employer']);
    expect(zh.gate.warnings).toEqual([{ code: 'SERVICE_PILOT', message: '試辦中' }]);
    expect(zh.gate.refusal).toEqual({ code: 'SERVICE_SUSPENDED', message: '已暫停', otherMessage: 'Suspended' });
    expect(en.gate.refusal).toEqual({ code: 'SERVICE_SUSPENDED', message: 'Suspended', otherMessage: '已暫停' });
    expect(en.confirm).toEqual({ datasets: 'Household registration, Income tax', providers: 'Department of Household Registration, MOI, Fiscal Information Agency, MOF', recipient: 'Sunny Commercial Bank' });
  });

  it('decides the level, what may be declined, what is flagged and who may refuse once', () => {
    const v = consentView(gated(), 'en');
    expect(v.identity).toEqual({ requiredLevel: 1, subjectType: 'natural', datasets: ['API.UDauDOLyZg', 'API.syWqjr4flJ'], verified: false, mayRefuse: true, reason: { zh: '需要重新驗證', en: 'Verify again' } });
    const rows = v.providers.flatMap((p) => p.datasets.flatMap((d) => d.fields.map((f) => [d.id, f.name, f.declinable, f.purpose])));
    expect(rows).toEqual([
      ['API.UDauDOLyZg', 'name', false, 'Confirm the applicant'],
      // Flagged by core: shown as "no stated purpose" even though a purpose text exists.
      ['API.UDauDOLyZg', 'household_members', true, null],
      ['API.syWqjr4flJ', 'total_income', false, 'Assess repayment capacity'],
      // No purpose from the platform.
      ['API.syWqjr4flJ', 'employer_name', true, null],
    ]);
    expect(v.flaggedCount).toBe(1);
    expect(v.providers[0]?.datasets[0]?.levelRequired).toBe(2);
    expect(consentView({ ...gated(), fit: { kind: 'no-session', requiredLevel: 1, subjectType: 'natural', reason: { zh: 'x', en: 'x' } } }, 'en').identity.mayRefuse).toBe(false);
    expect(consentView(context(), 'en').identity).toMatchObject({ verified: true, mayRefuse: true, reason: null });
  });

  it('shows the person as the recipient of a self-download, and a request\'s purpose over the service\'s', () => {
    const self = consentView(context(selfService()), 'zh-TW');
    expect(self.recipient).toEqual({ kind: 'self' });
    expect(self.confirm.recipient).toBeNull();
    const request = consentView({
      ...context(),
      request: {
        requestUri: 'urn:mydata:abc', expiresAt: '2026-11-27T04:05:00Z', serviceProvider: { ...loanService().organization, origin: 'https://bank.example' },
        purpose: { zh: '本次申請', en: 'This application' }, returnUrl: 'https://bank.example/back', returnHost: 'bank.example', returnAllowed: true,
      },
    }, 'en');
    expect(request.purpose).toBe('This application');
    expect(request.request).toEqual({ requestUri: 'urn:mydata:abc', expiresAt: '2026-11-27T04:05:00Z', returnHost: 'bank.example', returnAllowed: true });
  });
});
