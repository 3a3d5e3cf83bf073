// Every message key in the catalogues is used by the source, and the first screen (what the entry bundle renders
// before any lazy import) uses only the messages that ship in the entry bundle.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistoryEventKindSchema, ImportSourceSchema } from '../../../electron/contract/history.ts';
import { hasMessage, isCatalogueLoaded, loadCatalogue, translate } from '../../../renderer/src/i18n/catalogues.ts';
import { enStart } from '../../../renderer/src/i18n/en.start.ts';
import { en } from '../../../renderer/src/i18n/en.ts';
import { zhTWStart } from '../../../renderer/src/i18n/zh-TW.start.ts';
import { zhTW } from '../../../renderer/src/i18n/zh-TW.ts';

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const rendererSrc = path.join(root, 'renderer', 'src');

/** The catalogues themselves: their keys are what is checked, not uses. */
const CATALOGUE = /(^|\/)messages(\.[\w-]+)*\.(zh-TW|en)\.ts$|\/i18n\/(zh-TW|en)(\.start)?\.ts$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.tsx?$/.test(name) && !name.endsWith('.d.ts'))
    .map((name) => path.join(dir, name))
    .filter((file) => !CATALOGUE.test(file.split(path.sep).join('/')));
}

const files = [...sourceFiles(rendererSrc), ...sourceFiles(path.join(root, 'electron'))];
const text = new Map(files.map((file) => [file, readFileSync(file, 'utf8')]));

/**
 * Keys the source builds from a value instead of writing them out: the template (its `*` is the value) and every
 * value it is built with. A template found in the source but not listed here fails the test below, so that a new
 * dynamic key is listed with its values instead of hiding every key that shares its prefix.
 */
const DYNAMIC: Record<string, { values: readonly string[]; reason: string }> = {
  'profile.*': { values: ['demo', 'official', 'platform'], reason: 'the shell and home name the profile app:info reports' },
  'settings.profile.*': { values: ['official', 'demo', 'platform'], reason: 'the profile choice lists every profile' },
  'settings.profile.*Detail': { values: ['official', 'demo', 'platform'], reason: 'each profile choice has its description' },
  'settings.theme.*': { values: ['system', 'light', 'dark', 'high-contrast'], reason: 'the theme choice lists every theme' },
  'settings.vault.current.*': { values: ['os', 'passphrase'], reason: 'the vault protection in force' },
  'settings.vault.done.*': { values: ['os', 'passphrase'], reason: 'the protection just switched to' },
  'consent.follow.state.*': {
    values: ['preparing', 'ready', 'delivered', 'partly-failed', 'failed', 'refused', 'expired'],
    reason: 'a delivery transaction’s state as the platform reports it',
  },
  'consent.follow.outcome.*': { values: ['pending', 'delivered', 'failed', 'refused'], reason: 'each dataset’s outcome in a delivery' },
  'dir.category.*': {
    values: ['executive-yuan', 'other-yuan', 'local-government', 'university', 'state-owned-enterprise', 'financial-institution'],
    reason: 'an organisation’s category from the directory',
  },
  'dir.status.*': { values: ['testing', 'pilot', 'live', 'suspended', 'terminated'], reason: 'a service’s status from the directory' },
  'dir.kind.*': { values: ['self-download', 'service-provider'], reason: 'a service’s kind from the directory' },
  'dir.subject.*': { values: ['natural', 'legal'], reason: 'who a service is for' },
  'history.result.*': { values: ['success', 'failure', 'refused', 'partial'], reason: 'a history record’s result' },
  'history.subject.*': { values: ['natural', 'legal'], reason: 'a history record’s subject type' },
  'history.kind.*': { values: HistoryEventKindSchema.options, reason: 'a history record’s kind' },
  'history.import.source.*': { values: ImportSourceSchema.options, reason: 'where an imported file came from' },
  'history.import.verdict.*': { values: ['verified', 'unsigned', 'not-verified'], reason: 'an import’s verdict, as the history records it' },
  'history.reason.*': { values: ['frame-hash', 'decrypt', 'chain', 'framing', 'checkpoint', 'content'], reason: 'why the history check failed' },
  'history.report.*': {
    values: ['rolled-back', 'replaced', 'torn-tail', 'mark-missing', 'mark-tampered', 'checkpoint-tampered'],
    reason: 'the kinds of integrity report the history keeps',
  },
  'history.receipts.*': { values: ['not-in-log', 'beyond-log'], reason: 'how a receipt disagrees with the history' },
  'history.pdpa.right.*': { values: ['view', 'copy', 'correct', 'stop', 'delete'], reason: 'the personal-data rights a letter may ask for' },
  'identity.method.*': {
    values: ['moica', 'chip-bank-card', 'hw-bank-cert', 'moeaca', 'tw-fido', 'nhi-card', 'sw-bank-cert', 'dual-id', 'otp'],
    reason: 'the verification methods identity providers offer',
  },
  'mydata.badge.*': {
    values: ['verified', 'issuer-not-recognised', 'failed', 'not-delivered', 'no-known-signer', 'unsigned'],
    reason: 'a package’s verification badge',
  },
  'mydata.source.*': { values: ['download', 'import'], reason: 'where a package came from' },
};

