// Deep links as the consent journey meets them (G5): hostile variants of a request link are refused with a named code,
// and only an exact link from the known platform ever yields a request (complements test/unit/core/deeplink.test.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepLinkCode } from '../core/deeplink-code.ts';
import { parseDeepLink } from '../../../electron/core/deeplink/parse.ts';

const PLATFORM = 'http://127.0.0.1:4000';
const known = [PLATFORM];
const enc = encodeURIComponent;
const link = (platform: string, uri: string) => `mydata-desktop://request?platform=${enc(platform)}&request_uri=${enc(uri)}`;

const codeOf = (raw: string): string => deepLinkCode(raw, known);

describe('hostile request links', () => {
  it.each([
    ['javascript: scheme', `javascript:alert(1)//${link(PLATFORM, 'urn:mydata:request:a')}`],
    ['javascript: as the platform', link('javascript:alert(1)', 'urn:mydata:request:a')],
    ['data: as the platform', link('data:text/html,x', 'urn:mydata:request:a')],
    ['file: as the platform', link('file:///etc/passwd', 'urn:mydata:request:a')],
    ['Cyrillic а in the scheme', 'mydаta-desktop://request?platform=http%3A%2F%2F127.0.0.1%3A4000&request_uri=urn%3Amydata%3Arequest%3Aa'],
    ['full-width host letters', 'mydata-desktop://ｒequest?platform=http%3A%2F%2F127.0.0.1%3A4000&request_uri=urn%3Amydata%3Arequest%3Aa'],
    ['look-alike platform host', link('http://127.0.0.1.evil.example:4000', 'urn:mydata:request:a')],
    ['IDN look-alike platform', link('https://mydata.gov.tw.xn--80ak6aa92e.com', 'urn:mydata:request:a')],
    ['bad percent-encoding', 'mydata-desktop://request?platform=http%3A%2F%2F127.0.0.1%3A4000&request_uri=urn%3Amydata%3A%E0%A4%A'],
    ['encoded NUL in the urn', link(PLATFORM, 'urn:mydata:request:a\u0000b')],
    ['non-ASCII urn', link(PLATFORM, 'urn:mydata:request:申請')],
    ['repeated platform', `${link(PLATFORM, 'urn:mydata:request:a')}&platform=${enc(PLATFORM)}`],
    ['user info in the link', 'mydata-desktop://user@request?platform=http%3A%2F%2F127.0.0.1%3A4000&request_uri=urn%3Amydata%3Arequest%3Aa'],
    ['oversize urn', link(PLATFORM, `urn:mydata:request:${'a'.repeat(250)}`)],
    ['oversize link', `${link(PLATFORM, 'urn:mydata:request:a')}${'&x'.repeat(1100)}`],
  ])('refuses %s', (_name, raw) => {
    expect(codeOf(raw)).toMatch(/^DEEPLINK_/);
  });

  it('accepts the exact link and yields exactly its request_uri', () => {
    expect(parseDeepLink(link(PLATFORM, 'urn:mydata:request:Ab-9_x'), known)).toEqual({ kind: 'request', platform: PLATFORM, requestUri: 'urn:mydata:request:Ab-9_x' });
  });

  it('any extra parameter, whatever its name and value, is refused (property)', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 40 }), (name, value) => {
      return codeOf(`${link(PLATFORM, 'urn:mydata:request:a')}&${enc(name)}=${enc(value)}`).startsWith('DEEPLINK_');
    }), { numRuns: 300 });
  });

  it('a platform other than the known one never yields a request (property)', () => {
    fc.assert(fc.property(fc.webUrl(), (url) => {
      fc.pre(new URL(url).origin !== PLATFORM);
      return codeOf(link(url, 'urn:mydata:request:a')) !== 'OK';
    }), { numRuns: 300 });
  });
});
