import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { removeQuietly, writeFileAtomic } from './atomic-write.js';

/**
 * A cache file's bytes, unless it is missing or someone else could have written it: what a
 * cache holds becomes code (compiled functions) or decides what runs (a config's commands).
 */
export function readOwnFile(file: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    const writableByOthers = (info.mode & 0o022) !== 0;
    return info.isFile() && info.uid === process.getuid?.() && !writableByOthers ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

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
