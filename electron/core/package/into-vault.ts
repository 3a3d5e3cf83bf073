// Verify into the vault in one streaming pass (G9, G12), shared by the download and the import: the verifier's checked files become vault entries, and the vault keeps them only when the verdict is storable.
//
// The vault learns the per-provider verdicts only after the pass (store's `meta` is a function), and a pass that is
// not storable makes the file iterator throw, so the vault removes every blob it wrote.
import type { AppError } from '../../contract/errors.ts';
import type { LocalizedName } from '../../contract/history.ts';
import { memoryPacer } from '../memory-pacer.ts';
import type { PackageMeta, PackageSummary, Vault, VaultEntryInput } from '../vault/index.ts';
import type { PackageSource } from './readers.ts';
import { verifyPackage, type DataFileInfo, type PackageVerdict, type VerifyOptions } from './verify.ts';

export interface DatasetInfo {
  id: string;
  name: LocalizedName;
  provider: { id: string; name: LocalizedName };
}



/** A file name the vault accepts for a provider folder: resource ids are short ASCII on the real platform. */
function folderFor(resourceId: string): string {
  const clean = resourceId.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[.]+/, '_').replace(/[. ]+$/, '').slice(0, 100);
  return clean === '' ? 'part' : clean;
}

export function vaultNameFor(file: Pick<DataFileInfo, 'resource_id' | 'filename'>): string {
  return `${folderFor(file.resource_id)}/${file.filename}`;
}

/** Maps the verifier's verdict onto what the vault keeps per provider (its free `detail` keeps the verifier's own result). */
export function providersMeta(verdict: PackageVerdict, datasets: readonly DatasetInfo[]): PackageMeta['providers'] {
  return verdict.providers.map((p) => {
    const known = datasets.find((d) => d.id === p.resource_id);
    const errors: AppError[] = p.errors.map((e) => ({ ...e }));
    return {
      resourceId: p.resource_id === '' ? 'part' : p.resource_id,
      name: p.resource_name ?? known?.name.zh ?? p.resource_id,
      verdict: p.status === 'verified' ? 'verified' : p.status === 'issuer-not-recognised' ? 'issuer_unrecognised' : p.status === 'no-known-signer' ? 'not_verified' : 'failed',
      detail: {
        status: p.status,
        code: p.code,
        part: p.part,
        folder: folderFor(p.resource_id),
        signature: p.signature,
        certificate: p.certificate,
        signer: p.certificate_info?.subject ?? null,
        issuer: p.certificate_info?.issuer ?? null,
        fingerprint256: p.certificate_info?.fingerprint256 ?? null,
        // Names from the catalogue's binding or the signed content (the verifier's), else the service's catalogue; never the outer manifest.
        dataset: p.dataset ? { zh: p.dataset.zh, en: p.dataset.en } : known ? { zh: known.name.zh, en: known.name.en } : null,
        provider: known ? { id: known.provider.id, zh: known.provider.name.zh, en: known.provider.name.en } : p.provider ? { id: null, zh: p.provider.zh, en: p.provider.en } : null,
        errors,
        verified_at: verdict.verified_at,
      },
    };
  });
}

/** A one-slot queue of vault entries that ends, or fails, when the verifier says so. */
export class EntryQueue implements AsyncIterable<VaultEntryInput> {
  readonly #items: VaultEntryInput[] = [];
  #end: { error: unknown } | { done: true } | null = null;
  #wake: (() => void) | null = null;

  push(entry: VaultEntryInput): void {
    this.#items.push(entry);
    this.#wake?.();
  }
  finish(): void {
    this.#end ??= { done: true };
    this.#wake?.();
  }
  fail(error: unknown): void {
    this.#end ??= { error };
    this.#wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<VaultEntryInput> {
    for (;;) {
      const next = this.#items.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.#end !== null) {
        if ('error' in this.#end) throw this.#end.error;
        return;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = null;
    }
  }
}

export async function* iterate(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // The vault stopped early (a failure or cancel): tell the verifier's writer so it does not wait forever.
    await reader.cancel().catch(() => undefined);
  }
}

export interface StoreVerifiedOptions {
  vault: Vault;
  /** Builds the package's description once the verdict is known. */
  meta: (verdict: PackageVerdict) => PackageMeta;
  verify: VerifyOptions;
  signal?: AbortSignal;
  onStoreProgress?: (bytes: number) => void;
}

/**
 * Verifies `source` and encrypts its listed data files into the vault in the same pass. Resolves with the verdict
 * and the stored package when the verdict is storable; when it is not, nothing is kept and the verdict comes back
 * with `stored: null`. A hostile archive throws its PACKAGE_* failure; a vault failure throws its VAULT_* one.
 */
export async function verifyIntoVault(source: PackageSource, options: StoreVerifiedOptions): Promise<{ verdict: PackageVerdict; stored: PackageSummary | null }> {
  const queue = new EntryQueue();
  const pace = memoryPacer();
  const storeAbort = new AbortController();
  const onAbort = () => storeAbort.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let verdict: PackageVerdict | null = null;
  const vaultState: { failed: boolean; error: unknown } = { failed: false, error: null };
  const notStorable = new Error('not storable');

  const stored = options.vault
    .store(
      {
        meta: () => {
          if (verdict === null) throw new Error('meta asked before the verdict');
          return options.meta(verdict);
        },
        files: queue,
      },
      {
        signal: storeAbort.signal,
        onProgress: (p) => {
          pace(p.bytes);
          options.onStoreProgress?.(p.bytes);
        },
      },
    )
    .catch((error: unknown) => {
      vaultState.failed = true;
      vaultState.error = error;
      throw error;
    });
  // Observed below; this keeps an early store failure from being reported as unhandled meanwhile.
  stored.catch(() => undefined);

  const sink = (file: DataFileInfo): WritableStream<Uint8Array> => {
    if (vaultState.failed) return new WritableStream<Uint8Array>();
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    // The verifier closes a sink only when the bytes matched file.digest (FileSink): the vault need not hash them again.
    queue.push({ name: vaultNameFor(file), stream: iterate(readable), sha256: file.digest });
    return writable;
  };

  try {
    verdict = await verifyPackage(source, { ...options.verify, signal: options.signal, sink });
  } catch (error) {
    queue.fail(error);
    await stored.catch(() => undefined);
    // When the vault failed first (disk full, cancel), the verifier only saw its sink close: the vault's error is the cause.
    throw vaultState.failed && vaultState.error !== error ? vaultState.error : error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (!verdict.storable) {
    queue.fail(notStorable);
    await stored.catch(() => undefined);
    return { verdict, stored: null };
  }
  queue.finish();
  return { verdict, stored: await stored };
}
