// A whole verification writes no token, code, key or national ID anywhere under the profile folder.
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../../electron/sandbox/index.ts';
import { IdentityService } from '../../../electron/core/identity/index.ts';
import { decodeProtectedHeader } from 'jose';
import { interceptingFetch, PERSONAS, scriptedBrowser } from './fixture.ts';

let profile: string;
let sandbox: RunningSandbox;
const saved = { HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };

beforeAll(async () => {
  profile = await mkdtemp(join(tmpdir(), 'identity-profile-'));
  // Everything that might write "somewhere" (home, temp) points into the profile, so the search below sees it.
  process.env.HOME = profile;
  process.env.TMPDIR = profile;
  sandbox = await startSandbox({ stateDir: join(profile, 'sandbox'), preparationMs: 0 });
});
afterAll(async () => {
  await sandbox.stop();
  process.env.HOME = saved.HOME;
  process.env.TMPDIR = saved.TMPDIR;
  await rm(profile, { recursive: true, force: true });
});

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await allFiles(path));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

it('after a whole login, no file under the profile holds the token, code, DPoP key or national ID', async () => {
  const seen: { accessToken?: string; idToken?: string; dpopX?: string } = {};
  const fetch = interceptingFetch({
    response: async (url, res) => {
      if (url.pathname === '/token' && res.status === 200) {
        const body = await res.clone().json() as { access_token: string; id_token: string };
        seen.accessToken = body.access_token;
        seen.idToken = body.id_token;
      }
      return res;
    },
  });
  const observing: typeof fetch = async (url, init) => {
    const proof = new Headers(init.headers).get('dpop');
    if (proof) seen.dpopX = (decodeProtectedHeader(proof).jwk as { x: string }).x;
    return fetch(url, init);
  };
  const browser = scriptedBrowser({ subject: PERSONAS.qingshan.subject, method: 'moeaca', pin: PERSONAS.qingshan.pin });
  const service = new IdentityService({ platformUrl: sandbox.platform, openBrowser: browser.openBrowser, fetch: observing });
  const idp = sandbox.idps.find((i) => i.id === 'twca')!;
  const session = await (await service.begin({ subjectType: 'legal', issuer: idp.issuer, requiredLevel: 0.5, datasets: ['company-registration'] })).session;
  expect(session.company?.ban).toBe(PERSONAS.qingshan.ban);
  // The platform accepts the token: a real login happened.
  const res = await service.platformClient().fetch('/transactions', { method: 'POST', json: {} });
  expect(res.status).not.toBe(401);
  // A whatever-the-app-writes stand-in, so the search is shown to find things that are there.
  await writeFile(join(profile, 'settings.json'), JSON.stringify({ language: 'zh-TW', lastIssuer: idp.issuer }));
  service.signOut();

  const code = browser.redirects[0]!.searchParams.get('code')!;
  const secrets: Record<string, string> = {
    accessToken: seen.accessToken!,
    idToken: seen.idToken!,
    code,
    dpopPublicX: seen.dpopX!,
    nationalId: PERSONAS.qingshan.nationalId,
    nationalIdBase64: Buffer.from(PERSONAS.qingshan.nationalId).toString('base64'),
  };
  for (const [name, value] of Object.entries(secrets)) expect(value, name).toMatch(/.{8,}/);

  const files = await allFiles(profile);
  expect(files.length).toBeGreaterThan(2);
  const search = async (needles: Record<string, string>): Promise<string[]> => {
    const hits: string[] = [];
    for (const file of files) {
      if ((await stat(file)).size > 50 * 1024 * 1024) continue;
      const bytes = await readFile(file);
      const text = bytes.toString('utf8');
      const wide = bytes.toString('utf16le');
      for (const [name, value] of Object.entries(needles)) {
        if (text.includes(value) || wide.includes(value)) hits.push(`${name} in ${file.slice(profile.length)}`);
      }
    }
    return hits;
  };
  expect(await search(secrets)).toEqual([]);
  // The same search does find what is written: the issuer the stand-in settings file holds.
  expect(await search({ issuer: idp.issuer })).toContain('issuer in /settings.json');
});
