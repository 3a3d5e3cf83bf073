// Strict reader for the two manifest.xml shapes of ARCHITECTURE §6: UTF-8, no DOCTYPE or entities, <files><file>…</file></files>.
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

/** Parses a small XML document into elements; refuses DTDs, entity declarations, processing instructions and mixed content. */
export function parseXml(bytes: Uint8Array): XmlElement {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    invalid('not valid UTF-8');
  }
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text.charAt(i))) i += 1;
  };
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) invalid('unterminated comment');
        i = end + 3;
      } else if (text.startsWith('<!', i)) {
        invalid('DOCTYPE or markup declaration');
      } else if (text.startsWith('<?', i)) {
        invalid('processing instruction');
      } else return;
    }
  };

  if (text.startsWith('<?xml')) {
    const end = text.indexOf('?>');
    if (end < 0) invalid('unterminated XML declaration');
    const decl = text.slice(0, end);
    const encoding = /encoding\s*=\s*["']([^"']+)["']/.exec(decl)?.[1];
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) invalid(`encoding ${encoding} (must be UTF-8)`);
    i = end + 2;
  }
  skipMisc();

  const parseElement = (depth: number): XmlElement => {
    if (depth > MAX_DEPTH) invalid('nested too deeply');
    if (text[i] !== '<') invalid(`expected an element at character ${i}`);
    i += 1;
    const name = NAME.exec(text.slice(i, i + 256))?.[0];
    if (name === undefined) invalid(`bad element name at character ${i}`);
    i += name.length;
    // Attributes (e.g. xmlns) are tolerated and ignored; their values may not contain markup.
    const close = text.indexOf('>', i);
    if (close < 0) invalid('unterminated tag');
    const attrs = text.slice(i, close);
    if (!/^(\s+[A-Za-z_][\w.:-]*\s*=\s*("[^"<]*"|'[^'<]*'))*\s*\/?$/.test(attrs)) invalid(`bad attributes on <${name}>`);
    i = close + 1;
    const element: XmlElement = { name, children: [], text: '' };
    if (attrs.endsWith('/')) return element;
    let textContent = '';
    for (;;) {
      if (i >= text.length) invalid(`<${name}> is not closed`);
      if (text.startsWith('</', i)) {
        const end = text.indexOf('>', i);
        if (end < 0 || text.slice(i + 2, end).trim() !== name) invalid(`mismatched closing tag for <${name}>`);
        i = end + 1;
        break;
      }
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) invalid('unterminated comment');
        i = end + 3;
      } else if (text.startsWith('<![CDATA[', i)) {
        const end = text.indexOf(']]>', i + 9);
        if (end < 0) invalid('unterminated CDATA');
        textContent += text.slice(i + 9, end);
        i = end + 3;
      } else if (text.startsWith('<!', i) || text.startsWith('<?', i)) {
        invalid('markup declaration or processing instruction inside an element');
      } else if (text[i] === '<') {
        element.children.push(parseElement(depth + 1));
      } else {
        const next = text.indexOf('<', i);
        const end = next < 0 ? text.length : next;
        textContent += decodeText(text.slice(i, end));
        i = end;
      }
    }
    if (element.children.length > 0) {
      if (textContent.trim() !== '') invalid(`<${name}> mixes text and elements`);
    } else {
      element.text = textContent;
    }
    return element;
  };

  const root = parseElement(0);
  skipMisc();
  if (i !== text.length) invalid('content after the root element');
  return root;
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
