// The composed openExternal: the system browser gets the parsed, normalised href of an allowlisted origin, never the raw string.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { composeApp, type ComposedApp } from '../../../electron/main/compose.ts';
import { createEventEmitter, isAppProtocolUrl } from '../../../electron/main/ipc.ts';
import { memoryStore } from '../../support/memory-store.ts';
import { insecureTestProtector } from '../vault/helpers.ts';

let dir: string;
let app: ComposedApp;
let opened: string[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mydata-open-external-'));
  opened = [];
  app = composeApp({
    settingsStore: memoryStore(),
    keyProtector: insecureTestProtector(),
    shell: {
      open: (url) => {
        opened.push(url);
        return Promise.resolve();
      },
    },
    clock: { now: () => new Date() },
    emit: createEventEmitter({ send: () => undefined }),
    runtime: 'bridge',
    version: '0.0.0-test',
    profileDir: dir,
    platformUrl: 'http://127.0.0.1:4100',
    isTrustedOrigin: isAppProtocolUrl,
  });
});

afterEach(async () => {
  app.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('composed openExternal', () => {
  it('opens the normalised href, not the string it was given', async () => {
    await app.openExternal('HTTP://127.1:4100/notices/../terms');
    expect(opened).toEqual(['http://127.0.0.1:4100/terms']);
  });

  it.each(['http://127.0.0.1:4100\\@evil/', 'http://127.0.0.1:4100@evil/', 'http://evil@127.0.0.1:4100/', ' http://127.0.0.1:4100/', 'http://127.0.0.1:41000/', 'https://evil.example/'])(
    'refuses %j with EXTERNAL_URL_REFUSED and opens nothing',
    async (raw) => {
      await expect(app.openExternal(raw)).rejects.toMatchObject({ code: 'EXTERNAL_URL_REFUSED' });
      expect(opened).toEqual([]);
    },
  );
});
