// A package in the vault as the My data screen shows it: the service's name in both languages, each provider's badge and reasons, and each file's kind.
import type { AppError } from '../../contract/errors.ts';
import type { LocalizedName } from '../../contract/history.ts';
import type { PackageProviderView, PackageView } from '../../contract/package.ts';
import type { CatalogueService } from '../../contract/platform.ts';
import type { PackageSummary } from '../vault/index.ts';

export function kindOf(name: string): PackageView['files'][number]['kind'] {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.pdf')) return 'pdf';
  if (lower.endsWith('.csv')) return 'csv';
  return 'other';
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function providerView(p: PackageSummary['meta']['providers'][number]): PackageProviderView {
  const d = (p.detail ?? {}) as Record<string, unknown>;
  const dataset = d.dataset as { zh?: unknown; en?: unknown } | null | undefined;
  const provider = d.provider as { zh?: unknown; en?: unknown } | null | undefined;
  const status = str(d.status);
  const badge = status === 'not-delivered' ? 'not-delivered' : p.verdict === 'issuer_unrecognised' ? 'issuer-not-recognised' : p.verdict === 'not_verified' ? 'no-known-signer' : p.verdict;
  const errors = Array.isArray(d.errors) ? (d.errors as AppError[]).filter((e) => typeof e.code === 'string') : [];
  return {
    resourceId: p.resourceId,
    dataset: { zh: str(dataset?.zh) ?? p.name, en: str(dataset?.en) ?? p.name },
    provider: provider && str(provider.zh) !== null ? { zh: str(provider.zh) ?? '', en: str(provider.en) ?? '' } : null,
    badge,
    code: str(d.code),
    signature: str(d.signature) ?? 'missing',
    certificate: str(d.certificate) ?? 'missing',
    signer: str(d.signer),
    issuer: str(d.issuer),
    errors,
  };
}

/** `known`: the directory as last loaded, whose bilingual names win over the single name the package kept. */
export function packageView(summary: PackageSummary, known: readonly CatalogueService[]): PackageView {
  const service = known.find((s) => s.id === summary.meta.service.id);
  const serviceName: LocalizedName = service ? { zh: service.name_zh, en: service.name_en } : { zh: summary.meta.service.name, en: summary.meta.service.name };
  const folders = new Map(summary.meta.providers.map((p) => [str((p.detail as Record<string, unknown> | undefined)?.folder) ?? p.resourceId, p.resourceId]));
  return {
    id: summary.id,
    source: summary.meta.source,
    service: { id: summary.meta.service.id, name: serviceName },
    txId: summary.meta.txId ?? null,
    storedAt: summary.storedAt,
    receivedAt: summary.meta.receivedAt ?? null,
    totalSize: summary.totalSize,
    providers: summary.meta.providers.map(providerView),
    origin: summary.meta.origin ?? null,
    files: summary.files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256, kind: kindOf(f.name), resourceId: folders.get(f.name.split('/')[0] ?? '') ?? null })),
  };
}
