// Pure identity rules (ARCHITECTURE §7; G2, G8): checksums, masking, levels, qualification, session fit — with properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VERIFICATION_METHODS, type DatasetNeed, type SubjectType } from '../../../electron/contract/identity.ts';
import {
  isValidBusinessId, isValidPersonalId, maskId, personalIdCheckDigit,
} from '../../../electron/common/ids.ts';
import {
  levelMeets, methodChoices, methodQualifies, qualifyingMethods, requiredLevelFor, sessionFit, stepUpReason,
} from '../../../electron/core/identity/levels.ts';

const letter = fc.constantFrom(...Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i)));
const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const validPersonalId = fc.tuple(letter, fc.constantFrom('1', '2', '8', '9'), digits(7)).map(([l, g, d]) => {
  const prefix = `${l}${g}${d}`;
  return `${prefix}${personalIdCheckDigit(prefix)}`;
});
const levels = fc.constantFrom(...VERIFICATION_METHODS.map((m) => m.level));
const subjectTypes = fc.constantFrom<SubjectType>('natural', 'legal');
const ids = VERIFICATION_METHODS.map((m) => m.id);

describe('national ID / 統一證號 checksum', () => {
  it('accepts known-good IDs and the sandbox personas', () => {
    for (const id of ['A123456789', 'H126047583', 'F224680133', 'K135792468', 'A903185721', 'E228019371']) expect(isValidPersonalId(id), id).toBe(true);
  });
  it('refuses bad shapes', () => {
    for (const id of ['A123456788', 'a123456789', 'A323456789', 'A12345678', 'A1234567890', '1123456789', 'A12345678X', '']) expect(isValidPersonalId(id), id).toBe(false);
  });
  it('property: the completed ID is valid, and changing a digit whose weight is coprime to 10 breaks it', () => {
    // Positions 2, 6, 8, 9 weigh 7, 3, 1, 1: any change there moves the sum off a multiple of 10.
    fc.assert(fc.property(validPersonalId, fc.constantFrom(2, 6, 8, 9), fc.integer({ min: 1, max: 9 }), (id, pos, delta) => {
      expect(isValidPersonalId(id)).toBe(true);
      const changed = `${id.slice(0, pos)}${(Number(id[pos]) + delta) % 10}${id.slice(pos + 1)}`;
      expect(isValidPersonalId(changed)).toBe(false);
    }));
  });
  it('property: exactly one check digit completes each prefix', () => {
    fc.assert(fc.property(letter, fc.constantFrom('1', '2', '8', '9'), digits(7), (l, g, d) => {
      const valid = Array.from({ length: 10 }, (_, i) => String(i)).filter((c) => isValidPersonalId(`${l}${g}${d}${c}`));
      expect(valid).toHaveLength(1);
    }));
  });
});

describe('統一編號 checksum (weights 1,2,1,2,1,2,4,1; divisor 5; 7th digit 7 rule)', () => {
  it('accepts known-good numbers and refuses neighbours', () => {
    for (const ban of ['04595257', '53028473', '84610234', '10458575']) expect(isValidBusinessId(ban), ban).toBe(true);
    for (const ban of ['04595258', '5302847', '530284733', 'ABCDEFGH', '']) expect(isValidBusinessId(ban), ban).toBe(false);
  });
  it('accepts a number valid only through the 7th-digit-7 rule', () => {
    // 1,0,0,0,0,0,7,x: products 1,0,0,0,0,0,28,x → digit sums 1+10+x; sum+1 divisible by 5 needs x=3 (sum 14, +1 = 15).
    expect(isValidBusinessId('10000073')).toBe(true);
    // Same shortfall of one (digit sums 9) but the 7th digit is not 7: no exception.
    expect(isValidBusinessId('10000062')).toBe(false);
  });
  it('property: matches an independent reference of the rule', () => {
    const reference = (ban: string): boolean => {
      const w = [1, 2, 1, 2, 1, 2, 4, 1];
      const s = Array.from(ban, (c, i) => Number(c) * w[i]!).reduce((a, p) => a + Math.floor(p / 10) + (p % 10), 0);
      return s % 5 === 0 || (ban[6] === '7' && (s + 1) % 5 === 0);
    };
    fc.assert(fc.property(digits(8), (ban) => { expect(isValidBusinessId(ban)).toBe(reference(ban)); }));
  });
  it('property: about one in five numbers is valid (the divisor is 5, not 10)', () => {
    let valid = 0;
    for (let n = 0; n < 20000; n++) if (isValidBusinessId(String(n * 4999 % 100000000).padStart(8, '0'))) valid++;
    expect(valid / 20000).toBeGreaterThan(0.18);
    expect(valid / 20000).toBeLessThan(0.25);
  });
});

describe('masking', () => {
  it('hides the last four: A12345****', () => {
    expect(maskId('A123456789')).toBe('A12345****');
    expect(maskId('1234')).toBe('****');
  });
  it('property: keeps the length, hides exactly the last four, never reveals them', () => {
    fc.assert(fc.property(validPersonalId, (id) => {
      const m = maskId(id);
      expect(m).toHaveLength(id.length);
      expect(m.slice(0, -4)).toBe(id.slice(0, -4));
      expect(m.endsWith('****')).toBe(true);
      expect(m).toMatch(/^[A-Z][0-9]{5}\*{4}$/);
    }));
  });
});

