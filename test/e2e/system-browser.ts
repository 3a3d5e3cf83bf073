// Stands in for the person's system browser when the app runs in real Electron on Linux: Chromium opens external
// URLs by running `xdg-open <url>` found on PATH, so a directory with our own `xdg-open` put first on PATH receives
// them, and this script writes them down. (xdg-open's $BROWSER is not enough: a registered URL handler wins over it.
// Windows and macOS open the registered browser directly; there is no such hook there.)
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface SystemBrowserCapture {
  /** Environment to start the app with (PATH with the stand-in first). */
  env: Record<string, string>;
  /** The URLs the app asked the system browser to open so far, oldest first. */
  opened(): string[];
}

export function captureSystemBrowser(dir: string): SystemBrowserCapture {
  const file = join(dir, 'system-browser-opened.txt');
  const bin = join(dir, 'system-browser-bin');
  mkdirSync(bin, { recursive: true });
  const script = join(bin, 'xdg-open');
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${file.replace(/'/g, `'\\''`)}'\n`);
  chmodSync(script, 0o755);
  return {
    env: { PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}`, BROWSER: script },
    opened: () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []),
  };
}
