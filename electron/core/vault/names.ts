// Rules for the names of files stored in the vault: safe to export on Windows, macOS and Linux, and unambiguous.
const MAX_SEGMENTS = 4;
const MAX_SEGMENT_BYTES = 255;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// What Windows forbids in a name; '/' separates parts and is checked separately.
const FORBIDDEN = /[<>:"|?*\\]/u;

function hasControl(segment: string): boolean {
  for (const char of segment) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Two names that would land on the same file on a case-insensitive, normalising file system share a key. */
export function nameKey(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

export function exportSegments(name: string): string[] {
  return name.split('/');
}

/**
 * Why `name` cannot be stored, or null. `seen` holds nameKey() of the names already in the package and
 * `earlier` the names themselves, to catch a name that is both a file and a folder ('a' and 'a/b').
 */
export function entryNameProblem(name: string, seen: ReadonlySet<string>, earlier: readonly string[]): { zh: string; en: string } | null {
  const bad = (zh: string, en: string) => ({ zh: `檔名「${name}」${zh}`, en: `the file name "${name}" ${en}` });
  if (typeof name !== 'string' || name.length === 0) return bad('是空的', 'is empty');
  const normal = name.normalize('NFC');
  const segments = normal.split('/');
  if (segments.length > MAX_SEGMENTS) return bad('的資料夾層數太多', 'has too many folder levels');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') return bad('含有空白、「.」或「..」路徑段', 'has an empty, "." or ".." part');
    if (FORBIDDEN.test(segment) || hasControl(segment)) return bad('含有不允許的字元', 'contains a character that is not allowed');
    if (/[. ]$/.test(segment)) return bad('的結尾是句點或空格', 'ends in a dot or a space');
    if (WINDOWS_RESERVED.test(segment)) return bad('是 Windows 的保留名稱', 'is a name Windows reserves');
    if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES) return bad('太長', 'is too long');
  }
  const key = nameKey(normal);
  if (seen.has(key)) return bad('與同一資料包中的另一個檔名重複', 'duplicates another name in the same package');
  for (const other of earlier) {
    const otherKey = nameKey(other);
    if (otherKey.startsWith(`${key}/`) || key.startsWith(`${otherKey}/`)) {
      return bad('同時被當作檔案與資料夾使用', 'is used both as a file and as a folder');
    }
  }
  return null;
}
