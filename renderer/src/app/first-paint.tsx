// Parts of the window that the first frame does not show (their code loads lazily) wait until that frame is out and
// the window is idle: starting a lazy import inserts preload links and stylesheets, and evaluating the chunk and
// rendering what it holds is work that would otherwise compete with the frame that shows the shell and the heading.
import { useLayoutEffect, useSyncExternalStore, type ReactNode } from 'react';

/** At most this long after the first commit: a window that draws no frame (hidden, minimised) or is never idle. */
const LATEST_MS = 500;

let painted = false;
let scheduled = false;
const listeners = new Set<() => void>();

function markPainted(): void {
  if (painted) return;
  painted = true;
  for (const listener of listeners) listener();
}

/** From the first commit that holds a deferred part: the next animation frame draws it, then the first idle time. */
function scheduleAfterFrame(): void {
  if (scheduled) return;
  scheduled = true;
  const latest = setTimeout(markPainted, LATEST_MS);
  requestAnimationFrame(() => {
    requestIdleCallback(
      () => {
        clearTimeout(latest);
        markPainted();
      },
      { timeout: LATEST_MS },
    );
  });
}

function listen(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Renders its children once the window's first frame is out and the window idle (at once on every later mount). */
export function AfterFirstFrame(props: { children: ReactNode }) {
  // Rendered to HTML (the first frame, in main) nothing deferred is shown, as in the window's first render.
  const ready = useSyncExternalStore(listen, () => painted, () => false);
  useLayoutEffect(scheduleAfterFrame, []);
  return ready ? props.children : null;
}
