// The directory's rules: catalogue search (both languages, width- and case-folded) and filters over the facets core
// builds, the URL form of a filter, the status shown (G16), which announcements are banners (G13) and since when a
// service is blocked.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ServiceView } from '../../../electron/contract/index.ts';
import { filterServices, matchesFilter, matchesQuery, normalise } from '../../../electron/common/catalogue-filter.ts';
import { blockedSince, dataProviders, isCurrentNotice, platformBanners, serviceBanners, serviceFacets, servicesOf, shownStatus } from '../../../electron/core/platform/directory-rules.ts';
import { CATEGORIES, SERVICE_KINDS, SERVICE_STATUSES, SUBJECT_TYPES, filterFromParams, filterToParams, type CatalogueFilter } from '../../../renderer/src/features/directory/logic.ts';

import { noticeView, org, service } from './directory-fixtures.ts';

/** A service as the catalogue screen filters it: with the facets core gives it. */
const withFacets = (view: ServiceView) => ({ ...view, facets: serviceFacets(view) });

describe('search', () => {
  const bank = service('bank', {
    name_zh: '晴天銀行 線上房屋貸款申請',
    name_en: 'Sunny Day Bank online mortgage application',
    purpose_zh: '評估房貸申請',
    purpose_en: 'To assess a mortgage application',
    organization: org('sunny', { name_zh: '晴天商業銀行', name_en: 'Sunny Day Commercial Bank', category: 'financial-institution' }),
  }, [org('moi', { name_zh: '內政部戶政司', name_en: 'Department of Household Registration' })]);

  it('finds a service by its Chinese or English name, purpose, provider or data provider', () => {
    for (const q of ['晴天', '房屋貸款', 'mortgage', 'SUNNY day', '戶政司', 'household registration', '評估房貸']) expect(matchesQuery(serviceFacets(bank), q), q).toBe(true);
    expect(matchesQuery(serviceFacets(bank), '考選部')).toBe(false);
    expect(matchesQuery(serviceFacets(bank), 'examination')).toBe(false);
  });

  it('requires every term, in any order, and ignores extra spaces and letter width', () => {
    expect(matchesQuery(serviceFacets(bank), '  mortgage   sunny ')).toBe(true);
    expect(matchesQuery(serviceFacets(bank), 'mortgage examination')).toBe(false);
    expect(matchesQuery(serviceFacets(bank), 'ＳＵＮＮＹ')).toBe(true); // full-width Latin
  });

  it('an empty or blank query matches everything', () => {
    fc.assert(fc.property(fc.stringMatching(/^[ \t\n]*$/), (q) => matchesQuery(serviceFacets(bank), q)));
  });

  it('any substring of a name is found (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), fc.nat(), fc.nat(), (name, a, b) => {
        const s = service('x', { name_zh: name });
        const [from, to] = [Math.min(a, b) % (name.length + 1), Math.max(a, b) % (name.length + 1)];
        const part = name.slice(Math.min(from, to), Math.max(from, to));
        return matchesQuery(serviceFacets(s), part);
      }),
    );
  });

  it('normalise folds width and case and collapses spaces', () => {
    expect(normalise('  Ｍｙ　Data \n ')).toBe('my data');
  });
});

