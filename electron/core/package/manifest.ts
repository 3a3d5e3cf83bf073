// Strict reader for the two manifest.xml shapes of ARCHITECTURE §6 on fast-xml-parser: UTF-8, no DOCTYPE or entities, <files><file>…</file></files>.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { packageFailure, PackageErrorCode } from './errors.ts';

export interface ProviderManifestEntry {
  filename: string;
  /** Lower-case SHA-256 hex. */
  digest: string;
}

export interface OuterManifestEntry {
  filename: string;
  resource_id: string;
  resource_name: string;
  code: string;
}

interface XmlElement {
  name: string;
  children: XmlElement[];
  text: string;
}

const MAX_DEPTH = 8;
/** The per-dataset status code of a delivered dataset (as the platform's transaction status, ARCHITECTURE §5). */
export const DELIVERED_CODE = '200';
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*(?::[A-Za-z_][A-Za-z0-9_.-]*)?/;

function invalid(detail: string): never {
  throw packageFailure(PackageErrorCode.MANIFEST_INVALID, detail);
}

function decodeText(raw: string): string {
  return raw.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);|&/g, (match, ref: string | undefined) => {
    if (ref === undefined) invalid('a bare "&"');
    if (ref.startsWith('#')) {
      const point = ref.startsWith('#x') ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(point) || point === 0 || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) invalid(`bad character reference ${match}`);
      return String.fromCodePoint(point);
    }
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    const value = named[ref];
    if (value === undefined) invalid(`entity reference ${match} (only the five XML built-ins are allowed)`);
    return value;
  });
}

/** Manifests list a few files; anything this large is not one (and is not parsed). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

// fast-xml-parser reads the structure only: entities stay unexpanded (decodeText allows the five built-ins and
// character references), attributes are ignored, and text keeps its spaces until a field is read.
const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: false,
  parseTagValue: false,
  trimValues: false,
  commentPropName: '#comment',
  cdataPropName: '#cdata',
});

type OrderedNode = Record<string, unknown>;

/** Parses a small XML document into elements; refuses DTDs, entity declarations, processing instructions and mixed content. */
export function parseXml(bytes: Uint8Array): XmlElement {
  if (bytes.length > MAX_MANIFEST_BYTES) invalid(`larger than ${String(MAX_MANIFEST_BYTES)} bytes`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    invalid('not valid UTF-8');
  }
  let body = text;
  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end < 0) invalid('unterminated XML declaration');
    const encoding = /encoding\s*=\s*["']([^"']+)["']/.exec(text.slice(0, end))?.[1];
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) invalid(`encoding ${encoding} (must be UTF-8)`);
    body = text.slice(end + 2);
  }
  // Refused before the parser sees them: a DOCTYPE (and with it every entity declaration) and processing instructions.
  if (/<!(?!--|\[CDATA\[)/.test(body)) invalid('DOCTYPE or markup declaration');
  if (body.includes('<?')) invalid('processing instruction');
  // The parser alone accepts unclosed and mismatched tags; the validator (moved to its own package upstream, not
  // installed here) is what refuses them.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) invalid(`not well-formed: ${valid.err.msg} (line ${String(valid.err.line)})`);
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(text) as OrderedNode[];
  } catch (error) {
    invalid(`not well-formed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const roots = nodes.filter((n) => !('#comment' in n));
  const root = roots[0];
  if (root === undefined) invalid('no root element');
  if (roots.length > 1) invalid('content after the root element');
  return toElement(root, 0);
}

function toElement(node: OrderedNode, depth: number): XmlElement {
  if (depth > MAX_DEPTH) invalid('nested too deeply');
  const name = Object.keys(node).find((k) => k !== ':@');
  if (name === undefined || name.startsWith('#')) invalid('expected an element');
  if (!NAME.test(name) || NAME.exec(name)?.[0] !== name) invalid(`bad element name <${name}>`);
  const element: XmlElement = { name, children: [], text: '' };
  let textContent = '';
  for (const child of node[name] as OrderedNode[]) {
    if ('#comment' in child) continue;
    if ('#text' in child) textContent += decodeText(String(child['#text']));
    else if ('#cdata' in child) textContent += (child['#cdata'] as { '#text'?: string }[]).map((c) => c['#text'] ?? '').join('');
    else element.children.push(toElement(child, depth + 1));
  }
  if (element.children.length > 0) {
    if (textContent.trim() !== '') invalid(`<${name}> mixes text and elements`);
  } else {
    element.text = textContent;
  }
  return element;
}

function fields(file: XmlElement, wanted: readonly string[], index: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const child of file.children) {
    if (child.children.length > 0) invalid(`<${child.name}> in file ${index + 1} has child elements`);
    if (!wanted.includes(child.name)) continue;
    if (child.name in out) invalid(`<${child.name}> appears twice in file ${index + 1}`);
    out[child.name] = child.text.trim();
  }
  for (const name of wanted) if (!(name in out)) invalid(`file ${index + 1} has no <${name}>`);
  return out;
}

function fileElements(root: XmlElement): XmlElement[] {
  if (root.name !== 'files') invalid(`root element is <${root.name}>, expected <files>`);
  for (const child of root.children) if (child.name !== 'file') invalid(`<files> holds <${child.name}>, expected <file>`);
  return root.children;
}

/** A file name listed twice (after NFC, so Unicode twins count) makes the manifest invalid; unnamed entries are skipped. */
function refuseListedTwice(entries: readonly { filename: string }[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.filename === '') continue;
    const key = entry.filename.normalize('NFC');
    if (seen.has(key)) invalid(`"${entry.filename}" is listed twice`);
    seen.add(key);
  }
}

/** A provider part's manifest: each <file> has <filename> and <digest> (SHA-256 hex, any case). */
export function parseProviderManifest(bytes: Uint8Array): ProviderManifestEntry[] {
  const entries = fileElements(parseXml(bytes)).map((file, index) => {
    const f = fields(file, ['filename', 'digest'], index);
    const digest = (f.digest ?? '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(digest)) invalid(`digest of file ${index + 1} is not SHA-256 hex`);
    if (f.filename === '') invalid(`file ${index + 1} has an empty <filename>`);
    return { filename: f.filename ?? '', digest };
  });
  refuseListedTwice(entries);
  return entries;
}

/** The outer package manifest: each <file> has <filename>, <resource_id>, <resource_name> and <code>. */
export function parseOuterManifest(bytes: Uint8Array): OuterManifestEntry[] {
  const entries = fileElements(parseXml(bytes)).map((file, index) => {
    const f = fields(file, ['filename', 'resource_id', 'resource_name', 'code'], index);
    if (f.resource_id === '') invalid(`file ${index + 1} has an empty <resource_id>`);
    // A dataset the provider failed to deliver may come without a part.
    if (f.filename === '' && f.code === DELIVERED_CODE) invalid(`file ${index + 1} has an empty <filename>`);
    return { filename: f.filename ?? '', resource_id: f.resource_id ?? '', resource_name: f.resource_name ?? '', code: f.code ?? '' };
  });
  refuseListedTwice(entries);
  return entries;
}
