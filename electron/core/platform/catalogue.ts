// The platform's public directory — metadata, organisations, services, notices — fetched at start and on demand,
// with the last good copy kept so announcements stay visible offline, marked as such (G6, G7, G13).
import { join } from 'node:path';
import { z } from 'zod';
import {
  AppFailure,
  CatalogueServiceSchema,
  NoticeSchema,
  OrganizationSchema,
  PlatformMetadataSchema,
  type CatalogueService,
  type Notice,
  type Organization,
  type PlatformMetadata,
} from '../../contract/index.ts';
import type { Clock } from '../ports.ts';
import { nodeVaultFs, writeFileAtomic, type VaultFs } from '../vault/fsio.ts';

export const METADATA_PATH = '/.well-known/mydata-platform';
const CACHE_FILE = 'platform-directory.json';
const CACHE_VERSION = 1;
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

export const PlatformError = {
  unreachable: (cause?: unknown) =>
    new AppFailure(
      {
        code: 'PLATFORM_UNREACHABLE',
        message_zh: '無法連線到 MyData 平臺，且本機沒有先前取得的資料。請確認網路連線後再試一次。',
        message_en: 'The MyData platform cannot be reached and there is no earlier copy on this computer. Check the connection and try again.',
        retryable: true,
      },
      { cause },
    ),
  invalidResponse: (what: string, cause?: unknown) =>
    new AppFailure(
      {
        code: 'PLATFORM_INVALID_RESPONSE',
        message_zh: `平臺回傳的${what}格式不正確，已不予採用。請稍後再試；若持續發生請回報問題。`,
        message_en: `The platform's answer (${what}) was not in the expected format and was not used. Try again later; report a problem if it keeps happening.`,
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
}

class NetworkProblem extends Error {}

async function getJson<T>(fetchImpl: typeof fetch, url: string, schema: z.ZodType<T>, what: string): Promise<T> {
  let response: Response;
  try {
    response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), redirect: 'error' });
  } catch (error) {
    throw new NetworkProblem(String(error), { cause: error });
  }
  if (response.status >= 500) throw new NetworkProblem(`HTTP ${response.status}`);
  if (!response.ok) throw PlatformError.invalidResponse(what);
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    throw PlatformError.invalidResponse(what, error);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw PlatformError.invalidResponse(what, parsed.error);
  return parsed.data;
}

export class PlatformCatalogue {
  readonly #options: CatalogueOptions;
  readonly #fetch: typeof fetch;
  readonly #fs: VaultFs;
  #current: PlatformDirectory | null = null;

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
  async refresh(): Promise<PlatformDirectory> {
    const base = this.#options.platform.replace(/\/$/, '');
    try {
      const [metadata, organizations, services, notices] = await Promise.all([
        getJson(this.#fetch, `${base}${METADATA_PATH}`, PlatformMetadataSchema, 'metadata'),
        getJson(this.#fetch, `${base}/organizations`, z.array(OrganizationSchema), 'organizations'),
        getJson(this.#fetch, `${base}/services`, z.array(CatalogueServiceSchema), 'services'),
        getJson(this.#fetch, `${base}/notices`, z.array(NoticeSchema), 'notices'),
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
      if (!(error instanceof NetworkProblem)) throw error;
      const cached = await this.#load();
      if (!cached) throw PlatformError.unreachable(error);
      this.#current = cached;
      return cached;
    }
  }

  /** The current copy, fetching it first if there is none yet. */
  async get(): Promise<PlatformDirectory> {
    return this.#current ?? this.refresh();
  }

  async #save(directory: PlatformDirectory): Promise<void> {
    const { offline: _offline, ...rest } = directory;
    const body = JSON.stringify({ version: CACHE_VERSION, ...rest });
    await this.#fs.mkdir(this.#options.cacheDir);
    await writeFileAtomic(this.#fs, this.#cachePath, new TextEncoder().encode(body));
  }

  async #load(): Promise<PlatformDirectory | null> {
    if (!(await this.#fs.exists(this.#cachePath))) return null;
    try {
      const parsed = CacheSchema.safeParse(JSON.parse(new TextDecoder().decode(await this.#fs.readFile(this.#cachePath))));
      // A copy from another platform is never shown as this one's.
      if (!parsed.success || parsed.data.platform !== this.#options.platform.replace(/\/$/, '')) return null;
      const { version: _version, ...rest } = parsed.data;
      return { ...rest, offline: true };
    } catch {
      return null;
    }
  }
}
