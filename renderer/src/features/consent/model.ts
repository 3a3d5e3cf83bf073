// Pure rules of the consent screen: datasets grouped by data provider, declined optional fields, whether the terms
// region has been shown to its end (G11), what the buttons wait for, and the one-sentence confirmation.
import type { CatalogueService, ConsentContext, DeclinedField, Language, ServiceDataset } from '../../../../electron/contract/index.ts';

export interface ProviderGroup {
  readonly provider: ServiceDataset['provider'];
  readonly datasets: readonly ServiceDataset[];
}

export function groupByProvider(datasets: readonly ServiceDataset[]): ProviderGroup[] {
  const groups: ProviderGroup[] = [];
  for (const d of datasets) {
    const group = groups.find((g) => g.provider.id === d.provider.id);
    if (group) (group.datasets as ServiceDataset[]).push(d);
    else groups.push({ provider: d.provider, datasets: [d] });
  }
  return groups;
}

export function fieldKey(dataset: string, field: string): string {
  return `${dataset}\u0000${field}`;
}

/** Only optional fields can be declined (G10); a key for a required or unknown field is ignored. */
export function declinedFields(service: Pick<CatalogueService, 'datasets'>, declined: ReadonlySet<string>): DeclinedField[] {
  return service.datasets.flatMap((d) => d.fields.filter((f) => !f.required && declined.has(fieldKey(d.id, f.name))).map((f) => ({ dataset: d.id, field: f.name })));
}

export function consentedFieldCount(service: Pick<CatalogueService, 'datasets'>, declined: ReadonlySet<string>): number {
  return service.datasets.reduce((n, d) => n + d.fields.filter((f) => f.required || !declined.has(fieldKey(d.id, f.name))).length, 0);
}

/** A region has been shown in full when its end is in view: scrolled there, or it never needed scrolling. */
export function reachedEnd(box: { scrollTop: number; clientHeight: number; scrollHeight: number }): boolean {
  return box.scrollTop + box.clientHeight >= box.scrollHeight - 2;
}

export type Wait = 'terms' | 'identity' | 'agree' | null;

/** What the Consent button still waits for, in the order a person meets them on the screen. */
export function consentWait(state: { termsShown: boolean; fitOk: boolean; agreed: boolean }): Wait {
  if (!state.termsShown) return 'terms';
  if (!state.fitOk) return 'identity';
  if (!state.agreed) return 'agree';
  return null;
}

/** A refusal needs a session of the right subject type (the platform authenticates it); no level, no scope. */
export function canRefuse(fit: ConsentContext['fit']): boolean {
  return fit.kind === 'ok' || fit.kind === 'step-up';
}

/** How a list of names is joined: the ideographic comma in Chinese, a comma in English. */
export function listSeparator(language: Language): string {
  return language === 'zh-TW' ? '、' : ', ';
}

export function names(items: readonly { name_zh: string; name_en: string }[], language: Language, sep: string): string {
  return [...new Set(items.map((i) => (language === 'zh-TW' ? i.name_zh : i.name_en)))].join(sep);
}

/** The values the one-sentence confirmation fills in: which datasets, from which providers, to whom, how many fields. */
export function confirmationParams(context: ConsentContext, declined: ReadonlySet<string>, language: Language, sep: string, you: string): Record<string, string | number> {
  const s = context.service;
  const recipient = s.kind === 'self-download' ? you : language === 'zh-TW' ? s.organization.name_zh : s.organization.name_en;
  return {
    datasets: names(s.datasets, language, sep),
    providers: names(s.datasets.map((d) => d.provider), language, sep),
    recipient,
    count: consentedFieldCount(s, declined),
  };
}

/** The strictest level any dataset needs (lower is stronger, G8). */
export function requiredLevel(service: Pick<CatalogueService, 'datasets'>): number {
  return Math.min(...service.datasets.map((d) => d.level_required));
}

/** `YYYY-MM-DD HH:mm` in Taipei time (the platform's zone), for gate dates and expiry. */
export { taipeiMinute as taipeiTime } from '../../../../electron/common/time.ts';
/** SHA-256 (hex) of the terms exactly as displayed, so main can check what was shown is what is current (G11). */
export { sha256Hex } from '../../../../electron/common/hash.ts';

