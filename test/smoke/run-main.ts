// Loads a built main bundle (<appRoot>/out/main/index.js) in plain Node 24 with 'electron' resolved to the test
// double (electron-double.ts), drives 'ready', and prints one JSON report of what the bundle did: run by
// main-bundle.test.ts as `node test/smoke/run-main.ts <appRoot> [official]`. Records every file the bundle read under
// appRoot, the paths its code resolves (new URL(…, import.meta.url), join(import.meta.dirname, …)), whether the workers
// load, and which of its chunks and packages load before 'ready' and after. With `official` the app starts on the
// official profile (a settings file saying so is written first) instead of the development default, the demo.
import fs, { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { registerHooks, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { channels, IPC_INVOKE } from '../../electron/contract/index.ts';

const appRoot = resolve(process.argv[2] ?? '.');
const profile = process.argv[3] === 'official' ? 'official' : 'demo';
const bundle = join(appRoot, 'out/main/index.js');
const doubleUrl = pathToFileURL(join(import.meta.dirname, 'electron-double.ts')).href;

// ---------------------------------------------------------------- files the bundle reads at run time
const read = new Set<string>();
/** Off while this driver reads files itself; on while the bundle runs (loading, ready, IPC, app:// requests). */
let recording = false;
const inApp = (p: unknown): string | null => {
  const text = p instanceof URL ? fileURLToPath(p) : typeof p === 'string' ? p : null;
  if (text === null) return null;
  const full = resolve(text);
  if (!full.startsWith(appRoot + sep)) return null;
  const rel = relative(appRoot, full).split(sep).join('/');
  return rel.startsWith('node_modules/') ? null : rel;
};
function watch(target: object, names: string[], isAsync: boolean): void {
  const table = target as Record<string, unknown>;
  for (const name of names) {
    const original = table[name] as (...args: unknown[]) => unknown;
    table[name] = function (this: unknown, ...args: unknown[]) {
      const rel = inApp(args[0]);
      const result = original.apply(this, args);
      if (rel === null || !recording) return result;
      if (isAsync && result instanceof Promise) return result.then((value) => (read.add(rel), value));
      // Only accesses that succeeded are evidence that the path is right (existsSync probes while walking up are not).
      if (name !== 'existsSync' || result === true) read.add(rel);
      return result;
    };
  }
}
watch(fs, ['readFileSync', 'existsSync', 'statSync', 'readdirSync', 'openSync', 'createReadStream', 'openAsBlob'], false);
watch(fs.promises, ['readFile', 'open', 'stat', 'readdir'], true);
syncBuiltinESMExports();

// ---------------------------------------------------------------- what the bundle loads, and when
const mainUrl = pathToFileURL(join(appRoot, 'out/main')).href + '/';
/** Chunks of out/main (by file name) and the packages they import directly (by name), each with when it first loaded. */
const modules: Record<string, 'start-up' | 'after-ready'> = {};
let phase: 'start-up' | 'after-ready' = 'start-up';
const packageName = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
function noteModule(specifier: string, parentUrl: string | undefined, url: string): void {
  let key: string | null = null;
  if (url.startsWith(mainUrl)) key = `out/main/${url.slice(mainUrl.length)}`;
  else if (parentUrl?.startsWith(mainUrl) && !/^(?:[./]|node:|file:|data:)/.test(specifier)) key = packageName(specifier);
  if (key !== null) modules[key] ??= phase;
}

// ---------------------------------------------------------------- 'electron' is the double
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === 'electron') return { url: doubleUrl, format: 'module', shortCircuit: true };
    const resolved = nextResolve(specifier, context);
    noteModule(specifier, context.parentURL, resolved.url);
    return resolved;
  },
});

const failures: string[] = [];
process.on('unhandledRejection', (reason) => failures.push(`unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}`));
process.on('uncaughtException', (error) => failures.push(`uncaught exception: ${error.stack ?? error.message}`));

