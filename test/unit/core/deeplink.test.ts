// Deep links (G5): only exact request links from known platforms; everything else refused with a named code.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deepLinkCode } from './deeplink-code.ts';
import { findDeepLinkArg, parseDeepLink } from '../../../electron/core/deeplink/parse.ts';

const known = ['http://127.0.0.1:4000'];
const link = (q: string) => `mydata-desktop://request?${q}`;
const good = link('platform=http%3A%2F%2F127.0.0.1%3A4000&request_uri=urn%3Amydata%3Areq-8f2a');

const codeOf = (raw: string): string => deepLinkCode(raw, known);

describe('deep links', () => {
  it('parses a request from a known platform', () => {
    expect(parseDeepLink(good, known)).toEqual({ kind: 'request', platform: 'http://127.0.0.1:4000', requestUri: 'urn:mydata:req-8f2a' });
    expect(parseDeepLink(good.replace('request?', 'request/?'), known).kind).toBe('request');
  });

  it.each([
    ['unknown platform', link('platform=https%3A%2F%2Fevil.example&request_uri=urn%3Amydata%3Ax'), 'DEEPLINK_UNKNOWN_PLATFORM'],
    ['another port', link('platform=http%3A%2F%2F127.0.0.1%3A4001&request_uri=urn%3Amydata%3Ax'), 'DEEPLINK_UNKNOWN_PLATFORM'],
    ['http off loopback', link('platform=http%3A%2F%2Fmydata.example&request_uri=urn%3Amydata%3Ax'), 'DEEPLINK_MALFORMED'],
    ['platform with a path', link('platform=http%3A%2F%2F127.0.0.1%3A4000%2Fx&request_uri=urn%3Amydata%3Ax'), 'DEEPLINK_MALFORMED'],
    ['platform with credentials', link('platform=http%3A%2F%2Fa%3Ab%40127.0.0.1%3A4000&request_uri=urn%3Amydata%3Ax'), 'DEEPLINK_MALFORMED'],
    ['missing request_uri', link('platform=http%3A%2F%2F127.0.0.1%3A4000'), 'DEEPLINK_MALFORMED'],
    ['duplicate parameter', `${good}&request_uri=urn%3Amydata%3Ay`, 'DEEPLINK_MALFORMED'],
    ['extra parameter', `${good}&redirect=https%3A%2F%2Fevil.example`, 'DEEPLINK_MALFORMED'],
    ['request_uri not a urn', link('platform=http%3A%2F%2F127.0.0.1%3A4000&request_uri=https%3A%2F%2Fevil.example'), 'DEEPLINK_MALFORMED'],
    ['fragment', `${good}#x`, 'DEEPLINK_MALFORMED'],
    ['other action', 'mydata-desktop://download?platform=x', 'DEEPLINK_UNSUPPORTED'],
    ['other scheme', 'https://127.0.0.1:4000/request', 'DEEPLINK_UNSUPPORTED'],
    ['whitespace inside', good.replace('request?', 'request ?'), 'DEEPLINK_MALFORMED'],
    ['too long', `${good}${'a'.repeat(3000)}`, 'DEEPLINK_MALFORMED'],
    ['empty', '', 'DEEPLINK_MALFORMED'],
  ])('refuses %s', (_name, raw, code) => {
    expect(codeOf(raw)).toBe(code);
  });

  it('never throws anything but a named AppFailure, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl(), fc.string().map((s) => `mydata-desktop://request?${s}`)), (raw) => {
        const code = codeOf(raw);
        expect(code === 'OK' || code.startsWith('DEEPLINK_')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('finds the link among process arguments (Windows, Linux)', () => {
    expect(findDeepLinkArg(['app.exe', '--flag', good])).toBe(good);
    expect(findDeepLinkArg(['app.exe'])).toBeNull();
  });
});
