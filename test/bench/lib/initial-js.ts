// Which JavaScript a built index.html loads before anything is lazily imported: module entry scripts and modulepreload links.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync, constants } from 'node:zlib';

function attributes(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of tag.matchAll(/([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    const name = m[1]?.toLowerCase();
    if (name && !attrs.has(name)) attrs.set(name, m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** The URLs (as written) of `<script type="module" src>` and `<link rel="modulepreload" href>` in the HTML. */
export function initialScriptUrls(html: string): string[] {
  const withoutComments = html.replace(/<!--[\s\S]*?-->/g, '');
  const urls: string[] = [];
  for (const m of withoutComments.matchAll(/<(script|link)\b([^>]*)>/gi)) {
    const attrs = attributes(m[2] ?? '');
    if (m[1]?.toLowerCase() === 'script') {
      const src = attrs.get('src');
      if (src && attrs.get('type')?.toLowerCase() === 'module') urls.push(src);
    } else {
      const rel = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
      const href = attrs.get('href');
      if (href && rel.includes('modulepreload')) urls.push(href);
    }
  }
  return [...new Set(urls)];
}

/** Maps a URL from index.html to a file under the renderer folder; remote or escaping URLs are errors. */
export function resolveLocal(rendererDir: string, url: string): string {
  if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) throw new Error(`index.html loads remote script ${url}`);
  const clean = decodeURIComponent(url.split(/[?#]/)[0] ?? '');
  const file = path.resolve(rendererDir, clean.replace(/^\/+/, ''));
  if (!file.startsWith(path.resolve(rendererDir) + path.sep)) throw new Error(`script ${url} is outside ${rendererDir}`);
  return file;
}

export type InitialJs = { files: { file: string; bytes: number; gzipBytes: number }[]; gzipBytes: number };

/** gzip -9 size of each initial script, as a server would send them, and their sum. */
export async function initialJsGzip(rendererDir: string): Promise<InitialJs> {
  const html = await readFile(path.join(rendererDir, 'index.html'), 'utf8');
  const urls = initialScriptUrls(html);
  if (urls.length === 0) throw new Error('index.html loads no module script');
  const files = await Promise.all(
    urls.map(async (url) => {
      const file = resolveLocal(rendererDir, url);
      const body = await readFile(file);
      const gzipBytes = gzipSync(body, { level: constants.Z_BEST_COMPRESSION }).length;
      return { file: path.relative(rendererDir, file), bytes: body.length, gzipBytes };
    }),
  );
  return { files, gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}