delete process.env['ELECTRON_RENDERER_URL'];
let officialUserData: string | null = null;
if (profile === 'official') {
  // The settings file of someone who chose the official profile (the schema fills in every other setting).
  officialUserData = mkdtempSync(join(tmpdir(), 'mydata-smoke-official-'));
  writeFileSync(join(officialUserData, 'settings.json'), JSON.stringify({ schemaVersion: 2, profile: 'official', profileChosen: true, platformUrl: null }));
  process.env['SMOKE_USER_DATA'] = officialUserData;
}
const double = (await import(doubleUrl)) as typeof import('./electron-double.ts');
recording = true;
await import(pathToFileURL(bundle).href);
const beforeReady = double.calls.length;
phase = 'after-ready';
double.emitReady();

const deadline = Date.now() + 30_000;
while ((double.BrowserWindow.instances.length === 0 || !double.ipcMain.handlers.has(IPC_INVOKE)) && failures.length === 0 && Date.now() < deadline) {
  await new Promise((r) => setTimeout(r, 25));
}

// ---------------------------------------------------------------- what the session's permission handlers decide
type Decide = (...args: unknown[]) => unknown;
const handlerOf = (method: string) => double.calls.find((c) => c[0] === 'session' && c[1] === method)?.[2] as Decide | undefined;
let requestDecision: unknown = 'no handler';
handlerOf('setPermissionRequestHandler')?.(null, 'media', (allowed: unknown) => (requestDecision = allowed), {});
const permissions = {
  request: requestDecision,
  check: handlerOf('setPermissionCheckHandler')?.(null, 'media', 'app://app', {}) ?? 'no handler',
  device: handlerOf('setDevicePermissionHandler')?.({ deviceType: 'usb', origin: 'app://app' }) ?? 'no handler',
};

