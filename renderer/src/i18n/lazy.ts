// Components that load after the first screen, together with the messages of the later screens.
import { lazy, type ComponentType } from 'react';
import { loadCatalogue } from './catalogues.ts';

/**
 * A component loaded when first shown. The entry bundle carries only the first screen's zh-TW messages, so the
 * component renders once both its module and the whole zh-TW catalogue are in: no key is ever shown in place of its
 * text. (English is complete once loaded, and the settings provider renders in English only after that.)
 */
export function lazyWithMessages<M, P extends object = object>(load: () => Promise<M>, pick: (module: M) => ComponentType<P>): ComponentType<P> {
  return lazy(() => Promise.all([load(), loadCatalogue('zh-TW')]).then(([module]) => ({ default: pick(module) })));
}