describe('filters', () => {
  const legal = service('legal', { subject_type: 'legal' });
  const pilot = service('pilot', { status: 'pilot', kind: 'service-provider' });
  const bank = service('bank', { organization: org('b', { category: 'financial-institution' }) }, [org('moex'), org('nhia')]);
  const all = [legal, pilot, bank].map(withFacets);

  it('narrows by subject type, kind, data provider, category and status', () => {
    expect(filterServices(all, { subjectType: 'legal' }).map((s) => s.service.id)).toEqual(['legal']);
    expect(filterServices(all, { kind: 'service-provider' }).map((s) => s.service.id)).toEqual(['pilot']);
    expect(filterServices(all, { provider: 'nhia' }).map((s) => s.service.id)).toEqual(['bank']);
    expect(filterServices(all, { category: 'financial-institution' }).map((s) => s.service.id)).toEqual(['bank']);
    expect(filterServices(all, { status: 'pilot' }).map((s) => s.service.id)).toEqual(['pilot']);
    expect(filterServices(all, {})).toEqual(all);
  });

  it('filters by the status shown: a terminated data provider makes the service terminated (G16)', () => {
    const cut = service('cut', { status: 'live' }, [org('gone', { status: 'terminated', terminated_at: '2026-12-28' })]);
    expect(shownStatus(cut)).toBe('terminated');
    expect(matchesFilter(serviceFacets(cut), { status: 'terminated' })).toBe(true);
    expect(matchesFilter(serviceFacets(cut), { status: 'live' })).toBe(false);
    const offeredByTerminated = service('off', { organization: org('q', { status: 'terminated' }) });
    expect(shownStatus(offeredByTerminated)).toBe('terminated');
  });

  const filterArb: fc.Arbitrary<CatalogueFilter> = fc.record(
    {
      query: fc.string({ maxLength: 8 }),
      kind: fc.constantFrom(...SERVICE_KINDS),
      subjectType: fc.constantFrom(...SUBJECT_TYPES),
      provider: fc.constantFrom('moex', 'nhia', 'other'),
      category: fc.constantFrom(...CATEGORIES),
      status: fc.constantFrom(...SERVICE_STATUSES),
    },
    { requiredKeys: [] },
  );

  it('adding a criterion never widens the result, and the result is the services matching every criterion (property)', () => {
    fc.assert(
      fc.property(filterArb, filterArb, (a, b) => {
        const both = { ...a, ...b };
        const narrow = filterServices(all, both);
        const wide = filterServices(all, b);
        return narrow.every((s) => wide.includes(s)) && narrow.every((s) => matchesFilter(s.facets, both));
      }),
    );
  });

  it('a filter survives the trip through the URL query (property)', () => {
    fc.assert(
      fc.property(filterArb, (f) => {
        const back = filterFromParams(filterToParams(f));
        const expected = { ...f };
        if (expected.query !== undefined && expected.query.trim() === '') delete expected.query;
        if (expected.provider === '') delete expected.provider;
        expect(back).toEqual(expected);
      }),
    );
  });

  it('ignores unknown values in the URL instead of filtering everything out', () => {
    expect(filterFromParams(new URLSearchParams('kind=evil&status=gone&subject=x&category=y'))).toEqual({});
    expect(filterFromParams(new URLSearchParams('kind=self-download'))).toEqual({ kind: 'self-download' });
  });

  it('lists each data provider once', () => {
    expect(dataProviders([bank, service('b2', {}, [org('moex')])]).map((o) => o.id)).toEqual(['moex', 'nhia']);
  });

  it('tells what an organisation offers and what uses its data', () => {
    const r = servicesOf(org('moex'), all);
    expect(r.offers).toEqual([]);
    expect(r.supplies.map((s) => s.service.id)).toEqual(['bank']);
    expect(servicesOf(org('b'), all).offers.map((s) => s.service.id)).toEqual(['bank']);
  });
});

describe('banners', () => {
  const now = new Date('2026-11-27T12:00:00+08:00');
  it('shows what is coming and blocking windows in force; not changes already made nor windows that ended', () => {
    const upcomingChange = noticeView({ id: 'a', kind: 'change', effective_from: '2026-12-11T00:00:00+08:00', effective_until: null });
    const madeChange = noticeView({ id: 'b', kind: 'change', effective_from: '2026-11-01T00:00:00+08:00', effective_until: null }, true);
    const pastMaintenance = noticeView({ id: 'c' });
    const suspension = noticeView({ id: 'd', kind: 'suspension', effective_from: '2026-11-20T12:00:00+08:00', effective_until: '2027-01-31T23:59:59+08:00' }, true);
    expect(isCurrentNotice(upcomingChange, now)).toBe(true);
    expect(isCurrentNotice(madeChange, now)).toBe(false);
    expect(isCurrentNotice(pastMaintenance, now)).toBe(false);
    expect(isCurrentNotice(suspension, now)).toBe(true);
  });

  it('puts platform notices everywhere and organisation/service ones only on the services they concern', () => {
    const platform = noticeView({ id: 'p', effective_from: '2026-12-14T00:00:00+08:00', effective_until: '2026-12-14T06:00:00+08:00' });
    const forService = noticeView({ id: 's', scope: 'service', service_id: 'x', effective_from: '2026-12-14T00:00:00+08:00' } as never);
    const notices = [platform, forService];
    const x = { ...service('x'), noticeIds: ['p', 's'] };
    const y = { ...service('y'), noticeIds: ['p'] };
    expect(platformBanners(notices, now).map((n) => n.notice.id)).toEqual(['p']);
    expect(serviceBanners(x, notices, now).map((n) => n.notice.id)).toEqual(['s']);
    expect(serviceBanners(y, notices, now)).toEqual([]);
  });

  it('says since when a blocked service is blocked: the gate first, else the in-force notice', () => {
    const suspension = noticeView({ id: 'd', kind: 'suspension', effective_from: '2026-11-20T12:00:00+08:00', effective_until: null }, true);
    const blocked: ServiceView = { ...service('z'), noticeIds: ['d'], gate: { allowed: false, warnings: [], refusal: null, since: null, until: null } };
    expect(blockedSince(blocked, [suspension])).toBe('2026-11-20T12:00:00+08:00');
    expect(blockedSince({ ...blocked, gate: { ...blocked.gate, since: '2026-11-21T00:00:00.000Z' } }, [suspension])).toBe('2026-11-21T00:00:00.000Z');
    expect(blockedSince(blocked, [{ ...suspension, inEffect: false }])).toBeNull();
  });
});
