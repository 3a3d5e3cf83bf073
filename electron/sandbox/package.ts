// Builds data packages in the real MyData layout (ARCHITECTURE §6): an outer manifest and one signed zip per provider part.
import { configure, Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import type { Dataset, Organization, ServiceField } from './data.ts';
import { sha256Hex } from '../common/hash.ts';
import type { ProviderSigner } from './keys.ts';
import { renderDatasetPdf, type PdfSection } from './pdf.ts';
import { DatasetCode } from './codes.ts';
import { dataFile } from './shapes.ts';

configure({ useWebWorkers: false });


export interface PackagePart {
  dataset: Dataset;
  provider: Organization;
  /** Only the fields the subject consented to (deselected optional fields are left out). */
  fields: ServiceField[];
  code: number;
  record?: Record<string, unknown>;
  signer?: ProviderSigner;
}

export interface PackageInput {
  txId: string;
  issuedAt: Date;
  subject: { type: 'natural' | 'legal'; idMasked: string; name: string };
  parts: PackagePart[];
}

export interface BuiltPackage {
  bytes: Uint8Array;
  sha256: string;
  codes: { dataset: string; provider: string; code: number }[];
}

function xml(value: string): string {
  return value.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

async function zip(entries: [string, Uint8Array][]): Promise<Uint8Array> {
  const writer = new ZipWriter(new Uint8ArrayWriter(), { level: 6 });
  for (const [name, data] of entries) await writer.add(name, new Uint8ArrayReader(data));
  return writer.close();
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length === 0 ? '（無 none）' : value.map((v) => describe(v)).join('；');
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}: ${describe(v)}`).join('，');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

async function providerPart(part: PackagePart, input: PackageInput): Promise<Uint8Array> {
  const { dataset, provider, fields, record, signer } = part;
  if (!record || !signer) throw new Error(`part ${dataset.id} has no data or signer`);
  // Declined optional fields are left out entirely (not written as null), as the real platform leaves them out.
  const data = Object.fromEntries(fields.filter((f) => f.name in record).map((f) => [f.name, record[f.name]]));
  const file = dataFile(dataset.id, data);
  const files: [string, Uint8Array][] = [[file.name, file.bytes]];
  const sections: PdfSection[] = [
    { title: '資料提供者 Data provider', lines: [`${provider.name_zh} ${provider.name_en}`] },
    { title: '當事人 Subject', lines: [`${input.subject.name}（${input.subject.idMasked}）`] },
    { title: '交易序號 Transaction', lines: [input.txId, input.issuedAt.toISOString()] },
    ...fields.map((f) => ({ title: `${f.label_zh} ${f.label_en}`, lines: [describe(data[f.name] ?? null)] })),
  ];
  const pdf = await renderDatasetPdf(`${dataset.name_zh} ${dataset.name_en}`, sections);
  if (pdf) files.push([`${dataset.id}.pdf`, pdf]);
  const rows = await Promise.all(files.map(async ([name, bytes]) => `  <file><filename>${xml(name)}</filename><digest>${await sha256Hex(bytes)}</digest></file>\n`));
  const manifest = new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>\n<files>\n${rows.join('')}</files>\n`);
  const signature = await signer.sign(manifest);
  return zip([...files, ['META-INFO/manifest.xml', manifest], ['META-INFO/manifest.sha256withrsa', signature], ['META-INFO/certificate.cer', signer.certificateDer]]);
}

/** Failed or empty parts appear in the outer manifest with their code and an empty filename, and have no zip. */
export async function buildPackage(input: PackageInput): Promise<BuiltPackage> {
  const entries: [string, Uint8Array][] = [];
  const rows: string[] = [];
  for (const part of input.parts) {
    const filename = part.code === DatasetCode.OK ? `${part.dataset.id}.zip` : '';
    if (filename) entries.push([filename, await providerPart(part, input)]);
    rows.push(`  <file><filename>${xml(filename)}</filename><resource_id>${xml(part.dataset.id)}</resource_id><resource_name>${xml(part.dataset.name_zh)}</resource_name><code>${part.code}</code></file>\n`);
  }
  const outer = new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>\n<files>\n${rows.join('')}</files>\n`);
  const bytes = await zip([['META-INFO/manifest.xml', outer], ...entries]);
  return { bytes, sha256: await sha256Hex(bytes), codes: input.parts.map((p) => ({ dataset: p.dataset.id, provider: p.provider.id, code: p.code })) };
}
