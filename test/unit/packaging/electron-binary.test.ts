// The start command's set-up step (.ci/electron-binary.mjs): fetches the Electron binary through Electron's own
// install.js, and where that fails stops with a bilingual message and exit 1 (never electron-vite's "Electron uninstall").
// Each case runs the script in a temp copy of the project's electron package, against 127.0.0.1 only.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const realModules = path.join(root, 'node_modules');
const version = (JSON.parse(readFileSync(path.join(realModules, 'electron/package.json'), 'utf8')) as { version: string }).version;
const zipName = `electron-v${version}-${process.platform}-${process.arch}.zip`;
const binaryName = process.platform === 'win32' ? 'electron.exe' : process.platform === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project folder with the script, and a copy of node_modules/electron (without any binary) whose dependencies resolve to the real ones. */
function project(options: { withElectron?: boolean } = {}): { dir: string; electron: string; cache: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mydata-electron-binary-'));
  temps.push(dir);
  mkdirSync(path.join(dir, '.ci'));
  cpSync(path.join(root, '.ci/electron-binary.mjs'), path.join(dir, '.ci/electron-binary.mjs'));
  writeFileSync(path.join(dir, 'package.json'), '{"name":"copy","private":true}');
  const electron = path.join(dir, 'node_modules/electron');
  if (options.withElectron !== false) {
    cpSync(path.join(realModules, 'electron'), electron, { recursive: true, filter: (src) => !/[\\/](dist|path\.txt)$/.test(src) });
    for (const scope of ['@electron', '@electron-internal']) symlinkSync(path.join(realModules, scope), path.join(dir, 'node_modules', scope), 'dir');
  }
  const cache = path.join(dir, 'electron-cache');
  return { dir, electron, cache };
}

/** The environment of a person's shell, minus anything that would change the script's choices, plus ours. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(CI|ELECTRON_.*|electron_.*|npm_config_electron_.*|npm_package_config_electron_.*|HTTPS?_PROXY|https?_proxy)$/.test(key)),
  );
  return { ...clean, ...extra };
}

function runScript(dir: string, extra: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(dir, '.ci/electron-binary.mjs')], { env: env(extra) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A port nothing listens on: bound once to get it, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((ok) => server.close(ok));
  return port;
}

function expectHelpfulFailure(result: { status: number | null; stderr: string; stdout: string }): void {
  expect(result.status).toBe(1);
  expect(result.stderr).toContain(`無法啟動：找不到 Electron ${version} 執行檔`);
  expect(result.stderr).toContain(`Cannot start: the Electron ${version} binary (${zipName}) is not installed`);
  for (const remedy of ['ELECTRON_MIRROR=', 'HTTPS_PROXY=', 'ELECTRON_GET_USE_PROXY=true', 'electron_config_cache', 'ELECTRON_EXEC_PATH=']) {
    expect(result.stderr).toContain(remedy);
  }
  expect(result.stderr + result.stdout).not.toContain('Electron uninstall');
}

describe('.ci/electron-binary.mjs', () => {
  it('stops with exit 1 and a zh-TW + English message when the release host cannot be reached', async () => {
    const { dir, electron, cache } = project();
    const mirror = `http://127.0.0.1:${await closedPort()}/`;
    const result = await runScript(dir, { ELECTRON_MIRROR: mirror, electron_config_cache: cache });
    expectHelpfulFailure(result);
    expect(result.stderr).toContain(`來源 / Tried: ${mirror}`);
    expect(result.stderr).toMatch(/原因 \/ Reason: .*fetch failed/);
    expect(existsSync(path.join(electron, 'path.txt'))).toBe(false);
  });

  it('names the offline cache file exactly where @electron/get looks for it', async () => {
    const { dir, cache } = project();
    const mirror = `http://127.0.0.1:${await closedPort()}/`;
    const result = await runScript(dir, { ELECTRON_MIRROR: mirror, electron_config_cache: cache });
    const { Cache } = (await import(pathToFileURL(path.join(realModules, '@electron/get/dist/Cache.js')).href)) as {
      Cache: { getCacheDirectory(url: string): string };
    };
    const expected = path.join(cache, Cache.getCacheDirectory(`${mirror}v${version}/${zipName}`), zipName);
    expect(result.stderr).toContain(expected);
  });

  it('does not download where ELECTRON_SKIP_BINARY_DOWNLOAD is set (CI), and says so', async () => {
    const { dir, cache } = project();
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.writeHead(404).end();
    });
    const port = await listen(server);
    try {
      const result = await runScript(dir, { ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, electron_config_cache: cache });
      expectHelpfulFailure(result);
      expect(result.stderr).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
      expect(requests).toBe(0);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it('says the dependencies are missing when node_modules/electron is absent', async () => {
    const { dir } = project({ withElectron: false });
    const result = await runScript(dir, {});
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('node_modules/electron 不存在');
    expect(result.stderr).toContain('Run `. .ci/bootstrap` first');
  });

  it('installs the binary through install.js from a reachable mirror, then starts without downloading again', async () => {
    const { dir, electron, cache } = project();
    // The "release" is a zip made with Info-ZIP holding a stand-in executable; its checksum is served beside it.
    const staging = path.join(dir, 'staging');
    mkdirSync(path.join(staging, path.dirname(binaryName)), { recursive: true });
    writeFileSync(path.join(staging, binaryName), '#!/bin/sh\necho stand-in\n', { mode: 0o755 });
    writeFileSync(path.join(staging, 'version'), version);
    execFileSync('zip', ['-q', '-r', path.join(dir, zipName), '.'], { cwd: staging });
    const zip = readFileSync(path.join(dir, zipName));
    const shasums = `${createHash('sha256').update(zip).digest('hex')} *${zipName}\n`;
    const served: string[] = [];
    const server = createServer((req, res) => {
      served.push(req.url ?? '');
      if (req.url === `/v${version}/${zipName}`) res.writeHead(200, { 'Content-Length': zip.length }).end(zip);
      else if (req.url === `/v${version}/SHASUMS256.txt`) res.writeHead(200).end(shasums);
      else res.writeHead(404).end();
    });
    const port = await listen(server);
    try {
      const extra = { ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, electron_config_cache: cache, electron_use_remote_checksums: '1' };
      const first = await runScript(dir, extra);
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(first.stdout).toContain(`Downloading the Electron ${version} binary`);
      expect(readFileSync(path.join(electron, 'path.txt'), 'utf8')).toBe(binaryName);
      expect(existsSync(path.join(electron, 'dist', binaryName))).toBe(true);
      expect(served).toContain(`/v${version}/${zipName}`);

      const before = served.length;
      const second = await runScript(dir, extra);
      expect(second.status).toBe(0);
      expect(second.stdout).toBe('');
      expect(served.length).toBe(before);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it('is the first step of `npm start`, which therefore stops with the message instead of "Electron uninstall"', (ctx) => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start']).toMatch(/^node \.ci\/electron-binary\.mjs && electron-vite dev$/);
    if (existsSync(path.join(realModules, 'electron/path.txt'))) {
      ctx.skip('an Electron binary is installed here, so `npm start` would launch the app');
      return;
    }
    // ELECTRON_SKIP_BINARY_DOWNLOAD keeps this offline; the failing download path is covered above.
    const npm = spawnSync('npm', ['start'], { cwd: root, env: env({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' }), encoding: 'utf8', shell: process.platform === 'win32' });
    expect(npm.status).not.toBe(0);
    expect(npm.stderr).toContain('Cannot start: the Electron');
    expect(npm.stdout + npm.stderr).not.toContain('Electron uninstall');
  });
});
