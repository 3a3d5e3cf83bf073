// The directory screens' view: every label in the person's language, the status and dates decided, banners chosen,
// and the view valid against its contract schema (G6, G7, G10, G13, G16).
import { describe, expect, it } from 'vitest';
import { DirectoryScreenViewSchema, type DirectoryView, type NoticeView, type ServiceView } from '../../../electron/contract/index.ts';
import { directoryScreenView } from '../../../electron/core/platform/directory-screen.ts';
import { noticeView, org } from './directory-fixtures.ts';

const now = new Date('2026-11-27T12:00:00+08:00');

const gone = org('gone', { status: 'terminated', terminated_at: '2026-11-01', termination_reason_zh: '業務移撥' });
const bank = org('bank', { category: 'financial-institution', roles: ['service-provider'] });

const service: ServiceView = {
  service: {
    id: 'loan',
    kind: 'service-provider',
    name_zh: '房貸申請',
    name_en: 'Mortgage application',
    status: 'live',
    subject_type: 'natural',
    purpose_zh: '評估房貸',
    purpose_en: 'To assess a mortgage',
    retention_zh: '一年',
    retention_en: 'One year',
    organization: bank,
    terms: { version: '2', text: 'terms', sha256: 'b'.repeat(64) },
    level_required: 2,
    datasets: [
      { id: 'ds1', name_zh: '戶籍', name_en: 'Household', level_required: 2, provider: gone, fields: [{ name: 'f', label_zh: '姓名', label_en: 'Name', required: true, purpose_zh: null, purpose_en: null }] },
      { id: 'ds2', name_zh: '所得', name_en: 'Income', level_required: 1, provider: gone, fields: [{ name: 'g', label_zh: '所得', label_en: 'Income', required: false, purpose_zh: '審核', purpose_en: 'Review' }] },
    ],
  },
  gate: { allowed: false, warnings: [], refusal: { code: 'NOTICE_TERMINATED', message_zh: '已終止', message_en: 'Terminated', retryable: false }, since: null, until: null },
  noticeIds: ['s', 'p'],
};

/** A suspension from 20 November with no end, in Chinese only unless `over` says otherwise. */
function notice(over: Partial<NoticeView['notice']> & { id: string }, inEffect: boolean): NoticeView {
  return noticeView({ kind: 'suspension', effective_from: '2026-11-20T00:00:00+08:00', effective_until: null, text: { zh: '暫停' }, ...over }, inEffect);
}

const directory: DirectoryView = {
  platform: { origin: 'https://example.test', name_zh: '平臺', name_en: 'Platform' },
  fetchedAt: '2026-11-27T03:00:00.000Z',
  offline: false,
  organizations: [bank, gone],
  services: [service],
  notices: [
    notice({ id: 's', scope: 'service', service_id: 'loan', text: { zh: '服務暫停', en: 'Service suspended' } } as never, true),
    notice({ id: 'p', kind: 'change', effective_from: '2026-11-01T00:00:00+08:00' }, true),
    notice({ id: 'o', scope: 'organisation', organisation_id: 'bank', effective_from: '2026-12-10T00:00:00+08:00' } as never, false),
  ],
};

describe('directory screens view', () => {
  it('says every label in the language asked for, and matches its contract schema', () => {
    for (const language of ['zh-TW', 'en'] as const) {
      const view = directoryScreenView(directory, language, now);
      expect(DirectoryScreenViewSchema.parse(view)).toEqual(view);
      const s = view.services[0]!;
      const zh = language === 'zh-TW';
      expect(s.name).toBe(zh ? '房貸申請' : 'Mortgage application');
      expect(s.retention).toBe(zh ? '一年' : 'One year');
      expect(s.organization.approvingAuthority).toBe(zh ? '數位發展部' : 'Ministry of Digital Affairs');
      expect(s.gate.refusal).toEqual({ code: 'NOTICE_TERMINATED', message: zh ? '已終止' : 'Terminated' });
      expect(s.datasetGroups).toHaveLength(1);
      expect(s.datasetGroups[0]!.datasets.map((d) => [d.name, d.unstated])).toEqual(zh ? [['戶籍', 1], ['所得', 0]] : [['Household', 1], ['Income', 0]]);
    }
  });

  it('decides the status shown (a terminated data provider ends the service) and since when it is blocked', () => {
    const s = directoryScreenView(directory, 'zh-TW', now).services[0]!;
    expect(s.status).toBe('terminated');
    expect(s.facets).toMatchObject({ status: 'terminated', providerIds: ['gone'], category: 'financial-institution' });
    expect(s.terminated.map((o) => o.id)).toEqual(['gone']);
    expect(s.gate.since).toBe('2026-11-20T00:00:00+08:00');
  });

  it('chooses the banners: current service and organisation notices where they apply, no change already made', () => {
    const view = directoryScreenView(directory, 'en', now);
    expect(view.services[0]!.bannerIds).toEqual(['s']);
    expect(view.platformBannerIds).toEqual([]);
    expect(view.organizations.find((o) => o.id === 'bank')).toMatchObject({ offers: ['loan'], supplies: [], bannerIds: ['o'] });
    expect(view.organizations.find((o) => o.id === 'gone')).toMatchObject({ offers: [], supplies: ['loan'] });
  });

  it('shows an announcement published in Chinese only in Chinese, saying so, and names a termination reason only in its own language', () => {
    const en = directoryScreenView(directory, 'en', now);
    expect(en.notices.find((n) => n.id === 'p')).toMatchObject({ text: '暫停', textLanguage: 'zh-TW', target: { kind: 'platform' } });
    expect(en.notices.find((n) => n.id === 's')).toMatchObject({ text: 'Service suspended', textLanguage: 'en', target: { kind: 'service', id: 'loan', name: 'Mortgage application', known: true } });
    expect(en.organizations.find((o) => o.id === 'gone')?.terminationReason).toBeNull();
    expect(directoryScreenView(directory, 'zh-TW', now).organizations.find((o) => o.id === 'gone')?.terminationReason).toBe('業務移撥');
  });
});
