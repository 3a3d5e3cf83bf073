// Import of what people really have (G9, G12, G14): the official website's unsigned downloads and signed packages, each kept as received in the vault and recorded in the history with its verdict and the file's SHA-256.
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { BlobReader, Uint8ArrayReader, ZipReader } from '@zip.js/zip.js';
import { openAsBlob } from 'node:fs';
import { AppFailure } from '../../contract/errors.ts';
import type { HistoryEntryInput, HistorySubject, ImportSource, LocalizedName } from '../../contract/history.ts';
import { maskId } from '../../common/ids.ts';
import type { HistorySink } from '../package/download-history.ts';
import { EntryQueue, iterate, providersMeta, verifyIntoVault, type DatasetInfo } from '../package/into-vault.ts';
import type { TrustMaterial } from '../package/trust.ts';
import { packageFailure, PackageErrorCode } from '../package/errors.ts';
import type { PackageVerdict } from '../package/verify.ts';
import { detectLayout, nameHints, normaliseId, readWebsiteDownload, type DownloadNameHints, type WebsiteDownload } from '../package/website.ts';
import type { Clock } from '../ports.ts';
import type { PackageMeta, PackageSummary, Vault } from '../vault/index.ts';
import { MyDataErrorCode } from '../../contract/package.ts';
import { myDataFailure } from './errors.ts';

/** A file offered for import: a path main chose (picker, downloads folder) or bytes dropped on the window. */
export interface ImportCandidate {
  source: string | Uint8Array;
  fileName: string;
  size: number;
}

export interface ImportInspection {
  layout: 'signed-package' | 'website';
  /** Something in it is protected by the national ID (a ZipCrypto zip, an ID-encrypted PDF). */
  needsId: boolean;
  hints: DownloadNameHints;
}

export interface ImportContext {
  vault: Vault;
  history: HistorySink;
  clock: Clock;
  /** Dataset registry (ids, names, providers) the file's names are matched against. */
  datasets: readonly DatasetInfo[];
  /** The profile's anchors, intermediates and signer bindings (never another profile's). */
  trust: TrustMaterial;
  /** Whom signed content may name: the verified person, or the ID typed for this import. */
  expectSubjectIds: readonly string[];
  /** The person asked to keep an intact part that is not verified, labelled with why. */
  keepUnverified: boolean;
  /** The demo profile: every import is labelled demo, never mixed with real sources. */
  demo: boolean;
  /** The signed-in person, masked, when there is one and no ID was typed. */
  sessionSubject: HistorySubject | null;
  signal?: AbortSignal;
}

export interface ImportOutcome {
  stored: PackageSummary;
  verdict: 'verified' | 'unsigned' | 'not-verified';
  sha256: string;
  source: ImportSource;
  website: WebsiteDownload | null;
  package: PackageVerdict | null;
}

/** Which reader a file needs and whether to ask for the ID; an unknown format is refused here, before anything is kept. */
export async function inspectCandidate(candidate: ImportCandidate): Promise<ImportInspection> {
  const layout = await detectLayout(candidate.source, candidate.fileName);
  const hints = nameHints(candidate.fileName);
  if (layout === 'unknown') throw packageFailure(PackageErrorCode.UNKNOWN_FORMAT, candidate.fileName);
  if (layout === 'signed-package') return { layout, needsId: await hasEncryptedEntry(candidate.source), hints };
  try {
    const read = await readWebsiteDownload(candidate.source, { fileName: candidate.fileName });
    return { layout: 'website', needsId: read.unopened > 0, hints };
  } catch (error) {
    if (error instanceof AppFailure && error.code === PackageErrorCode.PASSWORD_REQUIRED) return { layout: 'website', needsId: true, hints };
    throw error;
  }
}

async function hasEncryptedEntry(source: string | Uint8Array): Promise<boolean> {
  const zip = new ZipReader(typeof source === 'string' ? new BlobReader(await openAsBlob(source)) : new Uint8ArrayReader(source), { useWebWorkers: false });
  try {
    return (await zip.getEntries()).some((e) => e.encrypted);
  } catch {
    // The verifier names the problem when the import runs.
    return false;
  } finally {
    await zip.close().catch(() => undefined);
  }
}

