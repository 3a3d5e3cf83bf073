// Shared set-up for the identity integration tests: a real sandbox on 127.0.0.1 and an IdentityService whose "browser" is the IdP driver.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../../electron/sandbox/index.ts';
import { IdentityService, type IdentityServiceOptions, type NetworkFetch } from '../../../electron/core/identity/index.ts';
export { codeOf } from '../../support/outcomes.ts';
import { IdpDriver, deliver, type Delivered, type PersonaChoice } from './idp-driver.ts';

export interface SandboxHandle {
  sandbox: RunningSandbox;
  stateDir: string;
  close(): Promise<void>;
}

export async function openSandbox(): Promise<SandboxHandle> {
  const stateDir = await mkdtemp(join(tmpdir(), 'identity-sandbox-'));
  const sandbox = await startSandbox({ stateDir, preparationMs: 0 });
  return {
    sandbox,
    stateDir,
    close: async () => {
      await sandbox.stop();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

export const PERSONAS = {
  /** 王小明: MOICA PIN 246810. */
  wang: { subject: 'wang-hsiao-ming', pin: '246810', nationalId: 'H126047583', name: '王小明' },
  /** 青山綠能 (53028473), represented by 陳志強 (PIN 112233). */
  qingshan: { subject: 'qingshan-green', pin: '112233', nationalId: 'K135792468', name: '陳志強', ban: '53028473' },
} as const;

export interface Browser {
  driver: IdpDriver;
  /** The URLs the service asked the browser to open. */
  opened: string[];
  /** What the browser saw when it loaded the loopback redirect. */
  pages: Delivered[];
  /** The redirect the IdP sent, before any tampering. */
  redirects: URL[];
}

/**
 * A browser for the service: drives the IdP for `choice`, then lets `tamper` rewrite the redirect (an attacker's
 * move) before loading it. `hold` keeps the redirect undelivered, for tests that deliver it themselves.
 */
export function scriptedBrowser(choice: PersonaChoice, options: { tamper?: (url: URL) => URL | Promise<URL>; hold?: boolean } = {}): Browser & { openBrowser: (url: string) => Promise<void> } {
  const browser: Browser = { driver: new IdpDriver(), opened: [], pages: [], redirects: [] };
  const openBrowser = async (url: string): Promise<void> => {
    browser.opened.push(url);
    // Like shell.openExternal, opening returns at once; the person's work happens afterwards.
    void (async () => {
      const redirect = await browser.driver.authorize(url, choice);
      browser.redirects.push(redirect);
      if (options.hold) return;
      const target = options.tamper ? await options.tamper(new URL(redirect)) : redirect;
      browser.pages.push(await deliver(target));
    })().catch((error: unknown) => {
      browser.pages.push({ status: -1, html: String(error) });
    });
  };
  return Object.assign(browser, { openBrowser });
}

export function serviceFor(handle: SandboxHandle, openBrowser: (url: string) => Promise<void>, extra: Partial<IdentityServiceOptions> = {}): IdentityService {
  return new IdentityService({ platformUrl: handle.sandbox.platform, openBrowser, ...extra });
}

/** A network fetch that lets a test rewrite a request body or a response on its way, as an attacker on the path would. */
export function interceptingFetch(hooks: {
  request?: (url: URL, body: URLSearchParams | undefined) => URLSearchParams | undefined;
  response?: (url: URL, response: Response) => Promise<Response>;
}): NetworkFetch {
  return async (url, init) => {
    const u = new URL(url);
    let body = init.body;
    if (hooks.request && typeof body === 'string') body = hooks.request(u, new URLSearchParams(body))?.toString() ?? body;
    else if (hooks.request && body instanceof URLSearchParams) body = hooks.request(u, body) ?? body;
    const res = await fetch(url, { ...init, body });
    return hooks.response ? hooks.response(u, res) : res;
  };
}

