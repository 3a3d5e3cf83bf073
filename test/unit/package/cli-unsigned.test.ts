// package:verify on downloads without provider signatures (the official website's flat zips, ID-encrypted PDFs): verdict "unsigned", exit 3, never "verified"; built with Info-ZIP, qpdf and python3.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageErrorCode } from '../../../electron/core/package/index.ts';
import { runVerifyCli } from '../../support/verify-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'pkg-unsigned-'));
const ID = 'A123456789';
const haveTools = ['zip', 'qpdf', 'python3'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);
const TIMEOUT = 180_000;

/** A one-page PDF written by python3, its qpdf AES-128 copy with the ID as user password, and the zips the website hands out. */
const BUILD = String.raw`
set -eu
python3 - <<'PY'
objs = [b'<< /Type /Catalog /Pages 2 0 R >>', b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>', b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>']
out = b'%PDF-1.4\n'; offs = []
for i, o in enumerate(objs):
    offs.append(len(out)); out += b'%d 0 obj\n' % (i + 1) + o + b'\nendobj\n'
x = len(out)
out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objs) + 1) + b''.join(b'%010d 00000 n \n' % o for o in offs)
out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (len(objs) + 1, x)
open('plain.pdf', 'wb').write(out)
import zipfile
with zipfile.ZipFile('traversal.zip', 'w') as z:
    z.writestr('../../escaped.pdf', out)
PY
qpdf --encrypt ${ID} owner-secret 128 --use-aes=y -- plain.pdf encrypted.pdf
mkdir -p flat && cp plain.pdf flat/勞保資料.pdf && printf 'year,amount\n2024,1000\n' > flat/所得.csv && printf '{"a":1}' > flat/data.json
( cd flat && zip -q -X ../website.zip 勞保資料.pdf 所得.csv data.json && zip -q -X -P ${ID} ../zipcrypto.zip 勞保資料.pdf 所得.csv )
mkdir -p encpdf && cp encrypted.pdf encpdf/健保資料.pdf && ( cd encpdf && zip -q -X ../encrypted-pdf.zip 健保資料.pdf && zip -q -X -P ${ID} ../both.zip 健保資料.pdf )
`;

const run = (args: string[]) => runVerifyCli(args, work);
const p = (name: string) => join(work, name);

describe.skipIf(!haveTools)('package:verify on unsigned downloads', () => {
  beforeAll(() => {
    execFileSync('bash', ['-c', BUILD], { cwd: work });
  }, TIMEOUT);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('a flat zip of PDF/CSV/JSON: unsigned (exit 3), ok false, the file hash as the reference', () => {
    const r = run([p('website.zip')]);
    expect(r.status).toBe(3);
    expect(r.json).toMatchObject({ verdict: 'unsigned', ok: false, error: null });
    expect(r.json.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.json.files.map((f: { name: string }) => f.name).sort()).toEqual(['data.json', '勞保資料.pdf', '所得.csv'].sort());
  }, TIMEOUT);

  it('ZipCrypto with the ID: the ID opens it; a wrong ID is refused with its own code; none cannot read it', () => {
    const right = run([p('zipcrypto.zip'), '--id', ID.toLowerCase()]);
    expect(right.status).toBe(3);
    expect(right.json.verdict).toBe('unsigned');
    expect(right.json.files.every((f: { zip_encrypted: boolean; opened_with_id: boolean }) => f.zip_encrypted && f.opened_with_id)).toBe(true);
    const wrong = run([p('zipcrypto.zip'), '--id', 'B123456780']);
    expect(wrong.status).toBe(1);
    expect(wrong.json).toMatchObject({ verdict: 'refused', ok: false, error: { code: PackageErrorCode.WRONG_ID } });
    const none = run([p('zipcrypto.zip')]);
    expect(none.status).toBe(1);
    expect(none.json.error.code).toBe(PackageErrorCode.PASSWORD_REQUIRED);
  }, TIMEOUT);

  it('an ID-encrypted PDF: listed unopened without --id (still unsigned), opened with it, refused with a wrong one', () => {
    const without = run([p('encrypted-pdf.zip')]);
    expect(without.status).toBe(3);
    expect(without.json.unopened).toBe(1);
    expect(without.json.files[0]).toMatchObject({ encrypted: true, opened_with_id: false });
    const right = run([p('encrypted-pdf.zip'), '--id', ID]);
    expect(right.status).toBe(3);
    expect(right.json.files[0]).toMatchObject({ encrypted: true, opened_with_id: true });
    expect(run([p('encrypted-pdf.zip'), '--id', 'B123456780']).json.error.code).toBe(PackageErrorCode.WRONG_ID);
    // Both protections at once, and a lone encrypted PDF.
    expect(run([p('both.zip'), '--id', ID]).status).toBe(3);
    expect(run([p('encrypted.pdf'), '--id', ID]).json).toMatchObject({ verdict: 'unsigned', files: [{ opened_with_id: true }] });
  }, TIMEOUT);

  it('hostile names are refused as in signed packages', () => {
    const r = run([p('traversal.zip')]);
    expect(r.status).toBe(1);
    expect(r.json).toMatchObject({ verdict: 'refused', error: { code: PackageErrorCode.NAME_TRAVERSAL } });
  }, TIMEOUT);
});
