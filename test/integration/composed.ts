// The composed app (electron/main/compose.ts) in plain Node against an embedded sandbox, for integration tests that
// need the real wiring across a restart: start() composes it on a profile folder (call again for "the next run"),
// call() goes through the dispatcher as the renderer would, verify() signs Wang Hsiao-ming in at TWCA.
import { composeApp, type ComposedApp } from '../../electron/main/compose.ts';
import { createEventEmitter, type SenderInfo } from '../../electron/main/ipc.ts';
import { insecureTestProtector } from '../unit/vault/helpers.ts';
import { PERSONAS, scriptedBrowser, type SandboxHandle } from './identity/fixture.ts';
import { memoryStore } from '../support/memory-store.ts';

const SENDER: SenderInfo = { frameUrl: 'app://app/index.html#/', isTopFrame: true };

export interface ComposedWorld {
  start(): ComposedApp;
}

/** One settings store shared by every run, as electron-store's file would be. */
export function composedWorld(h: SandboxHandle, profileDir: string): ComposedWorld {
  const settingsStore = memoryStore();
  return {
    start() {
      return composeApp({
        settingsStore,
        keyProtector: insecureTestProtector(),
        // A fresh browser for every sign-in: the person goes through the IdP's pages each time.
        shell: { open: (url) => scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'moica', pin: PERSONAS.wang.pin }).openBrowser(url) },
        clock: { now: () => new Date() },
        emit: createEventEmitter({ send: () => undefined }),
        runtime: 'bridge',
        version: '0.0.0-test',
        profileDir,
        platformUrl: h.sandbox.platform,
        isTrustedOrigin: (url) => url.protocol === 'app:' && url.host === 'app',
      });
    },
  };
}

export async function call<T>(app: ComposedApp, channel: string, payload: unknown): Promise<T> {
  const answer = (await app.dispatcher.dispatch(SENDER, channel, payload)) as { ok: boolean; value?: unknown; error?: { code: string } };
  if (!answer.ok) throw new Error(`${channel}: ${answer.error?.code ?? '?'}`);
  return answer.value as T;
}

/** Signs in at the sandbox's TWCA for a service's datasets and level. */
export async function verify(h: SandboxHandle, app: ComposedApp, service: { level_required: number; datasets: readonly { id: string }[] }): Promise<void> {
  const issuer = h.sandbox.idps.find((i) => i.id === 'twca')!.issuer;
  const tx = await app.identity!.begin({ subjectType: 'natural', issuer, requiredLevel: service.level_required, datasets: service.datasets.map((d) => d.id) });
  await tx.session;
}

/** Closes a run the way quitting the app does (stores closed first, so the next run opens them cleanly). */
export async function quit(app: ComposedApp): Promise<void> {
  await app.stores.close();
  app.dispose();
}
