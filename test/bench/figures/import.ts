// Import figure: a website-style ZipCrypto download imported into the vault, against what Info-ZIP itself needs to read it.
//
// import.ratio_vs_unzip — method: a flat zip of CSV files (the official website's layout, named `<dataset><stamp>.zip`),
// encrypted with ZipCrypto under a national ID by Info-ZIP `zip -P` (default deflate level), ~1 GiB on disk
// (BENCH_IMPORT_MIB scales it). The CSV text is base64 of random bytes cut into rows, so it deflates to about 3/4
// (like real records, it is neither incompressible nor trivially repetitive) and stays under the importer's 2 GiB
// uncompressed limit. Timed once each, in one run: (a) the comparator, `unzip -P <ID> -p` (decrypt, inflate, CRC) to
// /dev/null and then `sha256sum` of the zip; (b) in a fresh child (lib/import-child.ts), inspectCandidate +
// importCandidate with the ID: the app's import path (decrypt and inflate with zip.js, CRC-32, per-file SHA-256 and
// encoding probe, the whole file's SHA-256, AES-GCM into a new vault). The figure is (b) ÷ (a).
import { spawn, spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchContext, FigureSource } from '../types.ts';

const MIB = 1024 * 1024;
const TARGET_MIB = Number(process.env.BENCH_IMPORT_MIB ?? 1024);
/** base64 text of random bytes deflates to about 0.76 of its size. */
const TEXT_PER_ZIP_BYTE = 1.31;
const FILES = 4;
const ID = 'A123456789';

/** Writes `bytes` of CSV-shaped text (a header, then rows of base64 fields) to `file`. */
function writeCsv(file: string, bytes: number): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, 'id,field_a,field_b\r\n');
    const raw = Buffer.allocUnsafe(768 * 1024);
    for (let at = 0; at < bytes; ) {
      randomFillSync(raw);
      const text = Buffer.from(raw.toString('base64'), 'latin1');
      // 80-byte rows: 38 + ',' + 39 + CRLF.
      for (let i = 38; i < text.length; i += 80) text[i] = 0x2c;
      for (let i = 78; i + 1 < text.length; i += 80) {
        text[i] = 0x0d;
        text[i + 1] = 0x0a;
      }
      const n = Math.min(text.length, bytes - at);
      writeSync(fd, text, 0, n);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}

function run(command: string, args: string[], stdout: 'ignore' | 'pipe' = 'ignore'): string {
  const result = spawnSync(command, args, { stdio: ['ignore', stdout, 'pipe'], maxBuffer: 16 * MIB, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed (${result.status ?? result.signal}): ${result.stderr.slice(-500)}`);
  return stdout === 'pipe' ? result.stdout : '';
}

function child(root: string, args: string[]): Promise<{ ms: number; bytes: number; sha256: string; lagP99Ms: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(root, 'test', 'bench', 'lib', 'import-child.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    proc.stdout.on('data', (c: Buffer) => { out += c.toString('utf8'); });
    proc.stderr.on('data', (c: Buffer) => { err += c.toString('utf8'); });
    proc.once('exit', (code) => {
      if (code !== 0) reject(new Error(`import child failed (${code ?? 'signal'}): ${err.slice(-2000)}`));
      else resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { ms: number; bytes: number; sha256: string; lagP99Ms: number });
    });
  });
}

export const measure: FigureSource = async (ctx: BenchContext) => {
  const work = mkdtempSync(path.join(tmpdir(), 'mydata-bench-import-'));
  try {
    const src = path.join(work, 'src');
    mkdirSync(src);
    const perFile = Math.floor((TARGET_MIB * MIB * TEXT_PER_ZIP_BYTE) / FILES);
    const names: string[] = [];
    for (let i = 1; i <= FILES; i++) {
      const name = path.join(src, `所得資料${i}.csv`);
      writeCsv(name, perFile);
      names.push(name);
    }
    // The website names a download after its dataset and a Taipei timestamp.
    const zip = path.join(work, '所得資料20261202120000.zip');
    run('zip', ['-q', '-j', '-P', ID, zip, ...names]);
    rmSync(src, { recursive: true, force: true });
    const size = statSync(zip).size;

    const started = performance.now();
    run('unzip', ['-qq', '-P', ID, '-p', zip]);
    const unzipMs = performance.now() - started;
    const sha = run('sha256sum', [zip], 'pipe').split(' ')[0];
    const comparator = performance.now() - started;

    const imported = await child(ctx.root, [zip, work, ID]);
    if (imported.sha256 !== sha) throw new Error('the import recorded another SHA-256 than sha256sum');
    const ratio = Math.round((imported.ms / comparator) * 100) / 100;
    return {
      'import.ratio_vs_unzip': {
        value: ratio,
        unit: 'ratio',
        budget: 2.0,
        note: `${(size / MIB).toFixed(0)} MiB ZipCrypto zip (${FILES} CSVs, ${(imported.bytes / MIB).toFixed(0)} MiB inflated): import ${Math.round(imported.ms)} ms vs unzip -P to /dev/null ${Math.round(unzipMs)} ms + sha256sum ${Math.round(comparator - unzipMs)} ms (one run each; import event-loop delay p99 ${imported.lagP99Ms.toFixed(1)} ms)`,
      },
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
};
