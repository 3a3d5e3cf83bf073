// The package:read-pdf channel through the real composition and dispatcher: a vault PDF's bytes come back exactly,
// as a plain Uint8Array, with nothing written to disk; non-PDFs and PDFs over PDF_VIEW_MAX_BYTES are refused by name.
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channels, PDF_VIEW_MAX_BYTES, type InvokeResult } from '../../../electron/contract/index.ts';
import { composeApp, type ComposedApp } from '../../../electron/main/compose.ts';
import { createEventEmitter, type SenderInfo } from '../../../electron/main/ipc.ts';
import { insecureTestProtector, patternBytes, streamOf } from '../vault/helpers.ts';
import { memoryStore } from '../../support/memory-store.ts';

const SENDER: SenderInfo = { frameUrl: 'app://app/index.html#/my-data', isTopFrame: true };

/** A real one-page PDF (pdf-lib), small enough that Node builds it in its shared Buffer pool. */
async function smallPdf(text: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([200, 100]);
  page.drawText(text, { x: 10, y: 50, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
  return doc.save({ useObjectStreams: false });
}

/** `size` bytes that a PDF reader would take for one by its header: "%PDF-1.7\n" after `lead` junk bytes, then a pattern. */
function headed(size: number, lead = 0): Uint8Array {
  const bytes = patternBytes(size, size % 251 + 3);
  bytes.fill(0x20, 0, lead);
  bytes.write('%PDF-1.7\n', lead, 'latin1');
  return bytes;
}

/** Every file under the profile with its size, to show a read leaves the disk as it was. */
function snapshot(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${join(e.parentPath, e.name)} ${statSync(join(e.parentPath, e.name)).size}`)
    .sort();
}

let profileDir: string;
let app: ComposedApp;

beforeEach(async () => {
  profileDir = await mkdtemp(join(tmpdir(), 'mydata-read-pdf-'));
  app = composeApp({
    settingsStore: memoryStore(),
    keyProtector: insecureTestProtector(),
    shell: { open: () => Promise.reject(new Error('no browser in this test')) },
    clock: { now: () => new Date() },
    emit: createEventEmitter({ send: () => undefined }),
    runtime: 'bridge',
    version: '0.0.0-unit',
    profileDir,
    // Nothing here talks to a platform; the discard port makes any attempt fail at once.
    platformUrl: 'http://127.0.0.1:9',
    isTrustedOrigin: (url) => url.protocol === 'app:' && url.host === 'app',
  });
});

afterEach(async () => {
  app.dispose();
  await rm(profileDir, { recursive: true, force: true });
});

async function storePackage(files: Record<string, Uint8Array>): Promise<string> {
  const { vault } = await app.stores.get();
  const stored = await vault.store({
    meta: { service: { id: 'sd-test', name: 'test' }, source: 'import', providers: [{ resourceId: 'P1', name: 'P1', verdict: 'verified' }] },
    files: Object.entries(files).map(([name, bytes]) => ({ name, stream: streamOf(bytes, 70_000) })),
  });
  return stored.id;
}

async function readPdf(id: string, name: string): Promise<InvokeResult<'package:read-pdf'>> {
  return (await app.dispatcher.dispatch(SENDER, 'package:read-pdf', { id, name })) as InvokeResult<'package:read-pdf'>;
}

async function bytesOf(id: string, name: string): Promise<Uint8Array> {
  const answer = await readPdf(id, name);
  if (!answer.ok) throw new Error(`${name}: ${answer.error.code}`);
  return answer.value.bytes;
}

async function codeOf(id: string, name: string): Promise<string> {
  const answer = await readPdf(id, name);
  return answer.ok ? 'OK' : answer.error.code;
}

describe('package:read-pdf', () => {
  it('gives back the exact decrypted bytes as a plain Uint8Array over its own buffer, writing nothing to disk', async () => {
    const small = await smallPdf('Hello from the vault');
    expect(small.length).toBeLessThan(4096);
    const large = headed(300_000);
    const id = await storePackage({ 'P1/small.pdf': small, 'P1/large.pdf': large, 'P1/data.json': new TextEncoder().encode('{}') });
    const before = snapshot(profileDir);

    for (const [name, expected] of [['P1/small.pdf', small], ['P1/large.pdf', large]] as const) {
      const answer = await readPdf(id, name);
      expect(answer).toMatchObject({ ok: true, value: { name } });
      if (!answer.ok) continue;
      const { bytes } = answer.value;
      expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
      expect([bytes.byteOffset, bytes.buffer.byteLength]).toEqual([0, expected.length]);
      expect(Buffer.from(bytes).equals(Buffer.from(expected))).toBe(true);
    }
    expect(snapshot(profileDir)).toEqual(before);
  });

  it('refuses a file that is not a PDF, by name or by header (MYDATA_NOT_PDF)', async () => {
    const id = await storePackage({
      'P1/data.json': new TextEncoder().encode('{"%PDF-": 1}'),
      'P1/page.pdf': new TextEncoder().encode('<!doctype html><script>alert(1)</script>'),
      'P1/late.pdf': headed(5000, 1100),
      'P1/lead.pdf': headed(5000, 1000),
      'P1/empty.pdf': new Uint8Array(0),
    });
    expect(await codeOf(id, 'P1/data.json')).toBe('MYDATA_NOT_PDF');
    expect(await codeOf(id, 'P1/page.pdf')).toBe('MYDATA_NOT_PDF');
    expect(await codeOf(id, 'P1/empty.pdf')).toBe('MYDATA_NOT_PDF');
    // Readers accept a header within the first 1024 bytes; past that it is not a PDF.
    expect(await codeOf(id, 'P1/late.pdf')).toBe('MYDATA_NOT_PDF');
    expect(await codeOf(id, 'P1/lead.pdf')).toBe('OK');
    const refused = await readPdf(id, 'P1/page.pdf');
    expect(refused).toMatchObject({ ok: false, error: { message_zh: expect.stringContaining('儲存檔案'), message_en: expect.stringContaining('Save file') } });
  });

  it(`gives a PDF of exactly PDF_VIEW_MAX_BYTES (${PDF_VIEW_MAX_BYTES}) and refuses one byte more (MYDATA_PDF_TOO_LARGE)`, async () => {
    const id = await storePackage({ 'P1/limit.pdf': headed(PDF_VIEW_MAX_BYTES), 'P1/over.pdf': headed(PDF_VIEW_MAX_BYTES + 1) });
    expect((await bytesOf(id, 'P1/limit.pdf')).length).toBe(PDF_VIEW_MAX_BYTES);
    const over = await readPdf(id, 'P1/over.pdf');
    expect(over).toMatchObject({ ok: false, error: { code: 'MYDATA_PDF_TOO_LARGE', message_zh: expect.stringContaining('32 MiB'), message_en: expect.stringContaining('32 MiB') } });
  }, 60_000);

  it('names a missing file or package, and refuses a malformed payload before reading', async () => {
    const id = await storePackage({ 'P1/doc.pdf': await smallPdf('x') });
    expect(await codeOf(id, 'P1/other.pdf')).toBe('VAULT_FILE_NOT_FOUND');
    expect(await codeOf('00000000-0000-4000-8000-000000000000', 'P1/doc.pdf')).toBe('VAULT_NOT_FOUND');
    for (const payload of [{ id }, { id, name: '' }, { id, name: 'P1/doc.pdf', extra: 1 }]) {
      expect(await app.dispatcher.dispatch(SENDER, 'package:read-pdf', payload)).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_PAYLOAD' } });
    }
  });
});

describe('package:read-pdf result schema', () => {
  const result = channels['package:read-pdf'].result;
  const pdf = headed(64);

  it('accepts a plain Uint8Array over its own buffer', () => {
    expect(result.safeParse({ name: 'a.pdf', bytes: new Uint8Array(pdf) }).success).toBe(true);
  });

  it('refuses what the transports would not carry honestly: a Node Buffer, a view into a larger buffer, plain arrays', () => {
    expect(result.safeParse({ name: 'a.pdf', bytes: Buffer.from(pdf) }).success).toBe(false);
    expect(result.safeParse({ name: 'a.pdf', bytes: new Uint8Array(pdf).subarray(1) }).success).toBe(false);
    expect(result.safeParse({ name: 'a.pdf', bytes: [...pdf] }).success).toBe(false);
    expect(result.safeParse({ name: 'a.pdf', bytes: Buffer.from(pdf).toString('base64') }).success).toBe(false);
  });

  it('refuses bytes over PDF_VIEW_MAX_BYTES', () => {
    expect(result.safeParse({ name: 'a.pdf', bytes: new Uint8Array(PDF_VIEW_MAX_BYTES + 1) }).success).toBe(false);
  });
});