async function digestOf(source: string | Uint8Array): Promise<string> {
  const hash = createHash('sha256');
  if (typeof source !== 'string') return hash.update(source).digest('hex');
  const handle = await open(source, 'r');
  try {
    for await (const chunk of handle.createReadStream({ highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

const UNKNOWN_PROVIDER = { id: 'unknown', name: { zh: '未知的資料提供者', en: 'Unknown data provider' } };

/** A dataset from the registry by its name (a file or download named after it), else one named after the file. */
function datasetFor(name: string | null, fallback: string, registry: readonly DatasetInfo[]): DatasetInfo {
  const key = name?.normalize('NFC').trim() ?? '';
  if (key !== '') {
    const known = registry.find((d) => d.name.zh === key || d.id === key) ?? registry.find((d) => key.includes(d.name.zh) && d.name.zh.length >= 2);
    if (known !== undefined) return known;
  }
  const label = key === '' ? fallback : key;
  return { id: label, name: { zh: label, en: label }, provider: UNKNOWN_PROVIDER };
}

function sourceOf(hints: DownloadNameHints, layout: ImportInspection['layout'], demo: boolean, declared: ImportSource | undefined): ImportSource {
  if (demo) return 'demo';
  if (declared !== undefined) return declared;
  if (layout === 'signed-package') return 'service-provider-package';
  return hints.looksLike === 'counter' ? 'counter' : 'official-website';
}

function subjectFor(id: string | undefined, ctx: ImportContext): HistorySubject | null {
  // Only the masked form ever leaves this function (the history refuses anything else).
  if (id !== undefined && /^[A-Z][A-Z0-9][0-9]{8}$/.test(id)) return { masked_id: maskId(id), type: 'natural' };
  return ctx.sessionSubject;
}

function entry(ctx: ImportContext, stored: PackageSummary, dataset: DatasetInfo, facts: { source: ImportSource; verdict: ImportOutcome['verdict']; sha256: string; fileName: string; subject: HistorySubject | null; ok: boolean }): HistoryEntryInput {
  const name = (n: LocalizedName, id: string): LocalizedName => ({ zh: n.zh || id, en: n.en || id });
  return {
    time: ctx.clock.now().toISOString(),
    kind: 'import',
    dataset: { id: dataset.id, name: name(dataset.name, dataset.id) },
    provider: { id: dataset.provider.id, name: name(dataset.provider.name, dataset.provider.id) },
    service: null,
    recipient: { kind: 'self' },
    subject: facts.subject,
    method: 'file-import',
    assurance_level: null,
    result: facts.ok ? 'success' : 'partial',
    code: facts.verdict === 'unsigned' ? 'UNSIGNED' : facts.verdict === 'verified' ? '200' : 'NOT_VERIFIED',
    tx_id: `import-${stored.id}`,
    receipt_id: null,
    terms_sha256: null,
    import: { source: facts.source, verdict: facts.verdict, file_sha256: facts.sha256, file_name: facts.fileName.slice(0, 255) },
  };
}

/** Appends the records; if the history cannot take them, the package goes too (nothing half-imported). */
async function record(ctx: ImportContext, stored: PackageSummary, entries: HistoryEntryInput[]): Promise<void> {
  try {
    for (const e of entries) await ctx.history.append(e);
  } catch (error) {
    await ctx.vault.delete(stored.id).catch(() => undefined);
    throw error;
  }
}

/**
 * Imports a file: the website reader for flat zips and lone files (verdict unsigned), the package verifier for
 * signed packages. The ID opens ZipCrypto and encrypted PDFs for this call only; the vault gets every file as
 * received (an encrypted PDF stays encrypted); the history gets one record per dataset with the file's SHA-256.
 */
export async function importCandidate(candidate: ImportCandidate, inspection: ImportInspection, ctx: ImportContext, options: { id?: string | undefined; source?: ImportSource | undefined } = {}): Promise<ImportOutcome> {
  const id = normaliseId(options.id);
  const source = sourceOf(inspection.hints, inspection.layout, ctx.demo, options.source);
  const subject = subjectFor(id, ctx);
  const receivedAt = ctx.clock.now().toISOString();
  if (inspection.layout === 'signed-package') {
    const sha256 = await digestOf(candidate.source);
    // A provider part given alone is named by its file (`<resource_id>.zip`); its signer must still be bound to that dataset.
    const lone = candidate.fileName.replace(/\.zip$/i, '');
    const { verdict, stored } = await verifyIntoVault(candidate.source, {
      vault: ctx.vault,
      ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
      verify: {
        trustAnchors: ctx.trust.anchors,
        intermediates: ctx.trust.intermediates,
        signers: ctx.trust.signers,
        resourceId: lone,
        expect: { subjectIds: [...ctx.expectSubjectIds] },
        keepUnverified: ctx.keepUnverified,
        ...(id === undefined ? {} : { password: id }),
      },
      meta: (v) => ({
        service: { id: 'import', name: candidate.fileName },
        source: 'import',
        receivedAt,
        providers: providersMeta(v, ctx.datasets),
        origin: { source, fileName: candidate.fileName, sha256, size: candidate.size },
      }),
    });
    if (stored === null && verdict.keepable) throw myDataFailure(MyDataErrorCode.IMPORT_NOT_VERIFIED, { why: verdict.error });
    if (stored === null) throw myDataFailure(MyDataErrorCode.IMPORT_FAILED, { why: verdict.error });
    const result = verdict.ok ? 'verified' : 'not-verified';
    const datasets = verdict.providers.map((p) => datasetFor(p.resource_id, p.resource_name ?? candidate.fileName, ctx.datasets));
    await record(ctx, stored, datasets.map((d, i) => entry(ctx, stored, d, { source, verdict: result, sha256, fileName: candidate.fileName, subject, ok: verdict.providers[i]?.status === 'verified' })));
    return { stored, verdict: result, sha256, source, website: null, package: verdict };
  }

  const queue = new EntryQueue();
  let meta: PackageMeta | null = null;
  const stored = ctx.vault.store(
    {
      meta: () => {
        if (meta === null) throw new Error('meta asked before the download was read');
        return meta;
      },
      files: queue,
    },
    ctx.signal === undefined ? {} : { signal: ctx.signal },
  );
  stored.catch(() => undefined);
  let read: WebsiteDownload;
  try {
    read = await readWebsiteDownload(candidate.source, {
      id,
      fileName: candidate.fileName,
      signal: ctx.signal,
      sink: (file) => {
        const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
        queue.push({ name: file.name, stream: iterate(readable) });
        return writable;
      },
    });
  } catch (error) {
    queue.fail(error);
    await stored.catch(() => undefined);
    throw error;
  }
  // Each file is a dataset when it is named after one; otherwise the download's own name tells it.
  const byDataset = new Map<string, { dataset: DatasetInfo; files: string[] }>();
  for (const file of read.files) {
    const base = file.name.replace(/\.[^.]+$/, '');
    const matched = datasetFor(base, base, ctx.datasets);
    const dataset = matched.provider !== UNKNOWN_PROVIDER ? matched : datasetFor(inspection.hints.resourceName, candidate.fileName.replace(/\.[^.]+$/, ''), ctx.datasets);
    const group = byDataset.get(dataset.id) ?? { dataset, files: [] };
    group.files.push(file.name);
    byDataset.set(dataset.id, group);
  }
  meta = {
    service: { id: 'import', name: candidate.fileName },
    source: 'import',
    receivedAt,
    origin: { source, fileName: candidate.fileName, sha256: read.sha256, size: read.size },
    providers: [...byDataset.values()].map(({ dataset, files }) => ({
      resourceId: dataset.id,
      name: dataset.name.zh,
      verdict: 'unsigned' as const,
      detail: {
        status: 'unsigned',
        code: null,
        part: '',
        folder: '',
        signature: 'missing',
        certificate: 'missing',
        signer: null,
        issuer: null,
        dataset: dataset.provider === UNKNOWN_PROVIDER ? null : { zh: dataset.name.zh, en: dataset.name.en },
        provider: dataset.provider === UNKNOWN_PROVIDER ? null : { id: dataset.provider.id, zh: dataset.provider.name.zh, en: dataset.provider.name.en },
        files: read.files.filter((f) => files.includes(f.name)).map((f) => ({ name: f.name, type: f.type, encrypted: f.encrypted, openedWithId: f.openedWithId, encoding: f.encoding, pdfCipher: f.pdfCipher })),
        errors: [],
        verified_at: read.read_at,
      },
    })),
  };
  queue.finish();
  const summary = await stored;
  await record(ctx, summary, [...byDataset.values()].map(({ dataset }) => entry(ctx, summary, dataset, { source, verdict: 'unsigned', sha256: read.sha256, fileName: candidate.fileName, subject, ok: true })));
  return { stored: summary, verdict: 'unsigned', sha256: read.sha256, source, website: read, package: null };
}
