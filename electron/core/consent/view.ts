// The consent screen's view model: the context decided once (levels, what may be declined, what is flagged, who may
// refuse) and every label in the person's language, so the screen renders it and decides nothing (G5, G7, G8, G10).
import type { ConsentContext, ConsentFieldView, ConsentView, Language, ServiceDataset } from '../../contract/index.ts';
import { requiredLevel } from './rules.ts';
import { fieldIn, listIn } from '../../common/bilingual.ts';

type Named = { readonly name_zh: string; readonly name_en: string };

const pickField = fieldIn;

function localName(language: Language, o: Named): string {
  return pickField(language, o, 'name');
}

/** Distinct names in `language`, in order, joined as the language writes a list. */
export function names(items: readonly Named[], language: Language): string {
  return listIn(language, [...new Set(items.map((i) => localName(language, i)))]);
}

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

/** The key a decline is kept under: dataset and field, which cannot contain NUL. */
export function fieldKey(dataset: string, field: string): string {
  return `${dataset}\u0000${field}`;
}

/** A refusal needs a session of the right subject type (the platform authenticates it); no level, no scope. */
export function canRefuse(fit: ConsentContext['fit']): boolean {
  return fit.kind === 'ok' || fit.kind === 'step-up';
}

export function consentView(context: ConsentContext, language: Language): ConsentView {
  const s = context.service;
  const { gate, request } = context;
  const other: Language = language === 'zh-TW' ? 'en' : 'zh-TW';
  const at = <K extends string, V>(o: { readonly [P in `${K}_zh` | `${K}_en`]: V }, key: K): V => pickField(language, o, key);
  const field = (d: ServiceDataset, f: ServiceDataset['fields'][number]): ConsentFieldView => {
    const purpose = at<'purpose', string | null>(f, 'purpose');
    const flagged = context.flags.some((x) => x.dataset === d.id && x.field === f.name);
    return {
      name: f.name,
      key: fieldKey(d.id, f.name),
      label: at(f, 'label'),
      declinable: !f.required,
      purpose: flagged || !purpose ? null : purpose,
    };
  };
  return {
    language,
    serviceId: s.id,
    kind: s.kind,
    name: localName(language, s),
    request: request ? { requestUri: request.requestUri, expiresAt: request.expiresAt, returnHost: request.returnHost, returnAllowed: request.returnAllowed } : null,
    gate: {
      allowed: gate.allowed,
      warnings: gate.warnings.map((w) => ({ code: w.code, message: pickField(language, w, 'message') })),
      refusal: gate.refusal ? { code: gate.refusal.code, message: pickField(language, gate.refusal, 'message'), otherMessage: pickField(other, gate.refusal, 'message') } : null,
      since: gate.since,
      until: gate.until,
    },
    recipient: s.kind === 'self-download'
      ? { kind: 'self' }
      : {
          kind: 'service-provider',
          name: localName(language, s.organization),
          category: at(s.organization, 'approving_authority'),
          retention: at(s, 'retention'),
        },
    purpose: request ? (language === 'zh-TW' ? request.purpose.zh : request.purpose.en) : at(s, 'purpose'),
    terms: { version: s.terms.version, sha256: s.terms.sha256, text: s.terms.text },
    flaggedCount: context.flags.length,
    providers: groupByProvider(s.datasets).map((g) => ({
      id: g.provider.id,
      name: localName(language, g.provider),
      datasets: g.datasets.map((d) => ({ id: d.id, name: localName(language, d), levelRequired: d.level_required, fields: d.fields.map((f) => field(d, f)) })),
    })),
    identity: {
      requiredLevel: requiredLevel(s),
      subjectType: s.subject_type,
      datasets: s.datasets.map((d) => d.id),
      verified: context.fit.kind === 'ok',
      mayRefuse: canRefuse(context.fit),
      reason: context.fit.kind === 'ok' ? null : context.fit.reason,
    },
    confirm: {
      datasets: names(s.datasets, language),
      providers: names(s.datasets.map((d) => d.provider), language),
      recipient: s.kind === 'self-download' ? null : localName(language, s.organization),
    },
  };
}
