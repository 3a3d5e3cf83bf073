// Test-time fixtures for package verification: a throwaway PKI, signed provider parts and outer packages, and a raw zip writer for hostile archives.
import 'reflect-metadata';
import { KeyObject, sign, webcrypto, createHash } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';
import * as x509 from '@peculiar/x509';
import { Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';

x509.cryptoProvider.set(webcrypto as Crypto);

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const DAY = 86_400_000;

export interface Ca {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
  pem: string;
}
export interface Signer {
  cert: x509.X509Certificate;
  der: Uint8Array;
  pem: string;
  key: KeyObject;
}

async function keys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
}

export async function makeCa(name: string, notBefore = new Date(Date.now() - DAY), notAfter = new Date(Date.now() + 3650 * DAY)): Promise<Ca> {
  const k = await keys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${name}, O=MyData Test, C=TW`,
    notBefore,
    notAfter,
    keys: k,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(k.publicKey),
    ],
  });
  return { cert, keys: k, pem: cert.toString('pem') };
}

/**
 * A provider signing certificate issued by `ca`. `issuerName` lets a test forge a certificate that names a CA
 * whose key did not sign it.
 */
export async function makeSigner(
  ca: Ca,
  name: string,
  options: { notBefore?: Date; notAfter?: Date; issuerName?: string } = {},
): Promise<Signer> {
  const k = await keys();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: Math.floor(Math.random() * 1e9).toString(16).padStart(8, '0'),
    subject: `CN=${name}, O=MyData Test, C=TW`,
    issuer: options.issuerName ?? ca.cert.subject,
    notBefore: options.notBefore ?? new Date(Date.now() - DAY),
    notAfter: options.notAfter ?? new Date(Date.now() + 365 * DAY),
    signingKey: ca.keys.privateKey,
    publicKey: k.publicKey,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  return { cert, der: new Uint8Array(cert.rawData), pem: cert.toString('pem'), key: KeyObject.from(k.privateKey) };
}

/** Signer bindings for tests: resource_id → identities (a Signer stands for its certificate's `sha256:` identity). */
export function bindings(map: Record<string, readonly (Signer | string)[]>): Map<string, { dataset: null; provider: null; signers: string[] }> {
  return new Map(Object.entries(map).map(([id, list]) => [id, { dataset: null, provider: null, signers: list.map((s) => (typeof s === 'string' ? s : `sha256:${sha256(s.der)}`)) }]));
}

export const enc = (text: string): Uint8Array => new TextEncoder().encode(text);
export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface DataFile {
  name: string;
  bytes: Uint8Array;
}

export function providerManifestXml(files: readonly DataFile[], digestOf: (f: DataFile) => string = (f) => sha256(f.bytes)): string {
  const items = files.map((f) => `  <file>\n    <filename>${f.name}</filename>\n    <digest>${digestOf(f)}</digest>\n  </file>\n`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<files>\n${items}</files>\n`;
}

export interface OuterItem {
  filename: string;
  resource_id: string;
  resource_name: string;
  code: string;
}

