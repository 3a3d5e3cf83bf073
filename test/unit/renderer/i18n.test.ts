// The two message catalogues: same keys, no empty strings, same placeholders; interpolation and date display.
import { describe, expect, it } from 'vitest';
import { formatDate, joinList, loadCatalogue, pick, pickField, placeholders, translate } from '../../../renderer/src/i18n/catalogues.ts';
import { en as enCatalogue } from '../../../renderer/src/i18n/en.ts';
import { zhTW } from '../../../renderer/src/i18n/zh-TW.ts';

const zh = zhTW;
const en = enCatalogue;
// English loads on demand in the app, and the rest of zh-TW with the first later screen; translate() reads them once loaded.
await loadCatalogue('en');
await loadCatalogue('zh-TW');

describe('message catalogues', () => {
  it('zh-TW and English define exactly the same keys', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
    expect(Object.keys(zh).length).toBeGreaterThan(30);
  });

  it('has no empty or blank message in either language', () => {
    for (const [language, catalogue] of Object.entries({ 'zh-TW': zh, en })) {
      const blank = Object.entries(catalogue).filter(([, text]) => text.trim() === '').map(([key]) => `${language}:${key}`);
      expect(blank).toEqual([]);
    }
  });

  it('keeps the same {placeholders} in both languages', () => {
    const differing = Object.keys(zh).filter((key) => {
      const k = key as keyof typeof zh;
      return placeholders(zh[k]).join() !== placeholders(en[k]).join();
    });
    expect(differing).toEqual([]);
  });

  it('is actually translated: zh-TW messages contain CJK text (language names aside)', () => {
    const untranslated = Object.entries(zh).filter(([, text]) => !/[\u4e00-\u9fff]/.test(text)).map(([k]) => k);
    expect(untranslated).toEqual([]);
    const chineseInEnglish = Object.entries(en).filter(([, text]) => /[\u4e00-\u9fff]/.test(text)).map(([k]) => k);
    expect(chineseInEnglish).toEqual([]);
  });

  it('names the app as the brief requires in each language', () => {
    expect(zh['app.name']).toBe('MyData 個人化資料自主運用');
    expect(en['app.name']).toBe('MyData Desktop');
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'shell.footer.version', { version: '1.2.3' })).toBe('Version 1.2.3');
    expect(translate('zh-TW', 'shell.footer.version', { version: 7 })).toBe('版本 7');
    expect(translate('en', 'shell.footer.version')).toBe('Version {version}');
  });

  it('chooses plural forms with Intl.PluralRules: no "1 records" in English, one form in Chinese', () => {
    expect(translate('en', 'history.timeline.count', { count: 1 })).toBe('1 record');
    expect(translate('en', 'history.timeline.count', { count: 0 })).toBe('0 records');
    expect(translate('en', 'history.timeline.count', { count: 2 })).toBe('2 records');
    expect(translate('en', 'history.delete.confirm', { count: 1 })).toBe('Delete the 1 record');
    expect(translate('en', 'history.delete.confirm', { count: 12 })).toBe('Delete all 12 records');
    expect(translate('en', 'consent.confirm.consentSp', { providers: 'A', count: 1, datasets: 'B', recipient: 'C' })).toBe('You agree that A give 1 field of “B” to C.');
    expect(translate('en', 'history.retention.saved', { years: 5, pruned: 1 })).toBe('Retention set to 5 years; 1 record older than that was removed.');
    expect(translate('zh-TW', 'history.timeline.count', { count: 1 })).toBe(translate('zh-TW', 'history.timeline.count', { count: 2 }).replace('2', '1'));
    // A plural without its number stays visible, like any placeholder.
    expect(translate('en', 'history.timeline.count', {})).toBe('{count, plural, one {# record} other {# records}}');
  });

  it('no English message writes a count as a bare "{count} records"-style noun that cannot agree with 1', () => {
    const bare = Object.entries(en).filter(([, text]) => /\{(count|total|years|days|minutes|dropped|pruned)\} (records|fields|files|transmissions|recipients|months|years|days|services|announcements|times)\b/.test(text)).map(([k]) => k);
    expect(bare).toEqual([]);
  });

  it('reads a plural\'s number as its placeholder', () => {
    expect(placeholders('{count, plural, one {# file} other {# files}} to {path}')).toEqual(['count', 'path']);
    expect(placeholders('{n} and {count, plural, one {# of {who}} other {# of {who}}}')).toEqual(['count', 'n', 'who']);
  });

  it('picks bilingual text and joins lists as each language writes them', () => {
    expect(pick('zh-TW', { zh: '甲', en: 'A' })).toBe('甲');
    expect(pick('en', { zh: '甲', en: 'A' })).toBe('A');
    expect(pickField('en', { name_zh: '甲', name_en: 'A' }, 'name')).toBe('A');
    expect(pickField('zh-TW', { purpose_zh: null, purpose_en: 'why' }, 'purpose')).toBeNull();
    expect(joinList('zh-TW', ['甲', '乙'])).toBe('甲、乙');
    expect(joinList('en', ['A', 'B'])).toBe('A, B');
  });
});

describe('formatDate', () => {
  const day = new Date('2025-05-03T04:00:00Z');
  it('shows ROC (民國) years as Gregorian year − 1911', () => {
    expect(formatDate(day, 'zh-TW', 'roc', 'Asia/Taipei')).toBe('民國114年5月3日');
    expect(formatDate(day, 'en', 'roc', 'Asia/Taipei')).toContain('114');
    expect(formatDate(day, 'en', 'roc', 'Asia/Taipei')).not.toContain('2025');
  });
  it('shows Gregorian (西元) years unchanged', () => {
    expect(formatDate(day, 'zh-TW', 'gregorian', 'Asia/Taipei')).toBe('2025年5月3日');
    expect(formatDate(day, 'en', 'gregorian', 'Asia/Taipei')).toBe('3 May 2025');
  });
  it('uses the given time zone for the calendar day', () => {
    const lateUtc = new Date('2025-05-03T20:00:00Z'); // already 4 May in Taipei
    expect(formatDate(lateUtc, 'en', 'gregorian', 'Asia/Taipei')).toBe('4 May 2025');
    expect(formatDate(lateUtc, 'en', 'gregorian', 'UTC')).toBe('3 May 2025');
  });
});
