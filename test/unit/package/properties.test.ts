// Property tests: accepted names never escape, byte flips in signed content never verify, arbitrary bytes never crash the verifier.
import path from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../electron/contract/errors.ts';
import { findDuplicateName, PackageErrorCode, parseProviderManifest, unsafeNameReason, verifyPackage } from '../../../electron/core/package/index.ts';
import { bindings, buildPart, enc, makeCa, makeSigner, sha256, type Ca, type Signer } from './fixtures.ts';

let ca: Ca;
let signer: Signer;
beforeAll(async () => {
  ca = await makeCa('Property CA');
  signer = await makeSigner(ca, 'Provider');
});

const segment = fc.oneof(
  fc.constantFrom('..', '.', '', 'C:', 'c:', '\\', '..\\', '/', 'a', 'data.json', 'META-INFO', '～', 'é', 'e\u0301', '\u0000', ':'),
  fc.string({ maxLength: 8 }),
);
const hostileName = fc.array(segment, { minLength: 1, maxLength: 6 }).chain((parts) => fc.constantFrom('/', '\\', '').map((sep) => parts.join(sep)));

describe('entry names', () => {
  it('a name that passes never leaves its folder, on POSIX or Windows', () => {
    fc.assert(
      fc.property(fc.oneof(hostileName, fc.string()), (name) => {
        if (unsafeNameReason(name) !== null) return;
        const base = '/vault/base';
        expect(path.posix.resolve(base, name).startsWith(`${base}/`)).toBe(true);
        const winBase = 'C:\\vault\\base';
        expect(path.win32.resolve(winBase, name).startsWith(`${winBase}\\`)).toBe(true);
        // eslint-disable-next-line no-control-regex -- asserting that accepted names hold no NUL
        expect(name).not.toMatch(/\\|\u0000|:/);
      }),
      { numRuns: 3000 },
    );
  });

  it('names differing only by Unicode form or case are always caught as twins', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 10 }).filter((s) => unsafeNameReason(`${s}.json`) === null), (stem) => {
        const a = `${stem}.json`;
        const upper = a.toUpperCase();
        const nfd = a.normalize('NFD');
        if (upper !== a) expect(findDuplicateName([a, upper])).not.toBeNull();
        if (nfd !== a) expect(findDuplicateName([a, nfd])?.code).toBe(PackageErrorCode.DUPLICATE_NAME_UNICODE);
        expect(findDuplicateName([a, a])?.code).toBe(PackageErrorCode.DUPLICATE_NAME);
      }),
    );
  });
});

describe('manifests', () => {
  it('round-trips any file list written as XML with escaping', () => {
    // Names XML 1.0 can carry as text: no control characters, no lone surrogates, no surrounding spaces.
    const xmlSafe = (s: string) => s.trim() === s && s !== '' && s.isWellFormed() && Array.from({ length: s.length }, (_, i) => s.charCodeAt(i)).every((c) => c >= 0x20);
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ filename: fc.string({ minLength: 1, maxLength: 20 }).filter(xmlSafe), digest: fc.stringMatching(/^[0-9a-fA-F]{64}$/) }), { selector: (e) => e.filename.normalize('NFC'), maxLength: 8 }),
        (list) => {
          const xml = `<?xml version="1.0" encoding="UTF-8"?><files>${list.map((e) => `<file><filename>${esc(e.filename)}</filename><digest>${e.digest}</digest></file>`).join('\n')}</files>`;
          expect(parseProviderManifest(enc(xml))).toEqual(list.map((e) => ({ filename: e.filename, digest: e.digest.toLowerCase() })));
        },
      ),
    );
  });

  it('arbitrary text either parses or fails with PACKAGE_MANIFEST_INVALID, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('<files><file><filename>a</filename><digest>', '<!DOCTYPE x>', '<files/>', '<files><file/></files>')), (text) => {
        try {
          parseProviderManifest(enc(text));
        } catch (error) {
          expect(error).toBeInstanceOf(AppFailure);
          expect((error as AppFailure).code).toBe(PackageErrorCode.MANIFEST_INVALID);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('packages', () => {
  it('a byte flipped anywhere in signed content never verifies (ok is false; at best the issuer becomes unknown)', async () => {
    const files = [{ name: 'data.json', bytes: enc(JSON.stringify({ a: 'x'.repeat(300) })) }, { name: 'b.csv', bytes: enc('k,v\n1,2\n'.repeat(40)) }];
    const part = await buildPart({ files, signer, level: 0 });
    expect((await verifyPackage(part, { signers: bindings({ P: [signer] }), resourceId: 'P', trustAnchors: [ca.pem] })).ok).toBe(true);
    // Content ranges in the stored zip: each data file, the manifest, the signature and the certificate.
    const manifest = `<?xml version="1.0" encoding="UTF-8"?>`;
    const find = (needle: Uint8Array) => Buffer.from(part).indexOf(Buffer.from(needle));
    const ranges: [number, number][] = files.map((f) => [find(f.bytes), f.bytes.length]);
    ranges.push([find(enc(manifest)), 200], [find(signer.der), signer.der.length]);
    for (const [start] of ranges) expect(start).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ranges), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), async ([start, length], at, mask, crc) => {
        const copy = part.slice();
        const index = start + (at % length);
        copy[index] = copy[index]! ^ mask;
        try {
          const v = await verifyPackage(copy, { signers: bindings({ P: [signer] }), resourceId: 'P', trustAnchors: [ca.pem], checkCrc32: crc });
          expect(v.ok).toBe(false);
          // A flip in the certificate's issuer name makes it a certificate from an unknown CA: the one storable outcome.
          if (v.storable) expect(v.providers[0]!.certificate).toBe('untrusted-issuer');
        } catch (error) {
          expect(error).toBeInstanceOf(AppFailure);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('every single-bit flip in the certificate ends in a verdict, never a crash or a trusted chain', async () => {
    const part = await buildPart({ files: [{ name: 'a.json', bytes: enc('{}') }], signer, level: 0 });
    const start = Buffer.from(part).indexOf(Buffer.from(signer.der));
    expect(start).toBeGreaterThan(0);
    const outcomes = new Set<string>();
    for (let i = 0; i < signer.der.length; i += 1) {
      const copy = part.slice();
      copy[start + i] = copy[start + i]! ^ 0x10;
      try {
        const v = await verifyPackage(copy, { signers: bindings({ P: [signer] }), resourceId: 'P', trustAnchors: [ca.pem], checkCrc32: false });
        expect(v.ok).toBe(false);
        outcomes.add(v.providers[0]!.certificate);
      } catch (error) {
        expect(error).toBeInstanceOf(AppFailure);
        outcomes.add((error as AppFailure).code);
      }
    }
    expect(outcomes.has('trusted')).toBe(false);
  });

  it('truncation at any point and random garbage fail with a PACKAGE_ code, never a crash', async () => {
    const part = await buildPart({ files: [{ name: 'data.json', bytes: enc('{"x":1}'.repeat(100)) }], signer });
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: part.length - 1 }), async (cut) => {
        await expect(verifyPackage(part.subarray(0, cut), { signers: bindings({ P: [signer] }), resourceId: 'P', trustAnchors: [ca.pem] })).rejects.toSatisfy((e: unknown) => e instanceof AppFailure && e.code.startsWith('PACKAGE_'));
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        await expect(verifyPackage(bytes)).rejects.toSatisfy((e: unknown) => e instanceof AppFailure && e.code.startsWith('PACKAGE_'));
      }),
      { numRuns: 200 },
    );
    expect(sha256(part)).toHaveLength(64);
  });
});
