// A sandbox package verified with the command line alone (openssl, sha256sum, unzip), independently of the project's code (docs/package-format.md).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../../electron/sandbox/index.ts';
import { fullConsent, login, platformFetch } from './helpers.ts';

const tools = ['openssl', 'sha256sum', 'unzip'];
const missing = tools.filter((t) => {
  try {
    execFileSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
});

let sandbox: RunningSandbox;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mydata-sandbox-openssl-'));
  sandbox = await startSandbox({ stateDir: join(dir, 'state'), preparationMs: 0 });
});
afterAll(async () => {
  await sandbox.stop();
  rmSync(dir, { recursive: true, force: true });
});

const run = (cmd: string, args: string[], cwd: string): string => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test.skipIf(missing.length > 0)(`each provider part verifies with openssl and sha256sum alone (needs ${tools.join(', ')}; missing: ${missing.join(', ') || 'none'})`, async () => {
  const session = await login(sandbox, { subject: 'lin-mei-hua', method: 'moica', pin: '135790', scopes: ['API.UDauDOLyZg'] });
  const created = await platformFetch(sandbox, session, '/transactions', { body: fullConsent(sandbox, 'sd-household') });
  const { tx_id: tx } = (await created.json()) as { tx_id: string };
  const response = await platformFetch(sandbox, session, `/transactions/${tx}/package`);
  expect(response.status).toBe(200);
  const work = join(dir, 'pkg');
  run('mkdir', ['-p', work], dir);
  writeFileSync(join(work, 'package.zip'), new Uint8Array(await response.arrayBuffer()));
  // The trust anchor as the platform publishes it, not as the code holds it.
  const meta = (await (await fetch(`${sandbox.platform}/.well-known/mydata-platform`)).json()) as { trust_anchors: string[] };
  writeFileSync(join(work, 'anchor.pem'), meta.trust_anchors[0] ?? '');

  run('unzip', ['-q', 'package.zip', '-d', 'outer'], work);
  const outer = readFileSync(join(work, 'outer', 'META-INFO', 'manifest.xml'), 'utf8');
  const parts = [...outer.matchAll(/<filename>([^<]+)<\/filename>/g)].map((m) => m[1] ?? '');
  expect(parts).toEqual(['API.UDauDOLyZg.zip']);

  for (const part of parts) {
    const partDir = join(work, part.replace(/\.zip$/, ''));
    run('unzip', ['-q', join(work, 'outer', part), '-d', partDir], work);
    const meta = join(partDir, 'META-INFO');
    run('openssl', ['x509', '-inform', 'DER', '-in', join(meta, 'certificate.cer'), '-out', join(meta, 'cert.pem')], partDir);
    expect(run('openssl', ['verify', '-CAfile', join(work, 'anchor.pem'), join(meta, 'cert.pem')], partDir)).toContain(': OK');
    run('openssl', ['x509', '-in', join(meta, 'cert.pem'), '-pubkey', '-noout', '-out', join(meta, 'pub.pem')], partDir);
    expect(run('openssl', ['dgst', '-sha256', '-verify', join(meta, 'pub.pem'), '-signature', join(meta, 'manifest.sha256withrsa'), join(meta, 'manifest.xml')], partDir)).toContain('Verified OK');

    const manifest = readFileSync(join(meta, 'manifest.xml'), 'utf8');
    const listed = [...manifest.matchAll(/<file><filename>([^<]+)<\/filename><digest>([0-9a-fA-F]{64})<\/digest><\/file>/g)].map((m) => `${(m[2] ?? '').toLowerCase()}  ${m[1] ?? ''}`);
    expect(listed.map((l) => l.split('  ')[1]).sort()).toEqual(['API.UDauDOLyZg.json', 'API.UDauDOLyZg.pdf']);
    writeFileSync(join(partDir, 'SHA256SUMS'), `${listed.join('\n')}\n`);
    expect(run('sha256sum', ['--check', '--strict', 'SHA256SUMS'], partDir)).toMatch(/API.UDauDOLyZg\.json: OK\nAPI.UDauDOLyZg\.pdf: OK/);
    // Nothing outside the manifest besides META-INFO (no file missing or extra).
    expect(readdirSync(partDir).filter((f) => f !== 'META-INFO' && f !== 'SHA256SUMS').sort()).toEqual(['API.UDauDOLyZg.json', 'API.UDauDOLyZg.pdf']);

    // A flipped byte in the manifest breaks the signature: the check above is not vacuous.
    const tampered = Buffer.from(readFileSync(join(meta, 'manifest.xml')));
    const at = tampered.length - 3;
    tampered.writeUInt8((tampered.readUInt8(at) ^ 1) & 0xff, at);
    writeFileSync(join(meta, 'manifest.xml'), tampered);
    expect(() => run('openssl', ['dgst', '-sha256', '-verify', join(meta, 'pub.pem'), '-signature', join(meta, 'manifest.sha256withrsa'), join(meta, 'manifest.xml')], partDir)).toThrow();
  }
});
