// Builds what the renderer shows of the platform directory: each service's consent gate and each notice's timing.
import type { CatalogueService, DirectoryView, Notice, NoticeView, ServiceView } from '../../contract/index.ts';
import { classifyNotice, gateConsent, noticesAffecting, suspensionAt, type ServiceTarget } from '../notices/classify.ts';
import type { PlatformDirectory } from './catalogue.ts';

export function serviceTarget(service: CatalogueService): ServiceTarget {
  const ids = new Set([service.organization.id, ...service.datasets.map((d) => d.provider.id)]);
  return { serviceId: service.id, organisationIds: [...ids] };
}

/** A terminated provider terminates its services, whatever their own status says (G16). */
function effectiveStatus(service: CatalogueService): CatalogueService['status'] {
  if (service.organization.status === 'terminated') return 'terminated';
  if (service.datasets.some((d) => d.provider.status === 'terminated')) return 'terminated';
  return service.status;
}

export function serviceView(service: CatalogueService, notices: readonly Notice[], now: Date): ServiceView {
  const target = serviceTarget(service);
  const gate = gateConsent({ status: effectiveStatus(service), target, notices, now });
  // A refusal by status alone carries no dates; the announced window in force (if any) says since when (G13).
  const window = !gate.allowed && gate.since === null ? suspensionAt(notices, target, now) : null;
  const dates = window?.blocked ? { since: window.since, until: window.until } : gate.allowed ? null : { since: gate.since, until: gate.until };
  return {
    service,
    gate: gate.allowed
      ? { allowed: true, warnings: [...gate.warnings], refusal: null, since: null, until: null }
      : { allowed: false, warnings: [], refusal: gate.failure, since: dates?.since ?? null, until: dates?.until ?? null },
    noticeIds: noticesAffecting(notices, target).map((n) => n.id),
  };
}

export function noticeView(notice: Notice, now: Date): NoticeView {
  const c = classifyNotice(notice);
  const t = now.getTime();
  const from = Date.parse(notice.effective_from);
  const until = notice.effective_until ? Date.parse(notice.effective_until) : Number.POSITIVE_INFINITY;
  return {
    notice,
    timing: c.timing,
    workingDays: c.workingDays,
    requiredWorkingDays: c.requiredWorkingDays,
    latestOnTimeDate: c.latestOnTimeDate,
    exactness: c.exactness,
    inEffect: t >= from && (notice.kind === 'termination' || t < until),
  };
}

export function directoryView(directory: PlatformDirectory, now: Date): DirectoryView {
  const notices = [...directory.notices].sort((a, b) => Date.parse(b.announced_at) - Date.parse(a.announced_at));
  return {
    platform: { origin: directory.platform, name_zh: directory.metadata.name.zh, name_en: directory.metadata.name.en },
    fetchedAt: directory.fetchedAt,
    offline: directory.offline,
    organizations: directory.organizations,
    services: directory.services.map((s) => serviceView(s, directory.notices, now)),
    notices: notices.map((n) => noticeView(n, now)),
  };
}
