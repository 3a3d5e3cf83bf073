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
export function fieldIn<K extends string, V>(language: Language, o: { readonly [P in `${K}_zh` | `${K}_en`]: V }, key: K): V {
  return language === 'zh-TW' ? o[`${key}_zh`] : o[`${key}_en`];
}
