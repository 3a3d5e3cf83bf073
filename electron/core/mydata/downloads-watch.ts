// Watches the person's downloads folder for the next MyData download, for a limited time: new, complete (no browser partial file, size stable) .zip/.pdf/.csv/.json files only. Polling, not fs.watch: it behaves the same on every OS and network folder.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Names browsers give a download still in progress (Chrome/Edge, Firefox, Safari) and other temporary names. */
export function isPartialDownload(name: string): boolean {
  return /\.(crdownload|part|partial|download|tmp)$/i.test(name) || name.startsWith('.') || name.startsWith('~$') || /^Unconfirmed \d+\.crdownload$/i.test(name);
}

/** What a MyData download can be: the website's zip, or a lone PDF, CSV or JSON file. */
export function isCandidateName(name: string): boolean {
  return !isPartialDownload(name) && /\.(zip|pdf|csv|json)$/i.test(name);
}

export interface FoundDownload {
  path: string;
  name: string;
  size: number;
}

export interface WatchOptions {
  folder: string;
  /** How long to watch (the journey uses 30 minutes). */
  timeoutMs: number;
  /** Between two looks at the folder. */
  pollMs?: number;
  /** A file counts as complete once its size and time are unchanged for this long (and it is not empty). */
  stableMs?: number;
  signal?: AbortSignal;
  /** Whether a complete new file is a MyData download (the app's layout check); others are skipped. */
  accept?: (found: FoundDownload) => Promise<boolean>;
  now?: () => number;
}

interface Seen {
  size: number;
  mtimeMs: number;
  since: number;
}

async function look(folder: string): Promise<Map<string, { size: number; mtimeMs: number }>> {
  const out = new Map<string, { size: number; mtimeMs: number }>();
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return out;
  }
  for (const name of names) {
    try {
      const info = await stat(join(folder, name));
      if (info.isFile()) out.set(name, { size: info.size, mtimeMs: info.mtimeMs });
    } catch {
      // Gone between readdir and stat (a browser renaming its partial file): seen next time.
    }
  }
  return out;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/**
 * Resolves with the first download that appears after the start (files already there, and ones already changed
 * before it, are ignored), once it is complete; null when the time is up or the watch is cancelled.
 */
export async function watchForDownload(options: WatchOptions): Promise<FoundDownload | null> {
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 1000;
  const stableMs = options.stableMs ?? 2000;
  const until = now() + options.timeoutMs;
  const before = await look(options.folder);
  const rejected = new Set<string>();
  const seen = new Map<string, Seen>();
  while (options.signal?.aborted !== true && now() < until) {
    const current = await look(options.folder);
    for (const [name, info] of current) {
      if (!isCandidateName(name) || rejected.has(`${name}\u0000${info.size}\u0000${info.mtimeMs}`)) continue;
      const old = before.get(name);
      if (old !== undefined && old.size === info.size && old.mtimeMs === info.mtimeMs) continue;
      const previous = seen.get(name);
      if (previous === undefined || previous.size !== info.size || previous.mtimeMs !== info.mtimeMs) {
        seen.set(name, { size: info.size, mtimeMs: info.mtimeMs, since: now() });
        continue;
      }
      if (info.size === 0 || now() - previous.since < stableMs) continue;
      const found = { path: join(options.folder, name), name, size: info.size };
      if (options.accept === undefined || (await options.accept(found))) return found;
      rejected.add(`${name}\u0000${info.size}\u0000${info.mtimeMs}`);
    }
    await sleep(pollMs, options.signal);
  }
  return null;
}
