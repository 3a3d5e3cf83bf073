// Theme resolution: the user's preference plus the OS's appearance give the theme applied as data-theme on <html>.
import { useSyncExternalStore } from 'react';
import type { SystemAppearance } from '../../../electron/contract/first-frame.ts';
import type { Theme } from '../../../electron/contract/index.ts';

export type AppliedTheme = 'light' | 'dark' | 'high-contrast';

/** An explicit choice wins; 'system' maps forced colours or a request for more contrast to high-contrast first. */
export function resolveTheme(preference: Theme, system: SystemAppearance): AppliedTheme {
  if (preference !== 'system') return preference;
  if (system.forcedColors || system.moreContrast) return 'high-contrast';
  return system.dark ? 'dark' : 'light';
}

const QUERIES = {
  dark: '(prefers-color-scheme: dark)',
  forcedColors: '(forced-colors: active)',
  moreContrast: '(prefers-contrast: more)',
} as const;

// One MediaQueryList per query for the window's lifetime: the snapshot is read on every render of a user and
// matches stays current on a kept list, so the queries are not parsed anew each time.
let lists: readonly MediaQueryList[] | null = null;
function mediaLists(): readonly MediaQueryList[] {
  lists ??= [QUERIES.dark, QUERIES.forcedColors, QUERIES.moreContrast].map((q) => window.matchMedia(q));
  return lists;
}

function subscribe(onChange: () => void): () => void {
  const watched = mediaLists();
  for (const list of watched) list.addEventListener('change', onChange);
  return () => {
    for (const list of watched) list.removeEventListener('change', onChange);
  };
}

// A string snapshot keeps useSyncExternalStore's identity check trivial.
function snapshot(): string {
  return mediaLists()
    .map((list) => (list.matches ? '1' : '0'))
    .join('');
}

/** The OS's current appearance, re-rendering when the user changes it in the OS. */
export function useSystemAppearance(): SystemAppearance {
  const bits = useSyncExternalStore(subscribe, snapshot, () => '000');
  return { dark: bits[0] === '1', forcedColors: bits[1] === '1', moreContrast: bits[2] === '1' };
}
