// The hostile-archive corpus, generated here: each case refused with its own code, and nothing handed to the sink.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../electron/contract/errors.ts';
import { DEFAULT_LIMITS, PackageErrorCode, verifyPackage, type VerifyOptions } from '../../../electron/core/package/index.ts';
import { ZipArchive } from '../../../electron/core/package/archive.ts';
import { readerFor } from '../../../electron/core/package/readers.ts';
import { buildPackage, buildPart, buildZip, enc, makeCa, makeSigner, rawZip, recordingSink, type Ca, type Signer } from './fixtures.ts';

let ca: Ca;
let signer: Signer;
const work = mkdtempSync(join(tmpdir(), 'pkg-hostile-'));
const files = [{ name: 'data.json', bytes: enc('{"ok":true}') }];

beforeAll(async () => {
  ca = await makeCa('Hostile Test CA');
  signer = await makeSigner(ca, 'Provider');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the verifier with a recording sink; returns the refusal's code and what the sink saw. */
async function refusal(bytes: Uint8Array, options: VerifyOptions = {}): Promise<{ code: string; opened: string[]; closed: number; failure: AppFailure }> {
  const rec = recordingSink();
  try {
    const verdict = await verifyPackage(bytes, { trustAnchors: [ca.pem], sink: rec.sink, ...options });
    throw new Error(`expected a refusal, got a verdict: ${JSON.stringify(verdict.providers.map((p) => p.errors))}`);
  } catch (error) {
    if (!(error instanceof AppFailure)) throw error;
    return { code: error.code, opened: rec.opened, closed: rec.closed.size, failure: error };
  }
}

/** A part whose zip is written by hand, with a proper signed manifest so only the hostile detail can fail. */
async function wrapInPackage(part: Uint8Array): Promise<Uint8Array> {
  return buildPackage([{ resource_id: 'API.X', bytes: part }]);
}

const symlinkAttrs = (0o120777 << 16) >>> 0;

const cases: { title: string; code: string; make: () => Promise<Uint8Array> | Uint8Array }[] = [
  { title: '"../" name', code: PackageErrorCode.NAME_TRAVERSAL, make: () => rawZip([{ name: '../../evil.json', data: enc('x') }]) },
  { title: '"../" inside a provider part', code: PackageErrorCode.NAME_TRAVERSAL, make: () => wrapInPackage(rawZip([{ name: 'a/../../evil.json', data: enc('x') }])) },
  { title: 'absolute path', code: PackageErrorCode.NAME_ABSOLUTE, make: () => rawZip([{ name: '/etc/passwd', data: enc('x') }]) },
  { title: 'drive letter C:\\', code: PackageErrorCode.NAME_DRIVE_LETTER, make: () => rawZip([{ name: 'C:\\Windows\\evil.dll', data: enc('x') }]) },
  { title: 'drive letter C:/', code: PackageErrorCode.NAME_DRIVE_LETTER, make: () => rawZip([{ name: 'C:/evil.json', data: enc('x') }]) },
  { title: 'backslash separator', code: PackageErrorCode.NAME_BACKSLASH, make: () => rawZip([{ name: 'data\\evil.json', data: enc('x') }]) },
  { title: 'NUL in a name', code: PackageErrorCode.NAME_INVALID, make: () => rawZip([{ name: 'a\u0000.json', data: enc('x') }]) },
  { title: 'symlink entry (Unix mode in external attributes)', code: PackageErrorCode.SYMLINK_ENTRY, make: () => rawZip([{ name: 'link', data: enc('/etc/passwd'), externalAttributes: symlinkAttrs, madeBy: 0x031e }]) },
  { title: 'duplicate names', code: PackageErrorCode.DUPLICATE_NAME, make: () => rawZip([{ name: 'data.json', data: enc('1') }, { name: 'data.json', data: enc('2') }]) },
  { title: 'Unicode-normalisation twins (NFC vs NFD)', code: PackageErrorCode.DUPLICATE_NAME_UNICODE, make: () => rawZip([{ name: 'caf\u00e9.json', data: enc('1') }, { name: 'cafe\u0301.json', data: enc('2') }]) },
  { title: 'case twins', code: PackageErrorCode.DUPLICATE_NAME_CASE, make: () => rawZip([{ name: 'Data.json', data: enc('1') }, { name: 'data.JSON', data: enc('2') }]) },
  {
    title: 'declared size that lies (inflates beyond it)',
    code: PackageErrorCode.SIZE_MISMATCH,
    make: async () => wrapInPackage(await lyingPart()),
  },
  { title: 'compression-ratio bomb', code: PackageErrorCode.COMPRESSION_RATIO, make: () => rawZip([{ name: 'zeros.json', data: new Uint8Array(8 * 1024 ** 2), method: 8 }]) },
  {
    title: 'overlapping entries (two records, one local header)',
    code: PackageErrorCode.OVERLAPPING_ENTRIES,
    make: () => rawZip([{ name: 'a.json', data: enc('x'.repeat(1000)), method: 8 }, { name: 'b.json', data: enc('x'.repeat(1000)), method: 8, sameLocalAs: 0 }]),
  },
  {
    title: 'very many entries',
    code: PackageErrorCode.TOO_MANY_ENTRIES,
    make: () => rawZip(Array.from({ length: DEFAULT_LIMITS.maxEntries + 1 }, (_, i) => ({ name: `f${i}.json`, data: new Uint8Array(0) }))),
  },
  {
    title: 'nesting too deep (a zip inside a provider part)',
    code: PackageErrorCode.NESTING_TOO_DEEP,
    make: async () => wrapInPackage(await buildZip([{ name: 'inner.zip', bytes: await buildZip([{ name: 'x.json', bytes: enc('{}') }]) }])),
  },
  {
    title: 'nesting too deep (a zip disguised as JSON inside a provider part)',
    code: PackageErrorCode.NESTING_TOO_DEEP,
    make: async () => {
      const inner = await buildZip([{ name: 'x.json', bytes: enc('{}') }]);
      return wrapInPackage(await buildPart({ files: [{ name: 'data.json', bytes: inner }], signer }));
    },
  },
  {
    title: 'truncated archive',
    code: PackageErrorCode.TRUNCATED,
    make: async () => {
      const whole = await buildPackage([{ resource_id: 'A', bytes: await buildPart({ files, signer }) }]);
      return whole.subarray(0, Math.floor(whole.length * 0.6));
    },
  },
  { title: 'not a zip at all', code: PackageErrorCode.NOT_A_ZIP, make: () => enc('<html>not a package</html>'.repeat(10)) },
  {
    title: 'appended data after the end record',
    code: PackageErrorCode.AMBIGUOUS_ARCHIVE,
    make: () => {
      const z = rawZip([{ name: 'a.json', data: enc('{}') }]);
      const out = new Uint8Array(z.length + 100);
      out.set(z);
      return out;
    },
  },
  {
    title: 'outer manifest with a DOCTYPE (entity expansion)',
    code: PackageErrorCode.MANIFEST_INVALID,
    make: () =>
      buildZip([
        { name: 'META-INFO/manifest.xml', bytes: enc('<?xml version="1.0"?><!DOCTYPE files [<!ENTITY a "aaaa">]><files><file><filename>&a;</filename><resource_id>x</resource_id><resource_name>x</resource_name><code>200</code></file></files>') },
      ]),
  },
  { title: 'a zip without any manifest', code: PackageErrorCode.UNKNOWN_LAYOUT, make: () => buildZip([{ name: 'hello.txt', bytes: enc('hi') }]) },
];

/** A provider part whose data.json declares 1 000 bytes but inflates to 2 MiB; the manifest is honest about nothing else. */
async function lyingPart(): Promise<Uint8Array> {
  const real = enc('{"pad":"' + 'y'.repeat(2 * 1024 ** 2) + '"}');
  return rawZip([
    { name: 'data.json', data: real, method: 8, declaredSize: 1000 },
    { name: 'META-INFO/manifest.xml', data: enc('<files/>') },
  ]);
}

describe('hostile archives: each refused with its own code, nothing kept', () => {
  for (const c of cases) {
    it(c.title, async () => {
      const result = await refusal(await c.make());
      expect(result.code).toBe(c.code);
      expect(result.failure.message_zh.length).toBeGreaterThan(10);
      expect(result.failure.message_en.length).toBeGreaterThan(10);
      expect(result.closed).toBe(0);
    });
  }

  // The download path verifies with CRC-32 off (SHA-256 covers every byte), which reads stored entries straight from
  // the archive with its own local-header checks instead of through zip.js: the same corpus must fail the same way there.
  for (const c of cases) {
    it(`${c.title} (download path: CRC-32 off, direct reads)`, async () => {
      const result = await refusal(await c.make(), { checkCrc32: false });
      expect(result.code).toBe(c.code);
      expect(result.closed).toBe(0);
    });
  }

  it('the corpus covers distinct codes for distinct cases', () => {
    const structural = cases.filter((c) => !c.title.startsWith('nesting') && !c.title.startsWith('drive') && !c.title.startsWith('"../"'));
    expect(new Set(structural.map((c) => c.code)).size).toBe(structural.length);
  });

  it('a lying size stops reading at the declared size: no more than it reaches the consumer', async () => {
    const part = await lyingPart();
    const archive = await ZipArchive.open(await readerFor(part), { limits: { ...DEFAULT_LIMITS }, budget: { entries: 0, nestedBytes: 0 }, label: '', depth: 0 });
    const file = archive.files.find((f) => f.name === 'data.json')!;
    let delivered = 0;
    await expect(archive.pipe(file, (chunk) => void (delivered += chunk.length))).rejects.toMatchObject({ code: PackageErrorCode.SIZE_MISMATCH });
    expect(delivered).toBeLessThanOrEqual(1000);
  });

  it('a lying size in a data file the sink receives: its stream is aborted, never closed', async () => {
    const real = enc('z'.repeat(300_000));
    const part = rawZip([{ name: 'data.json', data: real, method: 8, declaredSize: 10_000 }]);
    // A signed manifest over the declared content makes data.json a listed file, so the sink opens for it.
    const { sign } = await import('node:crypto');
    const manifest = `<files><file><filename>data.json</filename><digest>${'0'.repeat(64)}</digest></file></files>`;
    const full = rawZip([
      { name: 'data.json', data: real, method: 8, declaredSize: 10_000 },
      { name: 'META-INFO/manifest.xml', data: enc(manifest) },
      { name: 'META-INFO/manifest.sha256withrsa', data: new Uint8Array(sign('sha256', enc(manifest), signer.key)) },
      { name: 'META-INFO/certificate.cer', data: signer.der },
    ]);
    expect(part.length).toBeGreaterThan(0);
    const rec = recordingSink();
    await expect(verifyPackage(full, { trustAnchors: [ca.pem], sink: rec.sink })).rejects.toMatchObject({ code: PackageErrorCode.SIZE_MISMATCH });
    expect(rec.opened).toEqual(['data.json']);
    expect(rec.aborted).toEqual(['data.json']);
    expect(rec.closed.size).toBe(0);
  });

  it('limits are configurable: entries, total size, ratio', async () => {
    const small = rawZip(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}.json`, data: enc('x'.repeat(100)) })));
    expect((await refusal(small, { limits: { maxEntries: 4 } })).code).toBe(PackageErrorCode.TOO_MANY_ENTRIES);
    expect((await refusal(small, { limits: { maxTotalBytes: 400 } })).code).toBe(PackageErrorCode.TOO_LARGE);
    const squashy = rawZip([{ name: 'a.json', data: enc('a'.repeat(4096)), method: 8 }]);
    expect((await refusal(squashy, { limits: { ratioFloorBytes: 1024, maxRatio: 10 } })).code).toBe(PackageErrorCode.COMPRESSION_RATIO);
  });

  it('the total limit also bounds the provider parts together', async () => {
    const part = await buildPart({ files: [{ name: 'data.json', bytes: new Uint8Array(60_000).fill(65) }], signer, level: 0 });
    const pkg = await buildPackage([{ resource_id: 'A', bytes: part }, { resource_id: 'B', bytes: part }], { level: 0 });
    expect((await refusal(pkg, { limits: { maxTotalBytes: 100_000 } })).code).toBe(PackageErrorCode.TOO_LARGE);
  });

  it('a symlink made by Info-ZIP (zip -y) is refused', async () => {
    const dir = mkdtempSync(join(work, 'ln-'));
    writeFileSync(join(dir, 'data.json'), '{}');
    symlinkSync('/etc/passwd', join(dir, 'link.json'));
    execFileSync('zip', ['-q', '-y', join(dir, 'out.zip'), 'data.json', 'link.json'], { cwd: dir });
    expect((await refusal(readFileSync(join(dir, 'out.zip')))).code).toBe(PackageErrorCode.SYMLINK_ENTRY);
  });

  it('a compressed provider part that lies about its size inside a deflated package', async () => {
    const real = await buildPart({ files, signer });
    // Deflate the part and declare it smaller than it is: the nested reader must refuse, not read on.
    const pkgRaw = rawZip([
      { name: 'META-INFO/manifest.xml', data: enc('<files><file><filename>A.zip</filename><resource_id>A</resource_id><resource_name>a</resource_name><code>200</code></file></files>') },
      { name: 'A.zip', data: real, method: 8, declaredSize: real.length - 100 },
    ]);
    expect(deflateRawSync(real).length).toBeGreaterThan(0);
    expect((await refusal(pkgRaw)).code).toBe(PackageErrorCode.SIZE_MISMATCH);
  });
});
