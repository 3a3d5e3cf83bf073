// The e2e stand-in for the system browser under real Electron on Linux: `xdg-open` resolved through PATH lands in it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureSystemBrowser } from '../../e2e/system-browser.ts';

describe.skipIf(process.platform === 'win32')('captureSystemBrowser', () => {
  it('records what `xdg-open` is asked to open, in order, URLs with & and quotes intact', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mydata-browser-'));
    try {
      const capture = captureSystemBrowser(dir);
      const urls = ["http://127.0.0.1:1/authorize?client_id=a&request_uri=urn%3Ax", "http://127.0.0.1:2/it's"];
      for (const url of urls) {
        // As Chromium does it: the program name, looked up on PATH.
        const run = spawnSync('xdg-open', [url], { env: { ...process.env, ...capture.env } });
        expect(run.status).toBe(0);
      }
      expect(capture.opened()).toEqual(urls);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
