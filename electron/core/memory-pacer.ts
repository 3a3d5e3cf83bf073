// Keeps memory flat while hundreds of MiB stream through (a download, its verification, an import).
//
// Every network chunk and every cipher output is a fresh buffer outside the JavaScript heap. V8 frees such
// buffers only when it collects their small heap handles, and it schedules that by heap growth, which these
// streams barely cause, plus a 64 MiB allowance of outside memory: so up to ~100 MiB of dead buffers pile up
// before a collection, whatever the pipeline itself holds (pipeline bench: a bare fetch of 512 MiB grew RSS by
// 75-113 MiB). A minor (young-generation) collection every few MiB frees them while they are still young, for
// well under a millisecond each. Node offers no public call for it, so the collector is taken the way test
// runners do (Jest's leak detector): expose `gc` for one new context, then switch the flag back off, so nothing
// else ever sees a `gc` global. If that is impossible, pacing does nothing and V8 collects on its own.
// Changing a V8 flag at run time needs flags left unfrozen after start-up: Node does that, and so does Electron's main
// process (it starts V8 with --no-freeze-flags-after-init, shell/browser/javascript_environment.cc), where this runs.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options: { type: 'minor'; execution: 'sync' }) => void;

let found: Collect | null | undefined;

/** The engine's collector, or null when it cannot be had. */
export function youngCollector(): Collect | null {
  if (found !== undefined) return found;
  found = null;
  try {
    const exposed = (globalThis as { gc?: unknown }).gc;
    if (typeof exposed === 'function') {
      found = exposed as Collect;
    } else {
      setFlagsFromString('--expose-gc');
      try {
        const gc: unknown = runInNewContext('gc');
        if (typeof gc === 'function') found = gc as Collect;
      } finally {
        setFlagsFromString('--no-expose-gc');
      }
    }
  } catch {
    found = null;
  }
  return found;
}

/**
 * Bytes between two collections: small enough to keep dead buffers to a few MiB, large enough to cost nothing.
 * 4 MiB measured both faster and leaner than 8 MiB in the 512 MiB pipeline bench (three alternating runs each:
 * 2.72–2.76 s and 70–71 MiB against 2.73–3.11 s and 76–82 MiB): each collection finds less to do.
 */
export const PACE_BYTES = 4 * 1024 * 1024;

/**
 * Returns a function to call with the bytes streamed so far (a running total, which may start again from 0);
 * it collects young garbage each time another `every` bytes have gone by.
 */
export function memoryPacer(every = PACE_BYTES, collect: Collect | null = youngCollector()): (bytesSoFar: number) => void {
  let last = 0;
  let previous = 0;
  return (bytesSoFar) => {
    if (bytesSoFar < previous) last = bytesSoFar; // the total started again (a restarted download)
    previous = bytesSoFar;
    if (bytesSoFar - last < every) return;
    last = bytesSoFar;
    collect?.({ type: 'minor', execution: 'sync' });
  };
}
