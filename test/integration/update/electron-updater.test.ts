// The update flow against electron-updater inside real Electron and a generic update server on 127.0.0.1: a newer
// release is found, downloaded with progress, checked (sha512) and left for "restart to update"; a release whose
// bytes do not match its sha512 is refused as untrusted. Needs the Electron binary: it runs in the GitHub
// workflow's Electron job and is skipped where none is installed (as on our machines).
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import type { UpdateState } from '../../../electron/contract/index.ts';
import { createUpdateFlow, UpdateErrorCode, type UpdaterEvent, type UpdaterPort } from '../../../electron/core/update/flow.ts';
import { electronBinary } from '../../support/electron-binary.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const binary = electronBinary();
// Squirrel.Mac installs only into a signed app, which the workflow does not have: macOS is left to release testing.
const skipReason = binary === null ? 'no Electron binary installed here (the GitHub workflow installs one)' : process.platform === 'darwin' ? 'macOS updates need a signed app (Squirrel.Mac)' : null;

const artifact = process.platform === 'win32' ? 'MyData-Desktop-0.2.0-win-x64-setup.exe' : 'MyData-Desktop-0.2.0.AppImage';
const feedFile = process.platform === 'win32' ? 'latest.yml' : 'latest-linux.yml';

/** A generic update server: the feed names 0.2.0 with the sha512 of `declared`; the download serves `served`. */
async function updateServer(declared: Buffer, served: Buffer): Promise<{ url: string; server: Server; requests: string[] }> {
  const sha512 = createHash('sha512').update(declared).digest('base64');
  const feed = [`version: 0.2.0`, `files:`, `  - url: ${artifact}`, `    sha512: ${sha512}`, `    size: ${declared.length}`, `path: ${artifact}`, `sha512: ${sha512}`, `releaseDate: '2026-01-01T00:00:00.000Z'`, ''].join('\n');
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const name = (req.url ?? '').replace(/\?.*$/, '').replace(/^\/+/, '');
    if (name === feedFile) res.writeHead(200, { 'Content-Type': 'text/yaml' }).end(feed);
    else if (name === artifact) res.writeHead(200, { 'Content-Length': served.length }).end(served);
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { url: `http://127.0.0.1:${address.port}/`, server, requests };
}

const probeRoot = path.join(root, 'test-results', 'update-probe');

/**
 * An Electron app (version 0.1.0) inside the repository, so electron-updater resolves from node_modules. It uses the
 * app's own adapter (electron/main/updater.ts, transpiled as it is) and prints each UpdaterEvent as a line.
 */
function writeProbe(feedUrl: string, name: string): string {
  const dir = path.join(probeRoot, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const adapter = ts.transpileModule(readFileSync(path.join(root, 'electron/main/updater.ts'), 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText;
  writeFileSync(path.join(dir, 'updater.mjs'), adapter);
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'mydata-update-probe', version: '0.1.0', type: 'module', main: 'main.mjs' }));
  writeFileSync(path.join(dir, 'dev-app-update.yml'), `provider: generic\nurl: ${feedUrl}\nupdaterCacheDirName: mydata-update-probe\n`);
  writeFileSync(path.join(dir, 'old.AppImage'), 'the installed version');
  writeFileSync(
    path.join(dir, 'main.mjs'),
    `import { app } from 'electron';
import updater from 'electron-updater';
import { electronUpdaterPort } from './updater.mjs';
const { autoUpdater } = updater;
// Development settings only the probe needs: a feed without an installed app-update.yml, no differential download.
autoUpdater.forceDevUpdateConfig = true;
autoUpdater.updateConfigPath = ${JSON.stringify(path.join(dir, 'dev-app-update.yml'))};
autoUpdater.disableDifferentialDownload = true;
const port = await electronUpdaterPort();
port.configure({ autoDownload: true, autoInstallOnAppQuit: false });
const done = () => setTimeout(() => app.exit(0), 200);
port.subscribe((event) => {
  process.stdout.write('UPDATE-EVENT ' + JSON.stringify(event) + '\\n');
  if (event.type === 'downloaded' || event.type === 'error' || event.type === 'not-available') done();
});
await app.whenReady();
port.check().catch(() => undefined);
setTimeout(() => app.exit(3), 60_000);
`,
  );
  return dir;
}

async function runProbe(dir: string): Promise<UpdaterEvent[]> {
  const args = [dir, ...(process.platform === 'linux' ? ['--no-sandbox'] : [])];
  const child = spawn(binary ?? '', args, { env: { ...process.env, APPIMAGE: path.join(dir, 'old.AppImage'), ELECTRON_ENABLE_LOGGING: '1' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((ok) => child.on('close', ok));
  const events = out.split('\n').filter((l) => l.startsWith('UPDATE-EVENT ')).map((l) => JSON.parse(l.slice(13)) as UpdaterEvent);
  if (code !== 0 && events.length === 0) throw new Error(`the probe exited ${String(code)}:\n${out}`);
  return events;
}

/** The core flow driven by what electron-updater really reported. */
function replay(events: UpdaterEvent[]): { states: UpdateState[]; installs: number; flow: ReturnType<typeof createUpdateFlow> } {
  let listener: (e: UpdaterEvent) => void = () => undefined;
  let installs = 0;
  const port: UpdaterPort = {
    configure: () => undefined,
    check: () => {
      for (const e of events) listener(e);
      return Promise.resolve();
    },
    quitAndInstall: () => {
      installs++;
    },
    subscribe: (l) => {
      listener = l;
    },
  };
  const states: UpdateState[] = [];
  const flow = createUpdateFlow({ updater: port, checksEnabled: () => true, emit: (s) => states.push(s) });
  void flow.checkOnStart();
  return { states, installs, flow };
}

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  rmSync(probeRoot, { recursive: true, force: true });
});

describe.skipIf(skipReason !== null)(`electron-updater in Electron against a local update server${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  it('finds 0.2.0, downloads it with progress and leaves it ready; nothing installs until restartToInstall', async () => {
    const release = randomBytes(512 * 1024);
    const { url, server, requests } = await updateServer(release, release);
    servers.push(server);
    const events = await runProbe(writeProbe(url, 'good'));
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['checking', 'available', 'downloaded']));
    expect(events.find((e) => e.type === 'available')).toMatchObject({ version: '0.2.0' });
    expect(requests.some((r) => r.includes(artifact))).toBe(true);
    const { states, installs } = replay(events);
    expect(states.at(-1)).toEqual({ state: 'ready', version: '0.2.0' });
    expect(states.some((s) => s.state === 'downloading')).toBe(true);
    expect(installs).toBe(0);
  }, 90_000);

  it('refuses a download whose bytes do not match the feed’s sha512 (UPDATE_NOT_TRUSTED)', async () => {
    const declared = randomBytes(256 * 1024);
    const tampered = Buffer.from(declared);
    tampered[1000] = (tampered[1000] ?? 0) ^ 0xff;
    const { url, server } = await updateServer(declared, tampered);
    servers.push(server);
    const events = await runProbe(writeProbe(url, 'tampered'));
    expect(events.some((e) => e.type === 'downloaded')).toBe(false);
    const error = events.find((e) => e.type === 'error');
    expect(error).toBeDefined();
    const { flow } = replay(events);
    expect(flow.state()).toMatchObject({ state: 'failed', error: { code: UpdateErrorCode.NOT_TRUSTED } });
  }, 90_000);
});
