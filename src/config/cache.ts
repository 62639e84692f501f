import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeCacheDir, readOwnFile } from '../cache-files.js';
import { removeQuietly, writeFileAtomic } from '../fs-atomic.js';
import { sha256Hex } from '../sha256.js';
import type { Config } from './schema.js';

/** Where validated configs are kept (the compiled-code cache dir), and which build validated them. */
export interface ConfigCache {
  dir: string;
  buildId: string;
  /** Told when a config had to be parsed: the run did work that later runs will skip. */
  onParse?: () => void;
}

/**
 * A validated config and what it was validated from: the file and a hash of its text (the
 * text itself, comments and all, stays in the config file alone). The build (its schemas) and
 * Node version (its time-zone data, for quiet hours) are in the file's name.
 */
interface Kept {
  path: string;
  source: string;
  config: Config;
}

/** One file per build, Node version and config path: two timers with two configs do not evict each other's. */
function cacheFile(cache: ConfigCache, path: string): string {
  return join(cache.dir, `${filePrefix(cache)}${sha256Hex(path).slice(0, 16)}.json`);
}

const filePrefix = (cache: ConfigCache) => `config-${cache.buildId}-${process.version}-`;

/**
 * The config this build validated from exactly this text at this path, if a run kept it. A
 * check every 15 minutes re-reads a config that rarely changes, and parsing the JSON5 and
 * validating it (the zod schemas built for it, the garbage, the compiled code) was ≈ 3 ms of
 * a 40 ms check. Not validated again: the file is ours (one that others could have written is
 * ignored) and always written whole.
 */
export function readCachedConfig(cache: ConfigCache, path: string, text: string): Config | undefined {
  const bytes = readOwnFile(cacheFile(cache, path));
  if (bytes === undefined) return undefined;
  try {
    const kept = JSON.parse(bytes.toString('utf8')) as Partial<Kept> | null;
    const same = kept?.path === path && kept.source === sha256Hex(text);
    return same && typeof kept.config === 'object' && kept.config !== null ? kept.config : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps a freshly validated config for the next runs; a cache that cannot be written only costs the saving. */
export function keepValidatedConfig(cache: ConfigCache, path: string, text: string, config: Config): void {
  try {
    makeCacheDir(cache.dir);
    const kept: Kept = { path, source: sha256Hex(text), config };
    writeFileAtomic(cacheFile(cache, path), JSON.stringify(kept), { mode: 0o600, durable: false });
    // Configs validated by earlier builds or Node versions are dead weight.
    for (const name of readdirSync(cache.dir)) {
      if (name.startsWith('config-') && name.endsWith('.json') && !name.startsWith(filePrefix(cache))) removeQuietly(join(cache.dir, name));
    }
  } catch {
    // best effort, like the compiled-code cache
  }
}
