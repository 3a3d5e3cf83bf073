// The platform's public directory — metadata, organisations, services, notices — fetched at start and on demand,
// with the last good copy kept so announcements stay visible offline, marked as such (G6, G7, G13). The copy holds
// the trust anchors packages are verified against, so it is sealed (AES-256-GCM under a key derived from the vault's
// master key, bound to the platform): a copy that was edited, damaged or taken from another profile is discarded
// with a notice (PLATFORM_CACHE_DISCARDED), never used.
import { join } from 'node:path';
import { z } from 'zod';
import { AppFailure } from '../../contract/errors.ts';
import {
  CatalogueServiceSchema,
  NoticeSchema,
  OrganizationSchema,
  PlatformMetadataSchema,
  type CatalogueService,
  type Notice,
  type Organization,
  type PlatformMetadata,
} from '../../protocol/catalogue.ts';
import { PlatformHttp, plainTransport } from '../../protocol/client.ts';
import { PlatformError as ProtocolError } from '../../protocol/errors.ts';
import type { Clock } from '../ports.ts';
import { nodeVaultFs, removeQuietly, writeFileAtomic, type VaultFs } from '../vault/fsio.ts';
import { openSmall, sealSmall } from '../vault/keys.ts';

export const METADATA_PATH = '/.well-known/mydata-platform';
export const CACHE_FILE = 'platform-directory.sealed';
/** The unsealed copy older versions kept: never read, removed when a sealed one is written. */
const LEGACY_CACHE_FILE = 'platform-directory.json';
const CACHE_VERSION = 2;
const CACHE_MAGIC = Buffer.from('MDPDIR02', 'ascii');
/** The vault subkey purpose (vault.deriveKey) that seals the copy. */
export const CATALOGUE_KEY_PURPOSE = 'platform-directory';
const REQUEST_TIMEOUT_MS = 10_000;

export interface PlatformDirectory {
  platform: string;
  metadata: PlatformMetadata;
  organizations: Organization[];
  services: CatalogueService[];
  notices: Notice[];
  /** When this copy was fetched from the platform. */
  fetchedAt: string;
  /** True when the platform could not be reached and this is the last copy fetched. */
  offline: boolean;
}

const CacheSchema = z.object({
  version: z.literal(CACHE_VERSION),
  platform: z.string(),
  fetchedAt: z.string(),
  metadata: PlatformMetadataSchema,
  organizations: z.array(OrganizationSchema),
  services: z.array(CatalogueServiceSchema),
  notices: z.array(NoticeSchema),
});

/** The protocol's failures of a directory read, and this copy's own. */
export const PlatformError = {
  ...ProtocolError,
  cacheDiscarded: (cause?: unknown) =>
    new AppFailure(
      {
        code: 'PLATFORM_CACHE_DISCARDED',
        message_zh: '無法連線到 MyData 平臺；本機保存的平臺目錄副本（含信任憑證）已被更動或損壞，為安全起見已捨棄，不會使用。請確認網路連線後再試一次，以取得新的副本。',
        message_en: "The MyData platform cannot be reached, and the copy of its directory kept on this computer (with its trust anchors) was altered or damaged, so it was discarded for safety and not used. Check the connection and try again to fetch a fresh copy.",
        retryable: true,
      },
      { cause },
    ),
};

export interface CatalogueOptions {
  platform: string;
  /** Where the last good copy is kept (the profile folder). */
  cacheDir: string;
  clock: Clock;
  fetch?: typeof fetch;
  fs?: VaultFs;
  /**
   * The 32-byte key that seals the offline copy (the vault's subkey CATALOGUE_KEY_PURPOSE), or null while the vault
   * is locked or unavailable: then no copy is written or read. Absent: no offline copy at all.
   */
  sealKey?: () => Promise<Uint8Array | null>;
}

export class PlatformCatalogue {
  readonly #options: CatalogueOptions;
  readonly #fetch: typeof fetch;
  readonly #fs: VaultFs;
  #current: PlatformDirectory | null = null;
  // Screens ask at the same moment at start-up; one fetch (and one sealed write of the copy) serves them all.
  #pending: Promise<PlatformDirectory> | null = null;