export function outerManifestXml(items: readonly OuterItem[]): string {
  const body = items
    .map((i) => `  <file>\n    <filename>${i.filename}</filename>\n    <resource_id>${i.resource_id}</resource_id>\n    <resource_name>${i.resource_name}</resource_name>\n    <code>${i.code}</code>\n  </file>\n`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<files>\n${body}</files>\n`;
}

export interface ZipItem {
  name: string;
  bytes?: Uint8Array;
  directory?: boolean;
}

/** A normal zip built with zip.js (deflate unless `level: 0`), with the META-INFO/ directory entry as common tools write it. */
export async function buildZip(items: readonly ZipItem[], options: { level?: number; password?: string } = {}): Promise<Uint8Array> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), {
    useWebWorkers: false,
    level: options.level ?? 6,
    ...(options.password === undefined ? {} : { password: options.password, zipCrypto: true }),
  });
  for (const item of items) {
    if (item.directory === true) await writer.add(item.name, undefined, { directory: true });
    else await writer.add(item.name, new Uint8ArrayReader(item.bytes ?? new Uint8Array(0)));
  }
  return writer.close();
}

export interface PartSpec {
  files: DataFile[];
  signer: Signer;
  /** Files placed in the zip beyond the listed ones (extra), or listed ones removed (missing). */
  extra?: DataFile[];
  omit?: string[];
  /** Replace the bytes of a listed file after the manifest was made (digest mismatch). */
  tamper?: Record<string, Uint8Array>;
  /** Replace the manifest after signing (bad signature). */
  manifestAfterSigning?: string;
  certificateFormat?: 'der' | 'pem';
  level?: number;
}

export async function buildPart(spec: PartSpec): Promise<Uint8Array> {
  const manifest = providerManifestXml(spec.files);
  const signature = sign('sha256', enc(manifest), spec.signer.key);
  const omitted = new Set(spec.omit ?? []);
  const items: ZipItem[] = [];
  for (const f of spec.files) if (!omitted.has(f.name)) items.push({ name: f.name, bytes: spec.tamper?.[f.name] ?? f.bytes });
  for (const f of spec.extra ?? []) items.push({ name: f.name, bytes: f.bytes });
  items.push({ name: 'META-INFO/', directory: true });
  items.push({ name: 'META-INFO/manifest.xml', bytes: enc(spec.manifestAfterSigning ?? manifest) });
  items.push({ name: 'META-INFO/manifest.sha256withrsa', bytes: new Uint8Array(signature) });
  items.push({ name: 'META-INFO/certificate.cer', bytes: spec.certificateFormat === 'pem' ? enc(spec.signer.pem) : spec.signer.der });
  return buildZip(items, { level: spec.level ?? 6 });
}

export interface OuterPart {
  resource_id: string;
  resource_name?: string;
  code?: string;
  bytes?: Uint8Array;
}

export async function buildPackage(parts: readonly OuterPart[], options: { password?: string; extra?: DataFile[]; level?: number } = {}): Promise<Uint8Array> {
  const manifest = outerManifestXml(parts.map((p) => ({ filename: p.bytes === undefined && p.code !== '200' && p.code !== undefined ? '' : `${p.resource_id}.zip`, resource_id: p.resource_id, resource_name: p.resource_name ?? `Dataset ${p.resource_id}`, code: p.code ?? '200' })));
  const items: ZipItem[] = [{ name: 'META-INFO/', directory: true }, { name: 'META-INFO/manifest.xml', bytes: enc(manifest) }];
  for (const p of parts) if (p.bytes !== undefined) items.push({ name: `${p.resource_id}.zip`, bytes: p.bytes });
  for (const f of options.extra ?? []) items.push({ name: f.name, bytes: f.bytes });
  return buildZip(items, { level: options.level ?? 6, ...(options.password === undefined ? {} : { password: options.password }) });
}

/** One entry of a hand-written zip: every header field a hostile archive might lie in is overridable. */
export interface RawEntry {
  name: string | Uint8Array;
  data?: Uint8Array;
  method?: 0 | 8;
  /** Uncompressed size written in the headers (default: the real one). */
  declaredSize?: number;
  externalAttributes?: number;
  /** Version made by: high byte 3 = Unix (so external attributes carry a Unix mode). */
  madeBy?: number;
  /** Point this central directory record at another entry's local header (overlapping entries). */
  sameLocalAs?: number;
  utf8?: boolean;
}

/** Writes local headers, data, central directory and end record by hand; `truncate` cuts the result. */
export function rawZip(entries: readonly RawEntry[], options: { truncate?: number } = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  const offsets: number[] = [];
  let offset = 0;
  const records: { nameBytes: Uint8Array; method: number; crc: number; csize: number; usize: number; flags: number; offset: number; ext: number; madeBy: number }[] = [];
  entries.forEach((e) => {
    const nameBytes = typeof e.name === 'string' ? enc(e.name) : e.name;
    const data = e.data ?? new Uint8Array(0);
    const method = e.method ?? 0;
    const payload = method === 8 ? new Uint8Array(deflateRawSync(data)) : data;
    const crc = crc32(data);
    const usize = e.declaredSize ?? data.length;
    const flags = e.utf8 === false ? 0 : 0x800;
    const local = new Uint8Array(30 + nameBytes.length);
    const v = new DataView(local.buffer);
    v.setUint32(0, 0x04034b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(6, flags, true);
    v.setUint16(8, method, true);
    v.setUint32(14, crc, true);
    v.setUint32(18, payload.length, true);
    v.setUint32(22, usize, true);
    v.setUint16(26, nameBytes.length, true);
    local.set(nameBytes, 30);
    offsets.push(offset);
    records.push({ nameBytes, method, crc, csize: payload.length, usize, flags, offset: e.sameLocalAs === undefined ? offset : offsets[e.sameLocalAs]!, ext: e.externalAttributes ?? 0, madeBy: e.madeBy ?? 20 });
    if (e.sameLocalAs === undefined) {
      chunks.push(local, payload);
      offset += local.length + payload.length;
    } else {
      offsets[offsets.length - 1] = offsets[e.sameLocalAs]!;
    }
  });
  const cdStart = offset;
  for (const r of records) {
    const c = new Uint8Array(46 + r.nameBytes.length);
    const v = new DataView(c.buffer);
    v.setUint32(0, 0x02014b50, true);
    v.setUint16(4, r.madeBy, true);
    v.setUint16(6, 20, true);
    v.setUint16(8, r.flags, true);
    v.setUint16(10, r.method, true);
    v.setUint32(16, r.crc, true);
    v.setUint32(20, r.csize, true);
    v.setUint32(24, r.usize, true);
    v.setUint16(28, r.nameBytes.length, true);
    v.setUint32(38, r.ext, true);
    v.setUint32(42, r.offset, true);
    c.set(r.nameBytes, 46);
    central.push(c);
    offset += c.length;
  }
  const end = new Uint8Array(22);
  const v = new DataView(end.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, records.length, true);
  v.setUint16(10, records.length, true);
  v.setUint32(12, offset - cdStart, true);
  v.setUint32(16, cdStart, true);
  const all = [...chunks, ...central, end];
  const out = new Uint8Array(all.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of all) {
    out.set(c, at);
    at += c.length;
  }
  return options.truncate === undefined ? out : out.subarray(0, options.truncate);
}

/** A sink that records what it was given and how each stream ended. */
export function recordingSink(): {
  sink: (file: { filename: string }) => WritableStream<Uint8Array>;
  opened: string[];
  closed: Map<string, Uint8Array>;
  aborted: string[];
} {
  const opened: string[] = [];
  const closed = new Map<string, Uint8Array>();
  const aborted: string[] = [];
  const sink = (file: { filename: string }) => {
    opened.push(file.filename);
    const chunks: Uint8Array[] = [];
    return new WritableStream<Uint8Array>({
      write: (chunk) => void chunks.push(chunk.slice()),
      close: () => {
        closed.set(file.filename, Buffer.concat(chunks));
      },
      abort: () => void aborted.push(file.filename),
    });
  };
  return { sink, opened, closed, aborted };
}
