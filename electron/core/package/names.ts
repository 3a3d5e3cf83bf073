// Entry-name rules for hostile archives: which names are refused, and the keys that reveal duplicate and twin names (ARCHITECTURE §6).
import { PackageErrorCode } from './errors.ts';

/**
 * The META-INFO files as real producers also write them, with a Windows backslash; these exact names are read as
 * their forward-slash twins. Any other name with a backslash (a data file's) is still refused.
 */
export const META_BACKSLASH_NAMES: ReadonlyMap<string, string> = new Map(
  ['manifest.xml', 'manifest.sha256withrsa', 'signature.sha256withrsa', 'certificate.cer'].map((f) => [`META-INFO\\${f}`, `META-INFO/${f}`]),
);

/** Why a name is unsafe, or null when it is a plain relative path of forward-slash segments (or a tolerated META-INFO name). */
export function unsafeNameReason(name: string): PackageErrorCode | null {
  if (META_BACKSLASH_NAMES.has(name)) return null;
  const body = name.endsWith('/') ? name.slice(0, -1) : name;
  if (body.length === 0) return PackageErrorCode.NAME_INVALID;
  if (body.startsWith('/') || body.startsWith('\\')) return PackageErrorCode.NAME_ABSOLUTE;
  if (/^[A-Za-z]:/.test(body)) return PackageErrorCode.NAME_DRIVE_LETTER;
  // Both separators count here: a Windows host resolves "..\\" as a parent directory.
  if (body.split(/[/\\]/).some((segment) => segment === '..')) return PackageErrorCode.NAME_TRAVERSAL;
  if (body.includes('\\')) return PackageErrorCode.NAME_BACKSLASH;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(body) || body.includes(':')) return PackageErrorCode.NAME_INVALID;
  if (body.split('/').some((segment) => segment === '' || segment === '.')) return PackageErrorCode.NAME_INVALID;
  if (body.length > 1024) return PackageErrorCode.NAME_INVALID;
  return null;
}

/** The name as a path key: no trailing slash, so a file "a" and a folder "a/" collide too. */
function pathKey(name: string): string {
  return name.endsWith('/') ? name.slice(0, -1) : name;
}

/** Unicode-normalised key: NFC twins ("é" precomposed vs. "e" + combining accent) map to one key. */
export function unicodeKey(name: string): string {
  return pathKey(name).normalize('NFC');
}

/** Case-folded key: names that one case-insensitive file system (Windows, macOS) would store as one file. */
export function caseKey(name: string): string {
  // Upper then lower approximates full case folding (ß → SS → ss, ﬁ → FI → fi).
  return unicodeKey(name).normalize('NFKC').toUpperCase().toLowerCase();
}

/**
 * Finds the first duplicate among names, strongest collision first: exact, then Unicode twins, then case twins.
 * Returns the code and the later of the two names, or null.
 */
export function findDuplicateName(names: readonly string[]): { code: PackageErrorCode; name: string } | null {
  const exact = new Set<string>();
  const unicode = new Set<string>();
  const folded = new Set<string>();
  let unicodeHit: string | null = null;
  let caseHit: string | null = null;
  for (const name of names) {
    const key = pathKey(name);
    if (exact.has(key)) return { code: PackageErrorCode.DUPLICATE_NAME, name };
    exact.add(key);
    const u = unicodeKey(name);
    if (unicode.has(u)) unicodeHit ??= name;
    unicode.add(u);
    const c = caseKey(name);
    if (folded.has(c)) caseHit ??= name;
    folded.add(c);
  }
  if (unicodeHit !== null) return { code: PackageErrorCode.DUPLICATE_NAME_UNICODE, name: unicodeHit };
  if (caseHit !== null) return { code: PackageErrorCode.DUPLICATE_NAME_CASE, name: caseHit };
  return null;
}
