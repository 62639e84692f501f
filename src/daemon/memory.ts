import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A function that runs a full, synchronous garbage collection: V8's own `gc`, which Node gives
 * only to processes started with --expose-gc. Without that flag it is fetched the way the flag
 * would have provided it — from a context made while the flag is on — and the flag is turned
 * off again, so no other context (and no compiled-code cache) sees a difference.
 */
export function fullGarbageCollector(): () => void {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === 'function') return exposed as () => void;
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as () => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}
