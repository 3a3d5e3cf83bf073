// The manifest reader on fast-xml-parser keeps the hand-written reader's strictness: each hostile shape is refused by name.
import { describe, expect, it } from 'vitest';
import { AppFailure } from '../../../electron/contract/errors.ts';
import { PackageErrorCode, parseProviderManifest } from '../../../electron/core/package/index.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const DIGEST = 'ab'.repeat(32);
const file = (name: string) => `<file><filename>${name}</filename><digest>${DIGEST}</digest></file>`;

function refusal(text: string | Uint8Array): string {
  try {
    parseProviderManifest(typeof text === 'string' ? enc(text) : text);
  } catch (error) {
    expect(error).toBeInstanceOf(AppFailure);
    expect((error as AppFailure).code).toBe(PackageErrorCode.MANIFEST_INVALID);
    return (error as AppFailure).message;
  }
  return 'accepted';
}

describe('manifest XML', () => {
  it('reads character references, the five built-in entities and CDATA', () => {
    expect(parseProviderManifest(enc(`<files>${file('&#x41;&#66;&amp;&lt;&gt;&quot;&apos;')}${file('<![CDATA[c<d]]>')}</files>`)).map((e) => e.filename))
      .toEqual(['AB&<>"\'', 'c<d']);
  });

  it.each([
    ['a DOCTYPE with an entity', `<?xml version="1.0"?><!DOCTYPE files [<!ENTITY a "aaaa">]><files>${file('&a;')}</files>`],
    ['an undeclared entity', `<files>${file('&a;')}</files>`],
    ['a processing instruction', `<files><?evil x?>${file('a')}</files>`],
    ['an unclosed root', `<files>${file('a')}`],
    ['a mismatched closing tag', `<files>${file('a')}</file>`],
    ['a second root', `<files>${file('a')}</files><files/>`],
    ['text after the root', `<files>${file('a')}</files>junk`],
    ['another encoding', `<?xml version="1.0" encoding="Big5"?><files>${file('a')}</files>`],
    ['mixed content', `<files>text${file('a')}</files>`],
    ['nesting too deep', `<files><file><filename>${'<x>'.repeat(10)}${'</x>'.repeat(10)}</filename></file></files>`],
  ])('refuses %s', (_title, text) => {
    expect(refusal(text)).not.toBe('accepted');
  });

  it('refuses a manifest over the size limit without parsing it', () => {
    expect(refusal(new Uint8Array(4 * 1024 * 1024 + 1).fill(0x20))).toMatch(/larger than/);
  });
});
