// Moves focus to the new page's <h1> after an in-app navigation, never on the first load (so the skip link stays first).
import { createContext, useContext, useEffect, useRef, type ReactNode, type RefObject } from 'react';
import { useLocation } from 'react-router';

interface FocusState {
  firstKey: string | null;
  navigated: boolean;
}

const RouteFocusContext = createContext<RefObject<FocusState> | null>(null);

export function RouteFocusProvider(props: { children: ReactNode }) {
  const state = useRef<FocusState>({ firstKey: null, navigated: false });
  return <RouteFocusContext value={state}>{props.children}</RouteFocusContext>;
}

/** Focuses `target` whenever the location changes after the first one; idempotent when effects run twice. */
export function useFocusOnNavigation(target: RefObject<HTMLElement | null>): void {
  const state = useContext(RouteFocusContext);
  const { key } = useLocation();
  useEffect(() => {
    if (!state) return;
    const s = state.current;
    if (s.firstKey === null) {
      s.firstKey = key;
      return;
    }
    // Returning to the first history entry is still a navigation once any other entry was seen.
    if (key !== s.firstKey) s.navigated = true;
    if (s.navigated) target.current?.focus();
  }, [key, state, target]);
}
