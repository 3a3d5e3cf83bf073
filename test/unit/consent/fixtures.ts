// Consent test fixtures: catalogue services shaped as the platform serves them, and a verified session.
import { createHash } from 'node:crypto';
import type { CatalogueService, Organization } from '../../../electron/contract/platform.ts';
import type { IdentitySession } from '../../../electron/contract/identity.ts';

export function org(id: string, zh: string, en: string, extra: Partial<Organization> = {}): Organization {
  return {
    id, name_zh: zh, name_en: en, category: 'executive-yuan', approving_authority_zh: '國家發展委員會', approving_authority_en: 'National Development Council',
    roles: ['data-provider'], status: 'active', ...extra,
  };
}

export const TERMS_TEXT = '第一條 本服務依個人資料保護法蒐集您的資料。\n第二條 您可以隨時拒絕提供選擇性欄位。';
export const sha = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');

const household = org('moi-dhr', '內政部戶政司', 'Department of Household Registration, MOI');
const tax = org('mof-fia', '財政部財政資訊中心', 'Fiscal Information Agency, MOF');
export const bank = org('sunny-bank', '陽光商業銀行', 'Sunny Commercial Bank', { category: 'financial-institution', roles: ['service-provider'], approving_authority_zh: '金融監督管理委員會', approving_authority_en: 'Financial Supervisory Commission' });

export function loanService(extra: Partial<CatalogueService> = {}): CatalogueService {
  return {
    id: 'sp-bank-loan', kind: 'service-provider', name_zh: '房屋貸款申請', name_en: 'Mortgage application', status: 'live', subject_type: 'natural',
    purpose_zh: '審核房屋貸款申請', purpose_en: 'Assessing a mortgage application', retention_zh: '核貸後保存五年', retention_en: 'Kept five years after the decision',
    organization: bank, terms: { version: '2026.04', text: TERMS_TEXT, sha256: sha(TERMS_TEXT) }, level_required: 1,
    datasets: [
      {
        id: 'API.UDauDOLyZg', name_zh: '戶籍資料', name_en: 'Household registration', level_required: 2, provider: household,
        fields: [
          { name: 'name', label_zh: '姓名', label_en: 'Name', required: true, purpose_zh: '確認申請人身分', purpose_en: 'Confirm the applicant' },
          { name: 'household_members', label_zh: '戶內人口', label_en: 'Household members', required: false, purpose_zh: '評估家庭負擔', purpose_en: 'Assess household burden' },
        ],
      },
      {
        id: 'API.syWqjr4flJ', name_zh: '所得資料', name_en: 'Income tax', level_required: 1, provider: tax,
        fields: [
          { name: 'total_income', label_zh: '所得總額', label_en: 'Total income', required: true, purpose_zh: '評估還款能力', purpose_en: 'Assess repayment capacity' },
          { name: 'employer_name', label_zh: '雇主名稱', label_en: 'Employer', required: false, purpose_zh: null, purpose_en: null },
        ],
      },
    ],
    ...extra,
  };
}

export function selfService(extra: Partial<CatalogueService> = {}): CatalogueService {
  const base = loanService();
  return {
    ...base, id: 'sd-household', kind: 'self-download', name_zh: '戶籍資料下載', name_en: 'Household registration download',
    purpose_zh: '下載本人戶籍資料', purpose_en: 'Download my household registration', retention_zh: null, retention_en: null,
    organization: household, datasets: [base.datasets[0]!], level_required: 2, ...extra,
  };
}

export const SESSION: IdentitySession = {
  id: 'session-0001', subjectType: 'natural', displayName: '王小明', maskedId: 'H12604****', company: null,
  issuer: 'http://127.0.0.1:5555', provider: { zh: '臺灣網路認證', en: 'TWCA' }, method: 'moica', level: 0,
  authTime: '2026-11-27T01:00:00.000Z', expiresAt: '2099-01-01T00:00:00.000Z', datasets: ['API.UDauDOLyZg', 'API.syWqjr4flJ'],
};