const allKeys = new Set(Object.keys(zhTW));

/** Message keys written out as string literals. */
function literalKeys(source: string): Set<string> {
  const found = new Set<string>();
  for (const m of source.matchAll(/(['"`])([A-Za-z][\w.-]*)\1/g)) if (allKeys.has(m[2] ?? '')) found.add(m[2] ?? '');
  return found;
}

/** Templates that build a message key (`prefix.${value}suffix`), as `prefix.*suffix`. */
function keyTemplates(source: string): Set<string> {
  const found = new Set<string>();
  for (const m of source.matchAll(/`([a-z][A-Za-z-]*(?:\.[A-Za-z-]+)*\.)\$\{[^}`]*\}([A-Za-z-]*)`/g)) {
    const template = `${m[1] ?? ''}*${m[2] ?? ''}`;
    if ([...allKeys].some((key) => key.startsWith(m[1] ?? ''))) found.add(template);
  }
  return found;
}

function expand(template: string): string[] {
  return (DYNAMIC[template]?.values ?? []).map((value) => template.replace('*', value));
}

function usedKeys(sources: Iterable<string>): Set<string> {
  const used = new Set<string>();
  for (const source of sources) {
    for (const key of literalKeys(source)) used.add(key);
    for (const template of keyTemplates(source)) for (const key of expand(template)) used.add(key);
  }
  return used;
}

/** Files the entry module imports statically, transitively (type-only imports and dynamic import() left out). */
function entryGraph(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      if (m[2]) continue;
      const target = path.resolve(path.dirname(file), m[3] ?? '');
      if (/\.tsx?$/.test(target)) queue.push(target);
    }
  }
  return [...seen];
}

describe('message keys', () => {
  it('zh-TW and English have the same keys, and the same first-screen keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zhTW).sort());
    expect(Object.keys(enStart).sort()).toEqual(Object.keys(zhTWStart).sort());
  });

  it('lists every key template the source builds, and only those', () => {
    const templates = new Set<string>();
    for (const source of text.values()) for (const template of keyTemplates(source)) templates.add(template);
    expect([...templates].sort()).toEqual(Object.keys(DYNAMIC).sort());
  });

  it('lists only dynamic keys that the catalogues define', () => {
    const missing = Object.keys(DYNAMIC).flatMap(expand).filter((key) => !allKeys.has(key));
    expect(missing).toEqual([]);
  });

  it('uses every key of the catalogues somewhere in the renderer or electron source', () => {
    const used = usedKeys(text.values());
    expect([...allKeys].filter((key) => !used.has(key))).toEqual([]);
  });

  it('renders the first screen with the messages of the entry bundle only', () => {
    const graph = entryGraph(path.join(rendererSrc, 'main.tsx'));
    // The walk must reach the shell and home; a broken walk would pass vacuously.
    expect(graph.map((file) => path.basename(file))).toEqual(expect.arrayContaining(['Shell.tsx', 'HomePage.tsx', 'zh-TW.start.ts']));
    const firstScreen = usedKeys(graph.filter((file) => !CATALOGUE.test(file.split(path.sep).join('/'))).map((file) => readFileSync(file, 'utf8')));
    expect([...firstScreen].filter((key) => !Object.hasOwn(zhTWStart, key)).sort()).toEqual([]);
  });

  it('ships none of the later screens’ messages in the entry bundle', () => {
    const graph = entryGraph(path.join(rendererSrc, 'main.tsx'));
    expect(graph.some((file) => file.endsWith(`${path.sep}i18n${path.sep}zh-TW.ts`))).toBe(false);
    expect(graph.some((file) => file.endsWith(`${path.sep}i18n${path.sep}en.ts`))).toBe(false);
  });
});

describe('loading the catalogues', () => {
  // Runs in order: nothing in this file has loaded a catalogue through loadCatalogue before.
  it('shows the first screen from the entry bundle, and a later screen\'s messages once zh-TW is loaded whole', async () => {
    expect(isCatalogueLoaded('zh-TW')).toBe(true);
    expect(isCatalogueLoaded('en')).toBe(false);
    expect(translate('zh-TW', 'home.title')).toBe(zhTWStart['home.title']);
    expect(hasMessage('settings.saved')).toBe(false);
    // English not loaded yet reads as zh-TW.
    expect(translate('en', 'nav.home')).toBe(zhTWStart['nav.home']);

    const [first, second] = await Promise.all([loadCatalogue('zh-TW'), loadCatalogue('zh-TW')]);
    expect(second).toBe(first);
    expect(translate('zh-TW', 'settings.saved')).toBe(zhTW['settings.saved']);
    expect(hasMessage('settings.saved')).toBe(true);
    expect(hasMessage('no.such.key')).toBe(false);

    await loadCatalogue('en');
    expect(isCatalogueLoaded('en')).toBe(true);
    expect(translate('en', 'settings.saved')).toBe(en['settings.saved']);
  });
});
