import { mkdirSync, statSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { dirname, join } from 'node:path';
import { distrustOf } from '../core/file-trust.js';
import { xdgBaseDir } from '../core/paths.js';

/**
 * Where Node keeps compiled code between runs: systemd's CacheDirectory= when a unit gives one,
 * else the XDG cache dir. Undefined when caching is turned off the way Node's own cache is
 * (NODE_DISABLE_COMPILE_CACHE) or there is no home to keep it in.
 */
export function compileCacheDir(env: NodeJS.ProcessEnv, home: string | undefined): string | undefined {
  if (env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const systemd = env.CACHE_DIRECTORY?.split(':')[0]; // systemd lists one path per CacheDirectory= entry
  if (systemd?.startsWith('/')) return systemd;
  // No cache when there is no home to keep it in (and no XDG_CACHE_HOME naming one).
  if (!home?.startsWith('/') && !env.XDG_CACHE_HOME?.trim().startsWith('/')) return undefined;
  return join(xdgBaseDir(env, 'XDG_CACHE_HOME', home ?? '/'), 'authwatch');
}

/**
 * Turns on Node's own compile cache (module.enableCompileCache, which checks each entry against
 * its source) in `dir`, made 0700 if missing. What the dir holds becomes code, so a dir that
 * another user owns or can write is not used. Any failure costs only the saving.
 */
export function useCompileCache(dir: string): void {
  try {
    // Two plain mkdirs: a cache never creates a home that is not there.
    for (const path of [dirname(dir), dir]) mkdirIfMissing(path);
    const info = statSync(dir);
    if (info.isDirectory() && distrustOf(info, dir, false) === undefined) enableCompileCache(dir);
  } catch {
    // Best effort: a check that cannot keep its compiled code still runs, only slower.
  }
}

function mkdirIfMissing(path: string): void {
  try {
    mkdirSync(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
