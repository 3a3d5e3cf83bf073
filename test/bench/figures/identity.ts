// Identity figures: the app's own overhead for one sandbox verification, excluding the time "in the browser".
//
// identity.login_ms — method: one IdentityService (as main keeps one) verifies 王小明 with 自然人憑證 at the sandbox's
// TWCA IdP, RUNS times after one warm-up (the warm-up also fills the caches the app keeps: platform metadata, OIDC
// discovery, the IdP's JWKS). Each run times begin() → session resolved, and subtracts the time the scripted browser
// spent driving the IdP's pages (IdpDriver.elapsedMs: every request from the authorization URL to the redirect towards
// the loopback, the IdP's own page work included). What remains is the app: loopback start, DPoP key generation, PKCE,
// the PAR round trip, the callback, the token exchange with its DPoP proof, ID token validation (signature included),
// the acr/subject checks and the session. Median reported; cold (first) run in the note.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox } from '../../../electron/sandbox/index.ts';
import { IdentityService } from '../../../electron/core/identity/index.ts';
import { IdpDriver, deliver } from '../../integration/identity/idp-driver.ts';
import { median, type FigureSource, type Measured } from '../types.ts';

const RUNS = Number(process.env.BENCH_IDENTITY_RUNS ?? 15);

export const measure: FigureSource = async () => {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'mydata-bench-identity-'));
  const sandbox = await startSandbox({ stateDir, preparationMs: 0 });
  try {
    let driver = new IdpDriver();
    const service = new IdentityService({
      platformUrl: sandbox.platform,
      openBrowser: async (url) => {
        const d = driver;
        void d.authorize(url, { subject: 'wang-hsiao-ming', method: 'moica', pin: '246810' }).then(deliver);
      },
    });
    const issuer = sandbox.idps.find((i) => i.id === 'twca')?.issuer ?? '';
    const once = async (): Promise<{ total: number; browser: number }> => {
      driver = new IdpDriver();
      const started = performance.now();
      const tx = await service.begin({ subjectType: 'natural', issuer, requiredLevel: 2, datasets: ['API.UDauDOLyZg'] });
      await tx.session;
      const total = performance.now() - started;
      return { total, browser: driver.elapsedMs };
    };
    const cold = await once();
    const overheads: number[] = [];
    const totals: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await once();
      overheads.push(r.total - r.browser);
      totals.push(r.total);
    }
    const figure: Measured = {
      value: Math.round(median(overheads)),
      unit: 'ms',
      budget: 150,
      note: `begin() → session minus time driving the IdP pages, median of ${RUNS} warm runs (min ${Math.round(Math.min(...overheads))}, max ${Math.round(Math.max(...overheads))}; whole login incl. browser ${Math.round(median(totals))} ms); cold first run ${Math.round(cold.total - cold.browser)} ms`,
    };
    return { 'identity.login_ms': figure };
  } finally {
    await sandbox.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
};