describe('levels and qualification (G8: lower is stronger)', () => {
  it('property: levelMeets is a total order consistent with <=', () => {
    fc.assert(fc.property(levels, levels, levels, (a, b, c) => {
      expect(levelMeets(a, b)).toBe(a <= b);
      expect(levelMeets(a, a)).toBe(true);
      if (levelMeets(a, b) && levelMeets(b, c)) expect(levelMeets(a, c)).toBe(true);
    }));
  });
  it('property: a qualifying method meets the level and fits the subject type; relaxing the level never disqualifies', () => {
    fc.assert(fc.property(fc.constantFrom(...ids), subjectTypes, levels, levels, (id, st, l1, l2) => {
      const method = VERIFICATION_METHODS.find((m) => m.id === id)!;
      expect(methodQualifies(id, st, l1)).toBe(method.level <= l1 && method.subjectType === st);
      if (methodQualifies(id, st, Math.min(l1, l2))) expect(methodQualifies(id, st, Math.max(l1, l2))).toBe(true);
    }));
  });
  it('company representatives: 工商憑證 only (G2)', () => {
    for (const level of [0, 0.5, 4]) expect(qualifyingMethods(ids, 'legal', level)).toEqual(level >= 0.5 ? ['moeaca'] : []);
    expect(qualifyingMethods(ids, 'natural', 4)).not.toContain('moeaca');
  });
  it('qualifying methods are the offered ones, strongest first', () => {
    expect(qualifyingMethods(['otp', 'moica', 'sw-bank-cert', 'hw-bank-cert'], 'natural', 2.1)).toEqual(['moica', 'hw-bank-cert', 'sw-bank-cert']);
    expect(qualifyingMethods(['otp'], 'natural', 3)).toEqual([]);
  });
  it('choices mark every disqualified method with a bilingual reason', () => {
    const choices = methodChoices(ids, 'natural', 1);
    expect(choices.map((c) => c.method.id)).not.toContain('moeaca');
    for (const c of choices) {
      expect(c.qualifies).toBe(c.method.level <= 1);
      if (!c.qualifies) expect(c.reason?.zh).toContain('等級');
      if (!c.qualifies) expect(c.reason?.en).toContain('lower is stronger');
    }
  });
  it('property: the level a set needs is the strongest of its members', () => {
    fc.assert(fc.property(fc.array(levels, { minLength: 1, maxLength: 6 }), (ls) => {
      expect(requiredLevelFor(ls.map((requiredLevel) => ({ requiredLevel })))).toBe(Math.min(...ls));
    }));
  });
});

describe('session fit (G2, G8)', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const later = '2026-01-01T00:10:00Z';
  const ds = (id: string, subjectType: SubjectType, requiredLevel: number): DatasetNeed => ({ id, name_zh: `資料${id}`, name_en: `Data ${id}`, subjectType, requiredLevel });

  it('no session, expired session', () => {
    expect(sessionFit(null, [ds('a', 'natural', 2)], now).kind).toBe('no-session');
    expect(sessionFit({ subjectType: 'natural', level: 0, method: 'moica', expiresAt: '2025-12-31T23:59:59Z' }, [ds('a', 'natural', 2)], now).kind).toBe('no-session');
  });
  it('company datasets need a legal session; personal datasets refuse one', () => {
    const legal = { subjectType: 'legal' as const, level: 0.5, method: 'moeaca' as const, expiresAt: later };
    const natural = { subjectType: 'natural' as const, level: 0, method: 'moica' as const, expiresAt: later };
    expect(sessionFit(legal, [ds('c', 'legal', 0.5)], now).kind).toBe('ok');
    expect(sessionFit(legal, [ds('p', 'natural', 4)], now).kind).toBe('wrong-subject-type');
    expect(sessionFit(natural, [ds('c', 'legal', 0.5)], now).kind).toBe('wrong-subject-type');
    expect(sessionFit(natural, [ds('c', 'legal', 0.5), ds('p', 'natural', 4)], now).kind).toBe('mixed-subject-types');
  });
  it('property: ok exactly when the session level meets every dataset; otherwise a step-up limited to qualifying methods', () => {
    fc.assert(fc.property(fc.constantFrom(...VERIFICATION_METHODS.filter((m) => m.subjectType === 'natural')), fc.array(levels, { minLength: 1, maxLength: 4 }), (method, ls) => {
      const sets = ls.map((l, i) => ds(`d${i}`, 'natural', l));
      const fit = sessionFit({ subjectType: 'natural', level: method.level, method: method.id, expiresAt: later }, sets, now);
      if (method.level <= Math.min(...ls)) expect(fit.kind).toBe('ok');
      else {
        if (fit.kind !== 'step-up') throw new Error(fit.kind);
        expect(fit.requiredLevel).toBe(Math.min(...ls));
        for (const id of fit.methods) expect(methodQualifies(id, 'natural', fit.requiredLevel)).toBe(true);
        expect(fit.methods).not.toContain(method.id);
      }
    }));
  });
  it('the step-up reason names the datasets that need more, the level, and the current method, in both languages', () => {
    const reason = stepUpReason([ds('a', 'natural', 4), { ...ds('b', 'natural', 1), name_zh: '所得資料', name_en: 'Income tax' }], { level: 2, method: 'nhi-card' });
    expect(reason.zh).toBe('「所得資料」需要等級 1以上的身分驗證；您目前以健保卡驗證，為等級 2。請以更強的方式重新驗證。');
    expect(reason.en).toContain('"Income tax" needs verification at level 1 or stronger; you verified with National Health Insurance card, level 2.');
    expect(reason.en).not.toContain('Data a');
  });
});
