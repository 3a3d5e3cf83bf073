// shell.openExternal allowlist (parsed origin, normalised href) and the preload's channel names.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IPC_EVENT, IPC_INVOKE } from '../../../electron/contract/index.ts';
import { allowedExternalHref, parseExternalUrl } from '../../../electron/main/security.ts';

const allow = ['https://idp.example.tw', 'http://127.0.0.1:4100'];

describe('external URL allowlist: the parsed origin is checked and the normalised href is what opens', () => {
  it.each<[string, string | null]>([
    ['https://idp.example.tw/authorize?x=1', 'https://idp.example.tw/authorize?x=1'],
    ['http://127.0.0.1:4100/auth', 'http://127.0.0.1:4100/auth'],
    // Mixed case, a default port, an IPv4 shorthand, IDNA full stops: allowed only as the normalised href.
    ['HTTPS://IDP.Example.TW/Authorize', 'https://idp.example.tw/Authorize'],
    ['https://idp.example.tw:443/a', 'https://idp.example.tw/a'],
    ['http://127.1:4100/a', 'http://127.0.0.1:4100/a'],
    ['https://idp\u3002example\u3002tw/a', 'https://idp.example.tw/a'],
    ['https://idp.example.tw/a/../b', 'https://idp.example.tw/b'],
    // Backslashes: parsers disagree on them (userinfo or path?), so they never pass.
    ['http://127.0.0.1:4100\\@evil/', null],
    ['http://127.0.0.1:4100\\@evil.example/', null],
    ['https:\\\\idp.example.tw/', null],
    ['https://idp.example.tw\\.evil.example/', null],
    ['https://idp.example.tw/path\\x', null],
    // Userinfo, in every position.
    ['http://127.0.0.1:4100@evil.example/', null],
    ['http://evil@127.0.0.1:4100/', null],
    ['https://user:pw@idp.example.tw/', null],
    ['https://:@idp.example.tw/', null],
    ['https://idp.example.tw%40evil.example/', null],
    // Look-alike hosts: trailing dot, suffixes, IDN homographs, IDNA full stops that make another host.
    ['https://idp.example.tw./', null],
    ['https://idp.example.tw.evil.com/', null],
    ['https://\u0456dp.example.tw/', null],
    ['https://xn--dp-jfd.example.tw/', null],
    ['https://idp.example.tw\u3002evil.example/', null],
    ['https://idp.example.tw\uff0eevil.example/', null],
    // Ports and loopback aliases.
    ['http://127.0.0.1:4101/auth', null],
    ['http://127.0.0.1/auth', null],
    ['https://idp.example.tw:8443/', null],
    ['http://localhost:4100/', null],
    ['http://[::ffff:127.0.0.1]:4100/', null],
    ['http://[::1]:4100/', null],
    // Whitespace and control characters the URL parser would silently drop.
    [' https://idp.example.tw/', null],
    ['https://idp.exa\tmple.tw/', null],
    ['https://idp.example.tw/\n', null],
    ['https://idp.example.tw/\u0000', null],
    ['https://idp.example.tw/\u200b', null],
    // Schemes.
    ['http://idp.example.tw/', null],
    ['file:///etc/passwd', null],
    ['javascript:alert(1)', null],
    ['mydata-desktop://request', null],
    ['not a url', null],
    ['smb://idp.example.tw/share', null],
    ['', null],
  ])('%j → %j', (url, expected) => {
    expect(allowedExternalHref(url, allow)).toBe(expected);
  });

  it('parseExternalUrl refuses what may never reach the browser, whatever the allowlist', () => {
    expect(parseExternalUrl('http://127.0.0.1:4100\\@evil/')).toBeNull();
    expect(parseExternalUrl('https://a.example/')?.href).toBe('https://a.example/');
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
