// Makes sure the Electron binary is installed before `npm start`: fetches it with Electron's own install.js when it
// is missing, and otherwise stops at once with a zh-TW + English message saying what is missing and how to fix it.
// Plain Node, no dependencies of its own, so it runs before anything else can. Exit 0: the binary is there; 1: not.
// Skips the download (and says so) where ELECTRON_SKIP_BINARY_DOWNLOAD is set (CI: `.ci/bootstrap` sets it there).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, platform as osPlatform } from 'node:os';
import { dirname, join, posix } from 'node:path';

const root = join(import.meta.dirname, '..');
const DEFAULT_MIRROR = 'https://github.com/electron/electron/releases/download/';

function electronDir() {
  try {
    return dirname(createRequire(join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The executable electron-vite will start (it reads path.txt, or ELECTRON_EXEC_PATH when set), or null if absent. */
function installedBinary(dir) {
  const override = process.env.ELECTRON_EXEC_PATH;
  if (override) return existsSync(override) ? override : null;
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist'), readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** The same lookups @electron/get makes for its mirror (its environment variable first, then npm's config forms). */
function mirror() {
  const env = process.env;
  return env.ELECTRON_MIRROR || env.npm_config_electron_mirror || env.NPM_CONFIG_ELECTRON_MIRROR || env.npm_package_config_electron_mirror || DEFAULT_MIRROR;
}

/** @electron/get's cache folder (env-paths 'electron' cache, or electron_config_cache as install.js passes it). */
function cacheRoot() {
  if (process.env.electron_config_cache) return process.env.electron_config_cache;
  const home = homedir();
  switch (osPlatform()) {
    case 'darwin':
      return join(home, 'Library', 'Caches', 'electron');
    case 'win32':
      return join(process.env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'electron', 'Cache');
    default:
      return join(process.env.XDG_CACHE_HOME || join(home, '.cache'), 'electron');
  }
}

function artifact(version) {
  const platform = process.env.ELECTRON_INSTALL_PLATFORM || process.env.npm_config_platform || process.platform;
  const arch = process.env.ELECTRON_INSTALL_ARCH || process.env.npm_config_arch || process.arch;
  return `electron-v${version}-${platform}-${arch}.zip`;
}

/**
 * Where @electron/get looks for an already-downloaded zip before downloading: <cache>/<key>/<zip>, the key being the
 * sha256 of the download URL's folder (its Cache.getCacheDirectory; test/unit/tools/electron-binary.test.ts compares).
 */
function cachedZipPath(version, base) {
  const url = new URL(`${base.endsWith('/') ? base : `${base}/`}v${version}/${artifact(version)}`);
  url.hash = '';
  url.search = '';
  url.pathname = posix.dirname(url.pathname);
  return join(cacheRoot(), createHash('sha256').update(url.toString()).digest('hex'), artifact(version));
}

function fail({ version, reason, base }) {
  const zip = artifact(version);
  const cached = cachedZipPath(version, base);
  const lines = [
    '',
    `無法啟動：找不到 Electron ${version} 執行檔（${zip}），下載失敗。`,
    `Cannot start: the Electron ${version} binary (${zip}) is not installed and could not be downloaded.`,
    '',
    `原因 / Reason: ${reason}`,
    `來源 / Tried: ${base}`,
    '',
    '解決方法（任選一項，然後再執行 npm start）/ To fix it (any one, then run npm start again):',
    '  1. 改用鏡像站 / Use a mirror:',
    '       ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm start',
    '  2. 經由代理伺服器 / Through a proxy:',
    '       ELECTRON_GET_USE_PROXY=true HTTPS_PROXY=http://proxy.example:8080 npm start',
    `  3. 離線 / Offline: 在可上網的電腦下載 ${zip}（${DEFAULT_MIRROR}v${version}/），放到 Electron 的下載快取：`,
    `     download ${zip} on a connected machine and put it into Electron's download cache:`,
    `       ${cached}`,
    '     （快取資料夾可用 electron_config_cache 變數另指 / choose another cache folder with electron_config_cache=<folder>）',
    '  4. 已有解壓好的 Electron 45 / An unpacked Electron 45 already on this machine:',
    '       ELECTRON_EXEC_PATH=/path/to/electron npm start',
    '',
    '測試不需要 Electron 執行檔：`npm test` 可照常執行。 / The tests do not need the binary: `npm test` works without it.',
    '',
  ];
  process.stderr.write(lines.join('\n'));
  process.exit(1);
}

const dir = electronDir();
if (dir === null) {
  process.stderr.write(
    '\n無法啟動：尚未安裝相依套件（node_modules/electron 不存在）。請先執行 `. .ci/bootstrap`。\n' +
      'Cannot start: the dependencies are not installed (node_modules/electron is missing). Run `. .ci/bootstrap` first.\n\n',
  );
  process.exit(1);
}
const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

if (installedBinary(dir)) process.exit(0);

if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  fail({ version, base: mirror(), reason: 'ELECTRON_SKIP_BINARY_DOWNLOAD 已設定，未下載 / ELECTRON_SKIP_BINARY_DOWNLOAD is set, so nothing was downloaded (unset it: `unset ELECTRON_SKIP_BINARY_DOWNLOAD`)' });
}

process.stdout.write(`下載 Electron ${version} 執行檔（第一次啟動）… / Downloading the Electron ${version} binary (first start)…\n`);
const run = spawnSync(process.execPath, [join(dir, 'install.js')], { encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
if (run.status === 0 && installedBinary(dir)) process.exit(0);

// install.js prints the error's stack; its first line names the cause (fetch failed, 404, checksum mismatch…).
const stderr = run.stderr ?? '';
const firstLine = stderr.split('\n').find((line) => line.trim() !== '')?.trim() ?? `install.js exited with ${run.status ?? run.signal}`;
const cause = /cause:\s*(?:Error: )?(.+)/.exec(stderr)?.[1]?.trim() ?? /(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|EAI_AGAIN)[^\n]*/.exec(stderr)?.[0];
fail({ version, base: mirror(), reason: cause ? `${firstLine} (${cause})` : firstLine });