  constructor(options: CatalogueOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
    this.#fs = options.fs ?? nodeVaultFs;
  }

  get current(): PlatformDirectory | null {
    return this.#current;
  }

  get #cachePath(): string {
    return join(this.#options.cacheDir, CACHE_FILE);
  }

  /** Fetches everything afresh; falls back to the last good copy (marked offline) when the platform is unreachable. */
  refresh(): Promise<PlatformDirectory> {
    this.#pending ??= this.#fetchAll().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #fetchAll(): Promise<PlatformDirectory> {
    const base = this.#options.platform.replace(/\/$/, '');
    const http = new PlatformHttp({ base, transport: plainTransport(this.#fetch, REQUEST_TIMEOUT_MS) });
    try {
      const [metadata, organizations, services, notices] = await Promise.all([
        http.getJson(METADATA_PATH, PlatformMetadataSchema, 'metadata'),
        http.getJson('organizations', z.array(OrganizationSchema), 'organizations'),
        http.getJson('services', z.array(CatalogueServiceSchema), 'services'),
        http.getJson('notices', z.array(NoticeSchema), 'notices'),
      ]);
      const directory: PlatformDirectory = {
        platform: base,
        metadata,
        organizations,
        services,
        notices,
        fetchedAt: this.#options.clock.now().toISOString(),
        offline: false,
      };
      await this.#save(directory);
      this.#current = directory;
      return directory;
    } catch (error) {
      // Only an unreachable platform falls back to the copy; an answer in the wrong shape is reported as such.
      if (!(error instanceof AppFailure && error.code === 'PLATFORM_UNREACHABLE')) throw error;
      const cached = await this.#load();
      if (!cached) throw error;
      this.#current = cached;
      return cached;
    }
  }

  /** The current copy, fetching it first if there is none yet. */
  async get(): Promise<PlatformDirectory> {
    return this.#current ?? this.refresh();
  }

  #aad(): Buffer {
    return Buffer.concat([CACHE_MAGIC, Buffer.from(this.#options.platform.replace(/\/$/, ''), 'utf8')]);
  }

  async #save(directory: PlatformDirectory): Promise<void> {
    const key = await this.#options.sealKey?.();
    if (!key) return;
    const { offline: _offline, ...rest } = directory;
    const body = Buffer.from(JSON.stringify({ version: CACHE_VERSION, ...rest }), 'utf8');
    await this.#fs.mkdir(this.#options.cacheDir);
    await writeFileAtomic(this.#fs, this.#cachePath, Buffer.concat([CACHE_MAGIC, sealSmall(key, body, this.#aad())]));
    const legacy = join(this.#options.cacheDir, LEGACY_CACHE_FILE);
    if (await this.#fs.exists(legacy)) await removeQuietly(this.#fs, legacy);
  }

  /** The sealed copy, or null when there is none or it cannot be checked now; a copy that fails its check is removed and reported. */
  async #load(): Promise<PlatformDirectory | null> {
    if (!(await this.#fs.exists(this.#cachePath))) return null;
    const key = await this.#options.sealKey?.();
    // Locked vault: the copy cannot be checked, so it is neither used nor judged.
    if (!key) return null;
    let parsed: z.infer<typeof CacheSchema>;
    try {
      const sealed = Buffer.from(await this.#fs.readFile(this.#cachePath));
      if (!sealed.subarray(0, CACHE_MAGIC.length).equals(CACHE_MAGIC)) throw new Error('not a sealed directory copy');
      const plain = openSmall(key, sealed.subarray(CACHE_MAGIC.length), this.#aad());
      const result = CacheSchema.safeParse(JSON.parse(plain.toString('utf8')));
      if (!result.success) throw result.error;
      // Bound by the seal already; checked again so a copy is never shown as another platform's.
      if (result.data.platform !== this.#options.platform.replace(/\/$/, '')) throw new Error('copy of another platform');
      parsed = result.data;
    } catch (error) {
      await removeQuietly(this.#fs, this.#cachePath);
      throw PlatformError.cacheDiscarded(error);
    }
    const { version: _version, ...rest } = parsed;
    return { ...rest, offline: true };
  }
}
