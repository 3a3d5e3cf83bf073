// Platform directory data for the directory's tests: organisations, services and classified announcements with plain defaults.
import type { NoticeView, Organization, ServiceView } from '../../../electron/contract/index.ts';

export function org(id: string, over: Partial<Organization> = {}): Organization {
  return {
    id,
    name_zh: `機關${id}`,
    name_en: `Agency ${id}`,
    category: 'executive-yuan',
    approving_authority_zh: '數位發展部',
    approving_authority_en: 'Ministry of Digital Affairs',
    roles: ['data-provider'],
    status: 'active',
    ...over,
  };
}

export function service(id: string, over: Partial<ServiceView['service']> = {}, providers: Organization[] = [org(`${id}-dp`)]): ServiceView {
  return {
    service: {
      id,
      kind: 'self-download',
      name_zh: `服務${id}`,
      name_en: `Service ${id}`,
      status: 'live',
      subject_type: 'natural',
      purpose_zh: '下載自己的資料',
      purpose_en: 'Download your own data',
      retention_zh: null,
      retention_en: null,
      organization: org(`${id}-org`),
      terms: { version: '1', text: 'terms', sha256: 'a'.repeat(64) },
      level_required: 2,
      datasets: providers.map((p, i) => ({
        id: `${id}-ds${i}`,
        name_zh: `資料集${i}`,
        name_en: `Dataset ${i}`,
        level_required: 2,
        provider: p,
        fields: [{ name: 'f', label_zh: '欄位', label_en: 'Field', required: true, purpose_zh: null, purpose_en: null }],
      })),
      ...over,
    },
    gate: { allowed: true, warnings: [], refusal: null, since: null, until: null },
    noticeIds: [],
  };
}

export function noticeView(over: Partial<NoticeView['notice']> & { id: string }, inEffect = false): NoticeView {
  return {
    notice: {
      scope: 'platform',
      kind: 'maintenance',
      announced_at: '2026-11-02T10:00:00+08:00',
      effective_from: '2026-11-14T00:00:00+08:00',
      effective_until: '2026-11-14T06:00:00+08:00',
      urgent: false,
      text: { zh: '維護' },
      ...over,
    } as NoticeView['notice'],
    timing: 'on-time',
    workingDays: 9,
    requiredWorkingDays: 7,
    latestOnTimeDate: '2026-11-05',
    exactness: 'exact',
    inEffect,
  };
}
