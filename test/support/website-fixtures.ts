// Official-website download fixtures built with independent tools: python3 (PDFs, CSVs, odd zip names), qpdf (PDF encryption), Info-ZIP zip (flat and ZipCrypto zips).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A valid national ID (checksum) used as the test person's ID, and another valid one that is not theirs. */
export const TEST_ID = 'A123456789';
export const OTHER_ID = 'B123456780';

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Debian's python3 when present: the pyenv shim costs seconds per call on this machine. */
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function python(script: string, args: string[] = []): void {
  execFileSync(PYTHON, ['-c', script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A one-page PDF written byte by byte by python3 (classic xref table), with `text` on the page. */
export function writePdf(path: string, text: string): Uint8Array {
  python(
    `
import sys
path, text = sys.argv[1], sys.argv[2].encode('latin-1', 'replace')
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"]
content = b"BT /F1 18 Tf 20 100 Td (" + text.replace(b"\\\\", b"\\\\\\\\").replace(b"(", b"\\\\(").replace(b")", b"\\\\)") + b") Tj ET"
objs.append(b"<< /Length %d >>\\nstream\\n" % len(content) + content + b"\\nendstream")
objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
out = b"%PDF-1.7\\n"
offs = []
for i, o in enumerate(objs):
    offs.append(len(out))
    out += b"%d 0 obj\\n" % (i + 1) + o + b"\\nendobj\\n"
x = len(out)
out += b"xref\\n0 %d\\n0000000000 65535 f \\n" % (len(objs) + 1)
for o in offs:
    out += b"%010d 00000 n \\n" % o
out += b"trailer\\n<< /Size %d /Root 1 0 R >>\\nstartxref\\n%d\\n%%%%EOF\\n" % (len(objs) + 1, x)
open(path, "wb").write(out)
`,
    [path, text],
  );
  return readFileSync(path);
}

export type PdfProtection = 'aes-128' | 'aes-128-object-streams' | 'aes-128-clear-metadata' | 'rc4-128' | 'rc4-40' | 'aes-256' | 'owner-only';

/** Encrypts `src` with qpdf: the ID as user password (an owner password besides), as the portal's iText does. */
export function qpdfEncrypt(src: string, dst: string, protection: PdfProtection, id = TEST_ID): Uint8Array {
  const user = protection === 'owner-only' ? '' : id;
  const args: Record<PdfProtection, string[]> = {
    'aes-128': ['--encrypt', user, 'owner-secret', '128', '--use-aes=y', '--'],
    'aes-128-object-streams': ['--object-streams=generate', '--encrypt', user, 'owner-secret', '128', '--use-aes=y', '--'],
    // iText's ENCRYPTION_AES_128 | DO_NOT_ENCRYPT_METADATA, which the portal uses.
    'aes-128-clear-metadata': ['--encrypt', user, 'owner-secret', '128', '--use-aes=y', '--cleartext-metadata', '--'],
    'rc4-128': ['--allow-weak-crypto', '--encrypt', user, 'owner-secret', '128', '--use-aes=n', '--'],
    'rc4-40': ['--allow-weak-crypto', '--encrypt', user, 'owner-secret', '40', '--'],
    'aes-256': ['--encrypt', user, 'owner-secret', '256', '--'],
    'owner-only': ['--encrypt', '', 'owner-secret', '128', '--use-aes=y', '--'],
  };
  execFileSync('qpdf', [...args[protection], src, dst]);
  return readFileSync(dst);
}

/** qpdf's own answer: does `password` open the PDF? (exit 0 or 3 = opened, 2 = invalid password) */
export function qpdfOpens(path: string, password: string): boolean {
  try {
    execFileSync('qpdf', [`--password=${password}`, '--check', path], { stdio: 'ignore' });
    return true;
  } catch (error) {
    return (error as { status?: number }).status === 3;
  }
}

/** Writes text as CSV bytes in the given encoding with python3 (Big5 via its own codec). */
export function writeCsv(path: string, text: string, encoding: 'utf-8' | 'utf-8-sig' | 'utf-16' | 'big5'): Uint8Array {
  python('import sys; open(sys.argv[1], "w", encoding=sys.argv[3], newline="").write(sys.argv[2])', [path, text, encoding]);
  return readFileSync(path);
}

/** Info-ZIP `zip -j -X` of the given files (flat, no extra fields); with `password`, ZipCrypto (`zip -P`). */
export function infoZip(out: string, files: readonly string[], password?: string): Uint8Array {
  execFileSync('zip', ['-q', '-j', '-X', ...(password === undefined ? [] : ['-P', password]), out, ...files]);
  return readFileSync(out);
}

/** A zip with names exactly as given (python3 zipfile writes any name raw); for hostile names. `data` is Latin-1: one byte per character. */
export function pythonZip(out: string, entries: readonly { name: string; data: string }[]): Uint8Array {
  python('import sys, json, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w") as z:\n    for e in json.loads(sys.argv[2]): z.writestr(e["name"], e["data"].encode("latin-1"))', [out, JSON.stringify(entries)]);
  return readFileSync(out);
}

/** A fresh folder under `root`. */
export function folder(root: string, name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function write(path: string, data: string | Uint8Array): string {
  writeFileSync(path, data);
  return path;
}
