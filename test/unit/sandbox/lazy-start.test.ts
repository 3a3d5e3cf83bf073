// The sandbox starts without loading oidc-provider or zip.js (its start-up path stays small); an IdP builds its
// OpenID Provider on its first request and then answers as before. Observed in a child Node process, whose module
// loads a resolve hook records (vitest's own loader would hide them).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const stateDir = mkdtempSync(path.join(tmpdir(), 'sandbox-lazy-'));
afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

const CHILD = `
import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({ resolve(specifier, context, next) {
  if (specifier === 'oidc-provider' || specifier === '@zip.js/zip.js') loaded.add(specifier);
  return next(specifier, context);
} });
const { startSandbox } = await import(process.env.SANDBOX_URL);
const sandbox = await startSandbox({ stateDir: process.env.STATE_DIR, preparationMs: 0 });
const atStart = [...loaded].sort();
// Both IdPs at once: concurrent first requests share one build.
const discovery = await Promise.all(sandbox.idps.flatMap((idp) => [1, 2].map(async () => {
  const response = await fetch(idp.issuer + '/.well-known/openid-configuration');
  const body = await response.json();
  return { expected: idp.issuer, status: response.status, issuer: body.issuer, par: body.pushed_authorization_request_endpoint?.startsWith(idp.issuer) === true };
})));
const afterFirstRequest = [...loaded].sort();
await sandbox.stop();
console.log('LAZY-REPORT ' + JSON.stringify({ atStart, afterFirstRequest, discovery }));
`;

describe('sandbox start-up', () => {
  it('loads oidc-provider only on the first request to an IdP, which then answers its discovery document', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', CHILD], {
      env: { ...process.env, SANDBOX_URL: pathToFileURL(path.resolve(import.meta.dirname, '../../../electron/sandbox/index.ts')).href, STATE_DIR: stateDir },
      timeout: 60_000,
    });
    const line = stdout.split('\n').find((l) => l.startsWith('LAZY-REPORT '));
    expect(line).toBeDefined();
    const report = JSON.parse((line ?? '').slice('LAZY-REPORT '.length));
    expect(report.atStart).toEqual([]);
    expect(report.afterFirstRequest).toEqual(['oidc-provider']);
    expect(report.discovery).toHaveLength(4);
    for (const d of report.discovery) expect(d).toEqual({ expected: d.expected, status: 200, issuer: d.expected, par: true });
  }, 90_000);
});
