// Text the platform and the app give in both languages, and the one way to pick the person's (zod-free for the renderer).
import type { Language } from './locale.ts';

/** A text in Traditional Chinese and English. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** The text in the person's language. */
export function textIn(text: Bilingual, language: Language): string {
  return language === 'zh-TW' ? text.zh : text.en;
}


/** `o.<key>_zh` or `o.<key>_en`: the platform's objects name their two languages with suffixes. */
export function fieldIn<K extends string, O extends { readonly [P in `${K}_zh` | `${K}_en`]: unknown }>(language: Language, o: O, key: K): O[`${K}_zh` | `${K}_en`] {
  const name: `${K}_zh` | `${K}_en` = language === 'zh-TW' ? `${key}_zh` : `${key}_en`;
  // TypeScript reads o[union key] as the intersection of the two types; it is one of them.
  return o[name] as O[`${K}_zh` | `${K}_en`];
}

/** Names joined as the language writes a list: the ideographic comma in Chinese, a comma in English. */
export function listIn(language: Language, items: readonly string[]): string {
  return items.join(language === 'zh-TW' ? '、' : ', ');
}
