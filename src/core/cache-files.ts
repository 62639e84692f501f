import { mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { removeQuietly, writeFileAtomic } from './atomic-write.js';
import { distrustOf } from './file-trust.js';
import { readBoundedFile } from './files.js';

/**
 * A cache file's bytes, unless it is missing, not a plain file of ours, or someone else could
 * have written it: what a cache holds becomes code (compiled functions). Not through a symlink,
 * and never blocking on a FIFO in its place.
 */
export function readOwnFile(file: string): Buffer | undefined {
  const read = readBoundedFile(file, maxCacheFileBytes, { noFollow: true, distrust: (info) => distrustOf(info, file, false) });
  return read.kind === 'ok' ? read.bytes : undefined;
}

/** V8's code cache of the bundle is a few MB; anything far larger is not one (a sparse file planted in its place). */
const maxCacheFileBytes = 64 * 1024 * 1024;

/**
 * Writes a cache file whole (0600, renamed into place, so a run killed half-way leaves no torn
 * cache), then removes the other files of its kind that `isStale` names — those of earlier
 * builds or Node versions are dead weight. Throws: a cache is best effort, the caller decides.
 */
export function writeCacheFile(file: string, data: string | Uint8Array, isStale: (name: string) => boolean): void {
  const dir = dirname(file);
  makeCacheDir(dir);
  writeFileAtomic(file, data, { mode: 0o600, durable: false });
  for (const name of readdirSync(dir)) if (name !== basename(file) && isStale(name)) removeQuietly(join(dir, name));
}

/** Makes the 0700 cache dir and its parent if needed: two plain mkdirs, so a cache never creates a home that is not there. */
function makeCacheDir(dir: string): void {
  for (const path of [dirname(dir), dir]) {
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
