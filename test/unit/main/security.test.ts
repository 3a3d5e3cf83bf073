// shell.openExternal allowlist and the preload's channel names.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IPC_EVENT, IPC_INVOKE } from '../../../electron/contract/index.ts';
import { isAllowedExternalUrl } from '../../../electron/main/security.ts';

const allow = ['https://idp.example.tw', 'http://127.0.0.1:4100'];

describe('external URL allowlist', () => {
  it.each([
    ['https://idp.example.tw/authorize?x=1', true],
    ['http://127.0.0.1:4100/auth', true],
    ['http://127.0.0.1:4101/auth', false],
    ['https://idp.example.tw.evil.com/', false],
    ['https://user:pw@idp.example.tw/', false],
    ['http://idp.example.tw/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['mydata-desktop://request', false],
    ['not a url', false],
    ['smb://idp.example.tw/share', false],
  ])('%s → %s', (url, expected) => {
    expect(isAllowedExternalUrl(url, allow)).toBe(expected);
  });
});

describe('preload', () => {
  it('uses the contract channel names and exposes only invoke and on', () => {
    const source = readFileSync(new URL('../../../electron/preload/index.ts', import.meta.url), 'utf8');
    expect(source).toContain(`'${IPC_INVOKE}'`);
    expect(source).toContain(`'${IPC_EVENT}'`);
    expect(source).toMatch(/exposeInMainWorld\('mydata', Object\.freeze\(api\)\)/);
    expect(source).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    const apiBlock = source.slice(source.indexOf('const api'), source.indexOf('contextBridge.'));
    const methods = [...apiBlock.matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]);
    expect(methods).toEqual(['invoke', 'on']);
  });
});
