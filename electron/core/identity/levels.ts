// Pure rules for assurance levels (G8), method qualification, company representatives (G2) and step-up reasons.
import {
  VERIFICATION_METHODS, type AssuranceLevel, type Bilingual, type DatasetNeed, type IdentitySession, type MethodChoice,
  type MethodId, type SessionFit, type SubjectType, type VerificationMethod,
} from '../../contract/identity.ts';

export function methodById(id: string): VerificationMethod | undefined {
  return VERIFICATION_METHODS.find((m) => m.id === id);
}

/** Lower is stronger: does `level` meet `required`? */
export function levelMeets(level: AssuranceLevel, required: AssuranceLevel): boolean {
  return level <= required;
}

/** The stronger (lower) of two levels. */
export function strongerLevel(a: AssuranceLevel, b: AssuranceLevel): AssuranceLevel {
  return Math.min(a, b);
}

/** The level a set of datasets needs together: the strongest any of them asks for. */
export function requiredLevelFor(datasets: readonly Pick<DatasetNeed, 'requiredLevel'>[]): AssuranceLevel {
  return datasets.reduce((acc, d) => strongerLevel(acc, d.requiredLevel), 4);
}

function levelText(level: number): Bilingual {
  return { zh: `等級 ${level}`, en: `level ${level}` };
}

/** Why a method does not qualify for a need, or null when it does. Company representatives use 工商憑證 only (G2). */
export function methodDisqualification(method: VerificationMethod, subjectType: SubjectType, required: AssuranceLevel): Bilingual | null {
  if (method.subjectType !== subjectType) {
    return subjectType === 'legal'
      ? { zh: '企業代表人僅能以工商憑證驗證。', en: 'Company representatives verify with the business certificate only.' }
      : { zh: '工商憑證僅供企業代表人使用。', en: 'The business certificate is for company representatives only.' };
  }
  if (!levelMeets(method.level, required)) {
    return {
      zh: `此方式為${levelText(method.level).zh}，低於所需的${levelText(required).zh}（數字越小越強）。`,
      en: `This method is ${levelText(method.level).en}, weaker than the ${levelText(required).en} needed (lower is stronger).`,
    };
  }
  return null;
}

export function methodQualifies(methodId: string, subjectType: SubjectType, required: AssuranceLevel): boolean {
  const method = methodById(methodId);
  return method !== undefined && methodDisqualification(method, subjectType, required) === null;
}

/** Among the methods a provider offers, those that qualify, strongest first: what `acr_values` carries. */
export function qualifyingMethods(offered: readonly string[], subjectType: SubjectType, required: AssuranceLevel): MethodId[] {
  return VERIFICATION_METHODS
    .filter((m) => offered.includes(m.id) && methodQualifies(m.id, subjectType, required))
    .sort((a, b) => a.level - b.level)
    .map((m) => m.id);
}

/** Every method a provider offers for this subject type, each marked qualifying or not with the reason (for the renderer). */
export function methodChoices(offered: readonly string[], subjectType: SubjectType, required: AssuranceLevel): MethodChoice[] {
  return VERIFICATION_METHODS
    .filter((m) => offered.includes(m.id) && m.subjectType === subjectType)
    .map((m) => {
      const reason = methodDisqualification(m, subjectType, required);
      return { method: m, qualifies: reason === null, reason };
    });
}

function datasetNames(datasets: readonly DatasetNeed[]): Bilingual {
  return { zh: datasets.map((d) => `「${d.name_zh}」`).join('、'), en: datasets.map((d) => `"${d.name_en}"`).join(', ') };
}

/** The step-up reason shown before a new verification: which datasets need what, and what the session has. */
export function stepUpReason(datasets: readonly DatasetNeed[], current: Pick<IdentitySession, 'level' | 'method'>): Bilingual {
  const needing = datasets.filter((d) => !levelMeets(current.level, d.requiredLevel));
  const required = requiredLevelFor(needing);
  const names = datasetNames(needing);
  const method = methodById(current.method);
  return {
    zh: `${names.zh}需要${levelText(required).zh}以上的身分驗證；您目前以${method?.name_zh ?? current.method}驗證，為${levelText(current.level).zh}。請以更強的方式重新驗證。`,
    en: `${names.en} ${needing.length === 1 ? 'needs' : 'need'} verification at ${levelText(required).en} or stronger; you verified with ${method?.name_en ?? current.method}, ${levelText(current.level).en}. Verify again with a stronger method.`,
  };
}

/**
 * Whether a session may be used for these datasets (G2, G8). Company datasets need a company representative's
 * session; personal datasets refuse one. A session that is too weak asks for a step-up limited to the qualifying methods.
 */
export function sessionFit(session: Pick<IdentitySession, 'subjectType' | 'level' | 'method' | 'expiresAt'> | null, datasets: readonly DatasetNeed[], now: Date): SessionFit {
  const types = new Set(datasets.map((d) => d.subjectType));
  if (types.size > 1) {
    return { kind: 'mixed-subject-types', reason: { zh: '個人資料與企業資料不能在同一次同意中取得，請分開申請。', en: 'Personal and company datasets cannot be requested in one consent. Request them separately.' } };
  }
  const subjectType: SubjectType = datasets[0]?.subjectType ?? 'natural';
  const requiredLevel = requiredLevelFor(datasets);
  if (session === null || Date.parse(session.expiresAt) <= now.getTime()) {
    return {
      kind: 'no-session', requiredLevel, subjectType,
      reason: session === null
        ? { zh: '請先驗證身分。', en: 'Verify your identity first.' }
        : { zh: '身分驗證已逾時，請重新驗證。', en: 'Your verification has expired. Verify again.' },
    };
  }
  if (session.subjectType !== subjectType) {
    const names = datasetNames(datasets);
    return {
      kind: 'wrong-subject-type', subjectType,
      reason: subjectType === 'legal'
        ? { zh: `${names.zh}為企業資料，須由企業代表人以工商憑證驗證後取得。`, en: `${names.en}: company data, for a company representative verified with the business certificate.` }
        : { zh: `${names.zh}為個人資料，不能以企業代表人身分取得，請以個人身分驗證。`, en: `${names.en}: personal data, which a company representative session cannot obtain. Verify as an individual.` },
    };
  }
  if (!levelMeets(session.level, requiredLevel)) {
    return {
      kind: 'step-up', requiredLevel, subjectType,
      methods: qualifyingMethods(VERIFICATION_METHODS.map((m) => m.id), subjectType, requiredLevel),
      reason: stepUpReason(datasets, session),
    };
  }
  return { kind: 'ok' };
}
