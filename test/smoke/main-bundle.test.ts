// Start-up of the BUILT main bundle (out/main/index.js) in Node 24 with a TEST DOUBLE of 'electron'
// (test/smoke/electron-double.ts, which records calls; it is not Electron): the window's security literals, app://,
// one handler per contract channel, an IPC call answered, and every path the bundle resolves present in out/ and in
// the app.asar that electron-builder.yml describes (packed here with @electron/asar), and the embedded sandbox kept
// out of the start-up chunk (loaded only for the demo profile). Real Electron runs only in
// .github/workflows/test.yml; this test supplements that run and never replaces it.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createPackageWithOptions, statFile } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { channels, IPC_INVOKE } from '../../electron/contract/index.ts';
import { CONTENT_SECURITY_POLICY } from '../../electron/main/security.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const run = promisify(execFile);

interface Report {
  failures: string[];
  callsBeforeReady: string[];
  privilegedSchemes: { scheme: string; privileges: Record<string, boolean> }[][];
  protocolHandlers: string[];
  ipcHandlers: Record<string, number>;
  windows: number;
  windowOptions: { webPreferences: Record<string, unknown> } & Record<string, unknown>;
  windowOpenHandler: unknown;
  windowContentsEvents: string[];
  loadedUrl: string | null;
  permissions: { request: unknown; check: unknown; device: unknown };
  probes: Record<string, string>;
  appInfo: { ok: boolean; value?: { runtime: string; name: string; profile?: string } };
  forbidden: { ok: boolean; error?: { code: string } };
  served: Record<string, { status: number; csp: string | null; file: string | null }>;
  read: string[];
  resolvedPaths: { from: string; path: string }[];
  workers: Record<string, string>;
  profile: 'demo' | 'official';
  /** Chunks of out/main and the packages they import, each with when it first loaded (before 'ready' or after). */
  modules: Record<string, 'start-up' | 'after-ready'>;
}

async function driveBundle(appRoot: string, profile: 'demo' | 'official' = 'demo'): Promise<Report> {
  const { stdout } = await run(process.execPath, [path.join(root, 'test/smoke/run-main.ts'), appRoot, profile], { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 });
  const line = stdout.split('\n').find((l) => l.startsWith('SMOKE-REPORT '));
  if (!line) throw new Error(`the smoke driver printed no report:\n${stdout}`);
  return JSON.parse(line.slice('SMOKE-REPORT '.length)) as Report;
}

interface BuilderConfig {
  files: string[];
  asarUnpack?: string[];
  extraResources?: unknown;
  extraFiles?: unknown;
}

