// The directory screens' view model: built from the directory view (gates, notice timing) with every label in the
// person's language and every rule decided (status shown, banners, since when blocked, who offers and supplies what),
// so the screens render it and decide nothing.
import type {
  AppError,
  DirectoryScreenView,
  DirectoryView,
  Language,
  NoticeItemView,
  NoticeView,
  Organization,
  OrgLineView,
  SaidError,
  ServiceDataset,
  ServiceEntryView,
  ServiceView,
} from '../../contract/index.ts';
import { fieldIn } from '../../common/bilingual.ts';
import { blockedSince, dataProviderIds, dataProviders, isCurrentNotice, platformBanners, serviceBanners, serviceFacets, servicesOf, shownStatus } from './directory-rules.ts';

function said(language: Language, error: AppError): SaidError {
  return { code: error.code, message: fieldIn(language, error, 'message') };
}

function orgLine(language: Language, o: Organization): OrgLineView {
  // Only a terminated organisation has a reason, and it may be given in one language only.
  const reason = language === 'zh-TW' ? o.termination_reason_zh : o.termination_reason_en;
  return {
    id: o.id,
    name: fieldIn(language, o, 'name'),
    category: o.category,
    approvingAuthority: fieldIn(language, o, 'approving_authority'),
    roles: o.roles,
    status: o.status,
    terminatedAt: o.terminated_at ?? null,
    terminationReason: reason ?? null,
  };
}

function groupByProvider(datasets: readonly ServiceDataset[]): { provider: Organization; datasets: ServiceDataset[] }[] {
  const groups = new Map<string, { provider: Organization; datasets: ServiceDataset[] }>();
  for (const d of datasets) {
    const group = groups.get(d.provider.id) ?? { provider: d.provider, datasets: [] };
    group.datasets.push(d);
    groups.set(d.provider.id, group);
  }
  return [...groups.values()];
}

function uniqueOrgs(orgs: readonly Organization[]): Organization[] {
  return [...new Map(orgs.map((o) => [o.id, o])).values()];
}

function serviceEntry(language: Language, view: ServiceView, notices: readonly NoticeView[], now: Date): ServiceEntryView {
  const s = view.service;
  const line = (o: Organization) => orgLine(language, o);
  const providers = uniqueOrgs(s.datasets.map((d) => d.provider));
  const refusal = view.gate.refusal;
  return {
    id: s.id,
    name: fieldIn(language, s, 'name'),
    status: shownStatus(view),
    levelRequired: s.level_required,
    organization: line(s.organization),
    providers: providers.map(line),
    terminated: uniqueOrgs([s.organization, ...providers]).filter((o) => o.status === 'terminated').map(line),
    purpose: fieldIn(language, s, 'purpose'),
    retention: s.kind === 'service-provider' ? fieldIn(language, s, 'retention') : null,
    terms: { version: s.terms.version, sha256: s.terms.sha256 },
    facets: { ...serviceFacets(view), providerIds: dataProviderIds(view) },
    gate: {
      allowed: view.gate.allowed,
      warnings: view.gate.warnings.map((w) => said(language, w)),
      refusal: view.gate.allowed || !refusal ? null : said(language, refusal),
      since: view.gate.allowed ? null : blockedSince(view, notices),
      until: view.gate.allowed ? null : view.gate.until,
    },
    noticeIds: view.noticeIds,
    bannerIds: serviceBanners(view, notices, now).map((n) => n.notice.id),
    datasetGroups: groupByProvider(s.datasets).map((g) => ({
      provider: line(g.provider),
      datasets: g.datasets.map((d) => {
        const fields = d.fields.map((f) => ({ name: f.name, label: fieldIn(language, f, 'label'), required: f.required, purpose: fieldIn(language, f, 'purpose') }));
        return { id: d.id, name: fieldIn(language, d, 'name'), levelRequired: d.level_required, fields, unstated: fields.filter((f) => f.purpose === null).length };
      }),
    })),
  };
}

function noticeItem(language: Language, view: NoticeView, directory: DirectoryView, now: Date): NoticeItemView {
  const n = view.notice;
  let target: NoticeItemView['target'];
  if (n.scope === 'platform') target = { kind: 'platform' };
  else if (n.scope === 'organisation') {
    const org = directory.organizations.find((o) => o.id === n.organisation_id);
    target = { kind: 'organisation', name: org ? fieldIn(language, org, 'name') : n.organisation_id };
  } else {
    const service = directory.services.find((s) => s.service.id === n.service_id);
    target = { kind: 'service', id: n.service_id, name: service ? fieldIn(language, service.service, 'name') : n.service_id, known: service !== undefined };
  }
  // An announcement may be published in Chinese only; the screen then shows it in Chinese and says so.
  const english = language === 'en' ? n.text.en : undefined;
  return {
    id: n.id,
    kind: n.kind,
    scope: n.scope,
    target,
    text: english ?? n.text.zh,
    textLanguage: english === undefined ? 'zh-TW' : 'en',
    announcedAt: n.announced_at,
    effectiveFrom: n.effective_from,
    effectiveUntil: n.effective_until ?? null,
    timing: view.timing,
    workingDays: view.workingDays,
    requiredWorkingDays: view.requiredWorkingDays,
    latestOnTimeDate: view.latestOnTimeDate,
    exactness: view.exactness,
    inEffect: view.inEffect,
    current: isCurrentNotice(view, now),
  };
}

export function directoryScreenView(directory: DirectoryView, language: Language, now: Date): DirectoryScreenView {
  const { services, notices } = directory;
  return {
    language,
    fetchedAt: directory.fetchedAt,
    offline: directory.offline,
    dataProviders: dataProviders(services).map((o) => orgLine(language, o)),
    organizations: directory.organizations.map((o) => {
      const { offers, supplies } = servicesOf(o, services);
      const banners = notices.filter((n) => n.notice.scope === 'organisation' && n.notice.organisation_id === o.id && isCurrentNotice(n, now));
      return { ...orgLine(language, o), offers: offers.map((s) => s.service.id), supplies: supplies.map((s) => s.service.id), bannerIds: banners.map((n) => n.notice.id) };
    }),
    services: services.map((s) => serviceEntry(language, s, notices, now)),
    notices: notices.map((n) => noticeItem(language, n, directory, now)),
    platformBannerIds: platformBanners(notices, now).map((n) => n.notice.id),
  };
}