// ---------------------------------------------------------------- IPC through the handler the bundle registered
type Invoke = (event: unknown, channel: unknown, payload: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
const invokeHandlers = (double.ipcMain.handlers.get(IPC_INVOKE) ?? []) as Invoke[];
const fromFrame = (url: string) => ({ senderFrame: { url, parent: null } });
const invoke = invokeHandlers[0];
// A payload no channel's schema accepts: a registered channel answers INVALID_PAYLOAD, a missing one UNKNOWN_CHANNEL.
const PROBE = 10n;
const probes: Record<string, string> = {};
let appInfo: unknown = null;
let forbidden: unknown = null;
if (invoke) {
  for (const [name, spec] of Object.entries(channels)) {
    if (spec.payload.safeParse(PROBE).success) {
      probes[name] = 'probe-accepted-by-schema';
      continue;
    }
    const answer = await invoke(fromFrame('app://app/index.html'), name, PROBE);
    probes[name] = answer.ok ? 'ok' : (answer.error?.code ?? 'no-code');
  }
  appInfo = await invoke(fromFrame('app://app/index.html'), 'app:info', {});
  forbidden = await invoke(fromFrame('file:///tmp/evil.html'), 'app:info', {});
}

// ---------------------------------------------------------------- app:// through the handler the bundle registered
recording = false;
const appHandler = double.protocol.handlers.get('app');
const rendererDir = join(appRoot, 'out/renderer');
const rendererUrls = new Set<string>(['app://app/index.html', 'app://app/../main/index.js', 'app://app/%2e%2e/main/index.js']);
const literal = /new URL\((["'`])([^"'`]+)\1,\s*import\.meta\.url\)/g;
for (const name of readdirSync(join(rendererDir, 'assets'))) {
  if (!name.endsWith('.js')) continue;
  for (const m of readFileSync(join(rendererDir, 'assets', name), 'utf8').matchAll(literal)) rendererUrls.add(new URL(m[2] ?? '', `app://app/assets/${name}`).href);
}
for (const m of readFileSync(join(rendererDir, 'index.html'), 'utf8').matchAll(/(?:src|href)="([^"]+)"/g)) rendererUrls.add(new URL(m[1] ?? '', 'app://app/index.html').href);
// pdf.js fetches its CMaps and standard fonts from app://app/pdfjs/… (document.baseURI): one of each, including the
// CMap Chinese text needs.
rendererUrls.add('app://app/pdfjs/cmaps/UniCNS-UTF16-H.bcmap');
const standardFont = readdirSync(join(rendererDir, 'pdfjs/standard_fonts')).find((n) => n.endsWith('.pfb'));
if (standardFont) rendererUrls.add(`app://app/pdfjs/standard_fonts/${standardFont}`);
const served: Record<string, { status: number; csp: string | null; file: string | null }> = {};
// The official run checks only what differs by profile (what loads, the window, IPC): app:// and the workers do not.
if (appHandler && profile === 'demo') {
  recording = true;
  for (const url of rendererUrls) {
    const response = await appHandler(new Request(url));
    const file = response.status === 200 ? `out/renderer${decodeURIComponent(new URL(url).pathname)}` : null;
    served[url] = { status: response.status, csp: response.headers.get('Content-Security-Policy'), file };
  }
  recording = false;
}

// ---------------------------------------------------------------- paths the main bundle's code resolves
const resolvedPaths: { from: string; path: string }[] = [];
const mainDir = join(appRoot, 'out/main');
for (const name of readdirSync(mainDir)) {
  if (!name.endsWith('.js')) continue;
  const code = readFileSync(join(mainDir, name), 'utf8');
  for (const m of code.matchAll(literal)) {
    // A `.ts` target is the source-tree branch (taken only when the module itself is a .ts file), never the bundle's.
    if (m[2]?.endsWith('.ts')) continue;
    resolvedPaths.push({ from: `out/main/${name}`, path: relative(appRoot, fileURLToPath(new URL(m[2] ?? '', pathToFileURL(join(mainDir, name))))).split(sep).join('/') });
  }
  for (const m of code.matchAll(/join\(import\.meta\.dirname,\s*(["'`])([^"'`]+)\1\)/g)) {
    resolvedPaths.push({ from: `out/main/${name}`, path: relative(appRoot, join(mainDir, m[2] ?? '')).split(sep).join('/') });
  }
}

// ---------------------------------------------------------------- the workers load and answer
async function workerAnswers(path: string): Promise<string> {
  const full = join(appRoot, path);
  if (!fs.existsSync(full)) return 'missing';
  const worker = new Worker(pathToFileURL(full));
  try {
    return await new Promise<string>((ok) => {
      const timer = setTimeout(() => ok('no answer in 10 s'), 10_000);
      const settle = (answer: string) => {
        clearTimeout(timer);
        ok(answer);
      };
      worker.once('error', (error) => {
        settle(`error: ${error.message}`);
      });
      worker.once('message', (message: { kind?: string }) => {
        settle(`answered ${String(message.kind)}`);
      });
      // An empty scan request: the frame worker answers 'done' (or 'error'), either way it loaded and ran.
      worker.postMessage({ bytes: new SharedArrayBuffer(0), byteOffset: 0, length: 0, enc: null, fileId: new Uint8Array(16) });
    });
  } finally {
    await worker.terminate();
  }
}
const workers: Record<string, string> = {};
if (profile === 'demo') for (const { path } of resolvedPaths) if (/worker/i.test(path)) workers[path] = await workerAnswers(path);

const window = double.BrowserWindow.instances[0];
const report = {
  failures,
  callsBeforeReady: double.calls.slice(0, beforeReady).map((c) => c.slice(0, 2).join('.')),
  calls: double.calls.map((c) => c.slice(0, 2).join('.')),
  privilegedSchemes: double.calls.filter((c) => c[1] === 'registerSchemesAsPrivileged').map((c) => c[2]),
  protocolHandlers: [...double.protocol.handlers.keys()],
  ipcHandlers: Object.fromEntries([...double.ipcMain.handlers].map(([channel, list]) => [channel, list.length])),
  windows: double.BrowserWindow.instances.length,
  windowOptions: window?.options ?? null,
  windowOpenHandler: window?.webContents.windowOpenHandler?.() ?? null,
  windowContentsEvents: [...(window?.webContents.listeners.keys() ?? [])],
  loadedUrl: window?.loadedUrl ?? null,
  permissions,
  probes,
  appInfo,
  forbidden,
  served,
  read: [...read].sort(),
  resolvedPaths,
  workers,
  profile,
  modules,
};
double.emitApp('before-quit');
process.stdout.write(`\nSMOKE-REPORT ${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}\n`);
// The embedded sandbox's servers would keep the process alive; the report is out.
setTimeout(() => {
  if (officialUserData) rmSync(officialUserData, { recursive: true, force: true });
  process.exit(0);
}, 200);
