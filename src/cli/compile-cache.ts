import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { readOwnFile, writeCacheFile } from '../core/cache-files.js';
import { ExitCode } from '../core/errors.js';
import { xdgBaseDir } from '../core/paths.js';

/**
 * Where compiled code is kept between runs: systemd's CacheDirectory= when a unit gives one,
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

/** One cache per bundle build, Node binary and CPU: V8 itself only checks its version, flags and the source's length. */
export function codeCacheFile(dir: string, buildId: string): string {
  return join(dir, `check-${buildId}-${process.version}-${process.arch}${CACHE_SUFFIX}`);
}

const CACHE_SUFFIX = '.v8cache';

/**
 * Loads a CommonJS bundle as `require` would, but keeps V8's compiled code in `cacheFile`. The
 * cache is written when the run ends, so it holds every function the run compiled, not just the
 * top level (all that Node's own module.enableCompileCache keeps). A run that could not run
 * (exit 3: a bad config, a deadline) stopped part-way and keeps nothing; a later run does.
 * Any failure only costs the saving.
 */
export function requireWithCodeCache(bundle: string, cacheFile: string): unknown {
  const source = readFileSync(bundle, 'utf8');
  const cachedData = readOwnFile(cacheFile);
  // The wrapper sits on the source's first line so stack traces keep the bundle's line numbers.
  // The bundle must not use import(): V8 drops a cached script's dynamic-import hook (the build
  // turns every import() into require()).
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  const module = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', (code) => {
      if (code < ExitCode.CouldNotRun) writeCache(cacheFile, script.createCachedData());
    });
  }
  return module.exports;
}

function writeCache(file: string, data: Buffer): void {
  try {
    writeCacheFile(file, data, (name) => name.endsWith(CACHE_SUFFIX));
  } catch {
    // Best effort: a check that cannot keep its compiled code still runs, only slower.
  }
}
