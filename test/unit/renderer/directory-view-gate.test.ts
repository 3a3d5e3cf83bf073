// The directory view's consent gate on the sandbox's own world: a service refused for its status still says
// since and until when, from the announced window in force (G7, G13, G16) — the renderer shows those dates.
import { describe, expect, it } from 'vitest';
import type { CatalogueService, Notice } from '../../../electron/contract/index.ts';
import { serviceView } from '../../../electron/core/platform/directory-view.ts';

const org = {
  id: 'moex',
  name_zh: '考試院考選部',
  name_en: 'Ministry of Examination',
  category: 'other-yuan',
  approving_authority_zh: '考試院',
  approving_authority_en: 'Examination Yuan',
  roles: ['data-provider'],
  status: 'active',
} as const;

function service(status: CatalogueService['status']): CatalogueService {
  return {
    id: 'sd-exam',
    kind: 'self-download',
    name_zh: '下載我的國家考試及格資料',
    name_en: 'Download my national examination certificates',
    status,
    subject_type: 'natural',
    purpose_zh: '下載',
    purpose_en: 'Download',
    retention_zh: null,
    retention_en: null,
    organization: { ...org, roles: ['data-provider'] },
    terms: { version: '1', text: 't', sha256: 'b'.repeat(64) },
    level_required: 3,
    datasets: [
      {
        id: 'exam-certificates',
        name_zh: '國家考試及格資料',
        name_en: 'National examination certificates',
        level_required: 3,
        provider: { ...org, roles: ['data-provider'] },
        fields: [{ name: 'exams', label_zh: '及格考試', label_en: 'Examinations passed', required: true, purpose_zh: '下載', purpose_en: 'Download' }],
      },
    ],
  };
}

const suspension: Notice = {
  id: 'n-exam-suspension',
  scope: 'service',
  service_id: 'sd-exam',
  kind: 'suspension',
  urgent: true,
  announced_at: '2026-11-20T09:00:00+08:00',
  effective_from: '2026-11-20T12:00:00+08:00',
  effective_until: '2027-01-31T23:59:59+08:00',
  text: { zh: '暫停' },
};

describe('serviceView gate dates', () => {
  it('a suspended service inside an announced window carries the window', () => {
    const v = serviceView(service('suspended'), [suspension], new Date('2026-11-27T12:00:00+08:00'));
    expect(v.gate.allowed).toBe(false);
    expect(v.gate.refusal?.code).toBe('SERVICE_SUSPENDED');
    expect(v.gate.since).toBe(new Date('2026-11-20T12:00:00+08:00').toISOString());
    expect(v.gate.until).toBe(new Date('2027-01-31T23:59:59+08:00').toISOString());
  });

  it('outside any window a status refusal has no dates, and a live service none either', () => {
    const before = serviceView(service('suspended'), [suspension], new Date('2026-11-01T12:00:00+08:00'));
    expect(before.gate).toMatchObject({ allowed: false, since: null, until: null });
    const live = serviceView(service('live'), [], new Date('2026-11-27T12:00:00+08:00'));
    expect(live.gate).toEqual({ allowed: true, warnings: [], refusal: null, since: null, until: null });
  });

  it('a live service inside the window is refused by the window itself, with its dates', () => {
    const v = serviceView(service('live'), [suspension], new Date('2026-11-27T12:00:00+08:00'));
    expect(v.gate.refusal?.code).toBe('SERVICE_SUSPENSION_WINDOW');
    expect(v.gate.since).toBe(new Date('2026-11-20T12:00:00+08:00').toISOString());
  });
});
