import { closeSync, fstatSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

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

/** Makes the 0700 cache dir and its parent if needed: two plain mkdirs, so a cache never creates a home that is not there. */
export function makeCacheDir(dir: string): void {
  for (const path of [dirname(dir), dir]) {
    try {
      mkdirSync(path, { mode: 0o700 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}
