import { join } from 'node:path';
import { readOwnFile, writeCacheFile } from '../core/cache-files.js';
import type { Config } from './schema.js';

/** Where validated configs are kept (the compiled-code cache dir), and which build validated them. */
export interface ConfigCache {
  dir: string;
  buildId: string;
  /** Told when a config had to be parsed: the run did work that later runs will skip. */
  onParse?: () => void;
}

/**
 * A validated config and what it was validated from: the file and its text, compared whole
 * (hashing it with SHA-256 in JavaScript, a check's fingerprint hash, cost more than reading
 * it). The build (its schemas) and Node version (its time-zone data, for quiet hours) are in
 * the file's name.
 */
interface Kept {
  path: string;
  text: string;
  config: Config;
}

/** One file per build, Node version and config path: two timers with two configs do not evict each other's. */
function cacheFile(cache: ConfigCache, path: string): string {
  return join(cache.dir, `${filePrefix(cache)}${fnv1a(path)}.json`);
}

/** A short name for a path (FNV-1a, 32 bits): a clash only costs a parse, as the file names its path. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
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
    const same = kept?.path === path && kept.text === text;
    return same && typeof kept.config === 'object' && kept.config !== null ? kept.config : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps a freshly validated config for the next runs; a cache that cannot be written only costs the saving. */
export function keepValidatedConfig(cache: ConfigCache, path: string, text: string, config: Config): void {
  const kept: Kept = { path, text, config };
  try {
    // Configs validated by earlier builds or Node versions are stale; other paths' are not.
    writeCacheFile(cacheFile(cache, path), JSON.stringify(kept), (name) => name.startsWith('config-') && name.endsWith('.json') && !name.startsWith(filePrefix(cache)));
  } catch {
    // best effort, like the compiled-code cache
  }
}
