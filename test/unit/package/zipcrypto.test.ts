// ZipCrypto entries as Info-ZIP writes them (`zip -P`), deflated and stored, read through the website reader: the right ID gives the exact bytes, a damaged or wrong-keyed entry is refused by name.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../electron/contract/errors.ts';
import { PackageErrorCode } from '../../../electron/core/package/errors.ts';
import { readWebsiteDownload } from '../../../electron/core/package/website.ts';
import { OTHER_ID, sha256Hex, TEST_ID, write } from '../../support/website-fixtures.ts';

const root = mkdtempSync(join(tmpdir(), 'zipcrypto-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** About 400 KiB of CSV rows, zipped deflated (`-6`) or stored (`-0`) under the test ID. */
function makeZip(name: string, level: '-0' | '-6'): { zip: Uint8Array; csv: Uint8Array } {
  const csv = Buffer.from(Array.from({ length: 12_000 }, (_, i) => `${i},${randomBytes(12).toString('hex')}\r\n`).join(''), 'ascii');
  const file = write(join(root, `${name}.csv`), csv);
  const out = join(root, `${name}.zip`);
  execFileSync('zip', ['-q', '-j', '-X', level, '-P', TEST_ID, out, file]);
  return { zip: new Uint8Array(readFileSync(out)), csv };
}

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'none';
  } catch (error) {
    return error instanceof AppFailure ? error.code : String(error);
  }
}

describe('ZipCrypto entries (Info-ZIP zip -P)', () => {
  for (const level of ['-6', '-0'] as const) {
    it(`${level === '-0' ? 'stored' : 'deflated'}: the right ID reads the exact bytes; a wrong ID and a damaged byte are refused`, async () => {
      const { zip, csv } = makeZip(`data${level}`, level);
      const kept: Uint8Array[] = [];
      const read = await readWebsiteDownload(zip, {
        id: TEST_ID,
        fileName: 'data.zip',
        sink: () => new WritableStream<Uint8Array>({ write: (chunk) => void kept.push(Uint8Array.from(chunk)) }),
      });
      expect(read.files[0]?.sha256).toBe(sha256Hex(csv));
      expect(sha256Hex(Buffer.concat(kept))).toBe(sha256Hex(csv));
      expect(read.files[0]?.openedWithId).toBe(true);

      expect(await codeOf(readWebsiteDownload(zip, { id: OTHER_ID, fileName: 'data.zip' }))).toBe(PackageErrorCode.WRONG_ID);
      // One byte in the middle of the encrypted data: the check byte still passes, the CRC-32 (or inflate) does not.
      const damaged = Uint8Array.from(zip);
      const at = Math.floor(zip.length / 2);
      damaged[at] = (damaged[at] ?? 0) ^ 0x40;
      expect(await codeOf(readWebsiteDownload(damaged, { id: TEST_ID, fileName: 'data.zip' }))).toBe(PackageErrorCode.WRONG_ID);
    });
  }
});
