// The offline copy of the platform directory holds the trust anchors packages are checked against, so it is sealed:
// an anchor added to it, a flipped byte, a copy sealed in another profile, or an older unsealed copy is discarded with
// PLATFORM_CACHE_DISCARDED and never used.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_FILE, METADATA_PATH, PlatformCatalogue } from '../../../electron/core/platform/catalogue.ts';

const PLATFORM = 'http://127.0.0.1:4100';
const FORGED_ANCHOR = '-----BEGIN CERTIFICATE-----\nMIIBforgedforgedforged\n-----END CERTIFICATE-----\n';
const REAL_ANCHOR = '-----BEGIN CERTIFICATE-----\nMIIBrealrealreal\n-----END CERTIFICATE-----\n';

const metadata = {
  name: { zh: '測試平臺', en: 'Test platform' },
  api_base: `${PLATFORM}/api`,
  identity_providers: [{ issuer: 'http://127.0.0.1:4101', name_zh: '測試驗證', name_en: 'Test IdP', methods: ['moica'], subject_types: ['natural'] }],
  jwks_uri: `${PLATFORM}/jwks`,
  trust_anchors: [REAL_ANCHOR],
};

/** The platform answering (online) or not reachable at all (offline), as fetch sees it. */
function platformFetch(state: { online: boolean }): typeof fetch {
  return async (input) => {
    if (!state.online) throw new TypeError('fetch failed');
    const path = new URL(input instanceof Request ? input.url : input).pathname;
    const body = path === METADATA_PATH ? metadata : [];
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mydata-catalogue-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function catalogue(state: { online: boolean }, key: Uint8Array | null, cacheDir = dir): PlatformCatalogue {
  return new PlatformCatalogue({ platform: PLATFORM, cacheDir, clock: { now: () => new Date('2026-03-01T00:00:00Z') }, fetch: platformFetch(state), sealKey: () => Promise.resolve(key) });
}

const KEY = new Uint8Array(32).fill(9);
const OTHER_PROFILE_KEY = new Uint8Array(32).fill(4);

async function primed(key = KEY, cacheDir = dir): Promise<Buffer> {
  await catalogue({ online: true }, key, cacheDir).refresh();
  return readFile(join(cacheDir, CACHE_FILE));
}

describe('sealed offline copy of the platform directory', () => {
  it('is written sealed (no anchor or name readable in the file) and used when offline', async () => {
    const sealed = await primed();
    expect(sealed.includes(Buffer.from('MIIBrealrealreal'))).toBe(false);
    expect(sealed.includes(Buffer.from('Test platform'))).toBe(false);
    const offline = await catalogue({ online: false }, KEY).refresh();
    expect(offline.offline).toBe(true);
    expect(offline.metadata.trust_anchors).toEqual([REAL_ANCHOR]);
  });

  it.each<[string, (sealed: Buffer) => Promise<Buffer>]>([
    ['a flipped byte in the sealed body', async (sealed) => {
      const copy = Buffer.from(sealed);
      copy[copy.length - 20] = (copy[copy.length - 20] ?? 0) ^ 0x01;
      return copy;
    }],
    ['a truncated file', async (sealed) => sealed.subarray(0, sealed.length - 1)],
    ['the unsealed JSON of an older version, with an anchor added', async () =>
      Buffer.from(JSON.stringify({ version: 2, platform: PLATFORM, fetchedAt: '2026-03-01T00:00:00.000Z', metadata: { ...metadata, trust_anchors: [REAL_ANCHOR, FORGED_ANCHOR] }, organizations: [], services: [], notices: [] }))],
    ['a copy sealed in another profile (another vault key), with a forged anchor', async () => {
      const other = await mkdtemp(join(tmpdir(), 'mydata-catalogue-other-'));
      try {
        metadata.trust_anchors = [REAL_ANCHOR, FORGED_ANCHOR];
        return await primed(OTHER_PROFILE_KEY, other);
      } finally {
        metadata.trust_anchors = [REAL_ANCHOR];
        await rm(other, { recursive: true, force: true });
      }
    }],
    ['an empty file', async () => Buffer.alloc(0)],
  ])('%s → discarded with PLATFORM_CACHE_DISCARDED, never used', async (_name, tamper) => {
    const sealed = await primed();
    await writeFile(join(dir, CACHE_FILE), await tamper(sealed));
    const offline = catalogue({ online: false }, KEY);
    await expect(offline.refresh()).rejects.toMatchObject({ code: 'PLATFORM_CACHE_DISCARDED', retryable: true });
    expect(offline.current).toBeNull();
    // Discarded: the file is gone, and the next offline start has no copy at all (not the tampered one).
    expect(await readdir(dir)).not.toContain(CACHE_FILE);
    await expect(catalogue({ online: false }, KEY).refresh()).rejects.toMatchObject({ code: 'PLATFORM_UNREACHABLE' });
  });

  it('adding an anchor to the plain JSON an older version kept is never used (the legacy file is not read)', async () => {
    await writeFile(join(dir, 'platform-directory.json'), JSON.stringify({ version: 1, platform: PLATFORM, fetchedAt: '2026-03-01T00:00:00.000Z', metadata: { ...metadata, trust_anchors: [FORGED_ANCHOR] }, organizations: [], services: [], notices: [] }));
    await expect(catalogue({ online: false }, KEY).refresh()).rejects.toMatchObject({ code: 'PLATFORM_UNREACHABLE' });
    // The next online fetch replaces it with a sealed copy and removes the plain one.
    await primed();
    expect(await readdir(dir)).toEqual([CACHE_FILE]);
  });

  it('a copy for another platform (renamed across profiles on one key) is discarded', async () => {
    await primed();
    const elsewhere = new PlatformCatalogue({ platform: 'http://127.0.0.1:4200', cacheDir: dir, clock: { now: () => new Date() }, fetch: platformFetch({ online: false }), sealKey: () => Promise.resolve(KEY) });
    await expect(elsewhere.refresh()).rejects.toMatchObject({ code: 'PLATFORM_CACHE_DISCARDED' });
  });

  it('while the vault is locked (no key) no copy is written, and an existing one is neither used nor removed', async () => {
    await catalogue({ online: true }, null).refresh();
    expect(await readdir(dir)).toEqual([]);
    await primed();
    await expect(catalogue({ online: false }, null).refresh()).rejects.toMatchObject({ code: 'PLATFORM_UNREACHABLE' });
    expect(await readdir(dir)).toEqual([CACHE_FILE]);
  });
});

describe('requests at the same moment', () => {
  it('share one fetch of the platform and one sealed write, and a later request fetches again', async () => {
    let requests = 0;
    const counting: typeof fetch = async (input, init) => {
      requests += 1;
      return platformFetch({ online: true })(input, init);
    };
    const shared = new PlatformCatalogue({ platform: PLATFORM, cacheDir: dir, clock: { now: () => new Date('2026-03-01T00:00:00Z') }, fetch: counting, sealKey: () => Promise.resolve(KEY) });
    const [a, b, c] = await Promise.all([shared.refresh(), shared.get(), shared.refresh()]);
    expect(requests).toBe(4); // metadata, organisations, services, notices: once
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    await shared.refresh();
    expect(requests).toBe(8);
  });
});
