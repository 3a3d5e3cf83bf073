// The consent screen's pure rules: grouping by data provider, only optional fields declinable, the terms region's end
// (G11), what the Consent button waits for, who may refuse, and the one-sentence confirmation's values.
import { describe, expect, it } from 'vitest';
import type { ConsentContext } from '../../../electron/contract/consent.ts';
import {
  canRefuse, confirmationParams, consentWait, consentedFieldCount, declinedFields, fieldKey, groupByProvider, reachedEnd, requiredLevel, sha256Hex, taipeiTime,
} from '../../../renderer/src/features/consent/model.ts';
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
    expect(declinedFields(s, declined)).toEqual([{ dataset: 'API.UDauDOLyZg', field: 'household_members' }]);
    expect(consentedFieldCount(s, declined)).toBe(3);
    expect(consentedFieldCount(s, new Set())).toBe(4);
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
    expect(confirmationParams(context(), new Set([fieldKey('API.syWqjr4flJ', 'employer_name')]), 'zh-TW', '、', '您本人')).toEqual({
      datasets: '戶籍資料、所得資料', providers: '內政部戶政司、財政部財政資訊中心', recipient: '陽光商業銀行', count: 3,
    });
    expect(confirmationParams(context(selfService()), new Set(), 'en', ', ', 'you')).toMatchObject({ recipient: 'you', datasets: 'Household registration', count: 2 });
    expect(requiredLevel(loanService())).toBe(1);
  });

  it('hashes the terms as shown like main does, and prints Taipei time', async () => {
    expect(await sha256Hex(TERMS_TEXT)).toBe(sha(TERMS_TEXT));
    expect(taipeiTime('2026-11-27T04:05:00Z')).toBe('2026-11-27 12:05');
  });
});