/** Files of appRoot that electron-builder.yml's `files` selects (positive globs, then `!` exclusions). */
function selectFiles(appRoot: string, patterns: string[]): string[] {
  const include = patterns.filter((p) => !p.startsWith('!'));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const chosen: string[] = [];
  const walk = (rel: string) => {
    for (const entry of readdirSync(path.join(appRoot, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      if (entry.isDirectory()) walk(child);
      else if (include.some((g) => path.matchesGlob(child, g)) && !exclude.some((g) => path.matchesGlob(child, g))) chosen.push(child);
    }
  };
  walk('');
  return chosen;
}

/** Lays out appRoot's selected files the way electron-builder does and packs them into <dir>/app.asar. */
async function packAsar(appRoot: string, config: BuilderConfig, dir: string): Promise<{ asar: string; files: string[] }> {
  const stage = path.join(dir, 'app');
  const files = selectFiles(appRoot, config.files);
  for (const rel of files) {
    mkdirSync(path.dirname(path.join(stage, rel)), { recursive: true });
    cpSync(path.join(appRoot, rel), path.join(stage, rel));
  }
  const asar = path.join(dir, 'app.asar');
  const unpack = config.asarUnpack?.length ? (config.asarUnpack.length === 1 ? config.asarUnpack[0] : `{${config.asarUnpack.join(',')}}`) : undefined;
  await createPackageWithOptions(stage, asar, unpack ? { unpack } : {});
  return { asar, files };
}

/** Whether rel is in the archive (or, when asarUnpack put it there, in app.asar.unpacked beside it). */
function inAsar(asar: string, rel: string): boolean {
  try {
    const entry = statFile(asar, rel) as { unpacked?: boolean };
    return entry.unpacked ? existsSync(path.join(`${asar}.unpacked`, rel)) : true;
  } catch {
    return false;
  }
}

/** Every path the bundle resolved or read, with where it is missing: [] when all are in out/ and in the asar. */
function missingPaths(appRoot: string, report: Report, asar: string): string[] {
  const needed = new Set<string>([...report.read, ...report.resolvedPaths.map((r) => r.path)]);
  for (const served of Object.values(report.served)) if (served.file) needed.add(served.file);
  // The fonts the PDFs are drawn with: the bundle calls resourcePath('fonts', …) only when it writes a PDF.
  for (const file of readdirSync(path.join(appRoot, 'out/main'))) {
    for (const m of readFileSync(path.join(appRoot, 'out/main', file), 'utf8').matchAll(/resourcePath\(((?:\s*"[^"]+"\s*,?)+)\)/g)) {
      needed.add(['resources', ...[...(m[1] ?? '').matchAll(/"([^"]+)"/g)].map((x) => x[1])].join('/'));
    }
  }
  const problems: string[] = [];
  for (const rel of [...needed].sort()) {
    if (!existsSync(path.join(appRoot, rel))) problems.push(`${rel}: missing from the build`);
    if (!inAsar(asar, rel)) problems.push(`${rel}: missing from app.asar`);
  }
  return problems;
}

const temps: string[] = [];
let report: Report;
let official: Report;
let packed: { asar: string; files: string[] };
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

beforeAll(async () => {
  if (!existsSync(path.join(root, 'out/main/index.js')) || !existsSync(path.join(root, 'out/renderer/index.html'))) {
    throw new Error('out/ is missing: run `npm run build` first (`npm test` builds before it runs the tests).');
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'mydata-smoke-'));
  temps.push(dir);
  [report, packed, official] = await Promise.all([driveBundle(root), packAsar(root, config, dir), driveBundle(root, 'official')]);
}, 120_000);

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('built main bundle with the electron test double', () => {
  it('starts without an error', () => {
    expect(report.failures).toEqual([]);
  });

  it('registers app:// as privileged before ready and serves it through protocol.handle', () => {
    expect(report.callsBeforeReady).toContain('protocol.registerSchemesAsPrivileged');
    expect(report.privilegedSchemes.flat()).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);
    expect(report.protocolHandlers).toEqual(['app']);
  });

  it('creates one window with the security literals, its guards, and loads app://app/index.html', () => {
    expect(report.windows).toBe(1);
    expect(report.windowOptions.webPreferences).toEqual({
      preload: path.join(root, 'out/preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
      v8CacheOptions: 'bypassHeatCheck',
    });
    expect(report.windowOpenHandler).toEqual({ action: 'deny' });
    expect(report.windowContentsEvents).toEqual(expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview', 'will-frame-navigate']));
    expect(report.loadedUrl).toBe('app://app/index.html');
  });

  it('denies every permission request, check and device request', () => {
    expect(report.permissions).toEqual({ request: false, check: false, device: false });
  });

  it('registers one ipcMain handler, and every contract channel has its handler behind it', () => {
    expect(report.ipcHandlers).toEqual({ [IPC_INVOKE]: 1 });
    // A registered channel rejects the probe's payload (INVALID_PAYLOAD); a missing one would say UNKNOWN_CHANNEL.
    // Registering a channel twice throws at start-up, which the first test would show.
    expect(Object.keys(report.probes).sort()).toEqual(Object.keys(channels).sort());
    expect(Object.entries(report.probes).filter(([, code]) => code !== 'IPC_INVALID_PAYLOAD')).toEqual([]);
  });

  it('answers app:info through the registered handler, and refuses a sender outside app://app', () => {
    expect(report.appInfo).toMatchObject({ ok: true, value: { name: 'MyData Desktop', runtime: 'electron' } });
    expect(report.forbidden).toMatchObject({ ok: false, error: { code: 'IPC_FORBIDDEN_SENDER' } });
  });

  it('serves the renderer, the pdf.js worker, CMaps and standard fonts from app:// with the CSP, and nothing outside it', () => {
    const entries = Object.entries(report.served);
    expect(entries.some(([url]) => /\/assets\/pdf\.worker[^/]*\.mjs$/.test(url))).toBe(true);
    for (const [url, { status, csp }] of entries) {
      expect({ url, status }).toEqual({ url, status: url.includes('/main/') ? 404 : 200 });
      expect(csp).toBe(CONTENT_SECURITY_POLICY);
    }
  });

  it('starts the workers (history frame check, CSV export, download spool crypto) from the paths the bundle resolves, and they answer', () => {
    expect(Object.keys(report.workers).sort()).toEqual(['out/main/history-export-worker.js', 'out/main/history-frame-worker.js', 'out/main/spool-crypto-worker.js']);
    // The spool's crypto worker says it is ready as soon as its module has loaded, before any request.
    expect(report.workers['out/main/spool-crypto-worker.js']).toBe('answered ready');
    expect(report.workers['out/main/history-frame-worker.js']).toBe('answered done');
    // The probe is a frame-scan request, which the export worker loads, runs and refuses as a message of its own kind.
    expect(report.workers['out/main/history-export-worker.js']).toBe('answered error');
  });

  it('finds every worker and asset path it resolves in out/ and in app.asar (sandbox data, fonts, preload, renderer)', () => {
    expect(config.extraResources ?? null).toBeNull(); // not modelled here: extend packAsar before adding any
    expect(config.extraFiles ?? null).toBeNull();
    expect(report.read).toEqual(expect.arrayContaining(['resources/sandbox/openapi.json', 'resources/sandbox/services.json']));
    expect(missingPaths(root, report, packed.asar)).toEqual([]);
  });

  it('packs every built file into app.asar', () => {
    const built: string[] = [];
    const walk = (rel: string) => {
      for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) (e.isDirectory() ? walk : (x: string) => built.push(x))(`${rel}/${e.name}`);
    };
    walk('out');
    expect(built.filter((rel) => !inAsar(packed.asar, rel))).toEqual([]);
  });

  it('carries the government office calendar inside the bundle (imported JSON), so it has no run-time path', () => {
    const calendar = JSON.parse(readFileSync(path.join(root, 'resources/calendar/2026.json'), 'utf8')) as Record<string, unknown>;
    const main = readFileSync(path.join(root, 'out/main/index.js'), 'utf8');
    const someDate = JSON.stringify(calendar).match(/\d{4}-\d{2}-\d{2}/)?.[0];
    expect(someDate).toBeDefined();
    expect(main).toContain(someDate);
    expect(main).not.toMatch(/resourcePath\(\s*"calendar"/);
  });
});

/** The built files of out/main that index.js imports statically, transitively: what loads before anything else. */
function startupChunks(appRoot: string): Set<string> {
  const found = new Set<string>();
  const visit = (name: string) => {
    if (found.has(name)) return;
    found.add(name);
    const code = readFileSync(path.join(appRoot, 'out/main', name), 'utf8');
    for (const m of code.matchAll(/^(?:import|export)\b[^"'`;]*?["']\.\/([^"']+)["']/gm)) visit(m[1] ?? '');
  };
  visit('index.js');
  return found;
}

/** Names of the out/main files whose code matches the pattern. */
function builtFilesMatching(appRoot: string, pattern: RegExp): string[] {
  return readdirSync(path.join(appRoot, 'out/main')).filter((name) => name.endsWith('.js') && pattern.test(readFileSync(path.join(appRoot, 'out/main', name), 'utf8'))).sort();
}

describe('the embedded sandbox is a chunk of its own, loaded only for the demo profile', () => {
  const sandboxDefinition = /\bfunction startSandbox\(/;
  const importsOidcProvider = /(?:from\s*|import\s*\(\s*)["']oidc-provider["']/;

  it('keeps the sandbox and oidc-provider out of index.js and everything it imports statically', () => {
    const sandboxFiles = builtFilesMatching(root, sandboxDefinition);
    expect(sandboxFiles).toHaveLength(1);
    const startup = startupChunks(root);
    expect(startup.has('index.js')).toBe(true);
    expect([...startup].filter((name) => sandboxFiles.includes(name))).toEqual([]);
    expect([...startup].filter((name) => importsOidcProvider.test(readFileSync(path.join(root, 'out/main', name), 'utf8')))).toEqual([]);
    // The only way in is a dynamic import of that chunk from the start-up code.
    const sandboxChunk = sandboxFiles[0] ?? '';
    const dynamicImport = new RegExp(`import\\(\\s*["']\\./${sandboxChunk.replace(/[.$]/g, '\\$&')}["']\\s*\\)`);
    expect([...startup].filter((name) => dynamicImport.test(readFileSync(path.join(root, 'out/main', name), 'utf8')))).not.toEqual([]);
    // oidc-provider is imported by the sandbox's own code only.
    expect(builtFilesMatching(root, importsOidcProvider).every((name) => !startup.has(name))).toBe(true);
  });

  it('loads the sandbox chunk after ready in the demo profile, never while the bundle itself loads', () => {
    const [sandboxChunk] = builtFilesMatching(root, sandboxDefinition);
    expect(report.profile).toBe('demo');
    expect(report.modules['out/main/index.js']).toBe('start-up');
    expect(report.modules[`out/main/${sandboxChunk}`]).toBe('after-ready');
    expect(report.modules['oidc-provider']).not.toBe('start-up');
    // Every chunk that loaded at start-up is in the static graph the first test reads.
    const startup = startupChunks(root);
    expect(Object.entries(report.modules).filter(([key, when]) => key.startsWith('out/main/') && when === 'start-up' && !startup.has(key.slice('out/main/'.length)))).toEqual([]);
  });

  it('starts the official profile with its window and IPC, and never loads the sandbox or oidc-provider', () => {
    const [sandboxChunk] = builtFilesMatching(root, sandboxDefinition);
    expect(official.failures).toEqual([]);
    expect(official.profile).toBe('official');
    expect(official.windows).toBe(1);
    expect(official.appInfo).toMatchObject({ ok: true, value: { profile: 'official' } });
    expect(official.modules['out/main/index.js']).toBe('start-up');
    expect(Object.keys(official.modules)).not.toContain(`out/main/${sandboxChunk}`);
    expect(Object.keys(official.modules)).not.toContain('oidc-provider');
    expect(official.read.filter((rel) => rel.startsWith('resources/sandbox/'))).toEqual([]);
  });
});

describe('the same checks fail when a path is wrong', () => {
  /** A copy of the app (out/, resources/, package.json) with node_modules linked back, to break on purpose. */
  function copyApp(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'mydata-smoke-broken-'));
    temps.push(dir);
    const app = path.join(dir, 'project');
    for (const rel of ['out', 'resources', 'package.json']) cpSync(path.join(root, rel), path.join(app, rel), { recursive: true });
    symlinkSync(path.join(root, 'node_modules'), path.join(app, 'node_modules'), 'dir');
    return app;
  }

  it('reports the history frame and spool crypto workers missing from out/ and app.asar when their files are renamed', async () => {
    const app = copyApp();
    for (const worker of ['history-frame-worker', 'spool-crypto-worker']) {
      renameSync(path.join(app, `out/main/${worker}.js`), path.join(app, `out/main/${worker}.renamed.js`));
    }
    const [broken, { asar }] = await Promise.all([driveBundle(app), packAsar(app, config, path.dirname(app))]);
    const problems = missingPaths(app, broken, asar);
    for (const worker of ['history-frame-worker', 'spool-crypto-worker']) {
      expect(broken.workers[`out/main/${worker}.js`]).toBe('missing');
      expect(problems).toContain(`out/main/${worker}.js: missing from the build`);
      expect(problems).toContain(`out/main/${worker}.js: missing from app.asar`);
    }
  }, 120_000);

  it('reports a file the bundle needs but electron-builder.yml leaves out of app.asar', async () => {
    const app = copyApp();
    const narrowed = { ...config, files: [...config.files, '!resources/sandbox/openapi.json'] };
    const { asar } = await packAsar(app, narrowed, path.dirname(app));
    expect(statSync(path.join(app, 'resources/sandbox/openapi.json')).isFile()).toBe(true);
    expect(missingPaths(app, report, asar)).toEqual(['resources/sandbox/openapi.json: missing from app.asar']);
  }, 120_000);
});
