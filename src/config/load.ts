import { join } from 'node:path';
import { AuthwatchError } from '../core/errors.js';
import { parseJson5Text } from '../core/json5-text.js';
import { expandHome, xdgBaseDir } from '../core/paths.js';
import { readCredentialFile } from '../core/files.js';
import { distrustOf } from '../core/file-trust.js';
import { defaultConfig } from './defaults.js';
import type { Config } from './schema.js';
import { quoteArgument } from '../core/quote-argument.js';

export interface LoadedConfig {
  config: Config;
  /** The file it came from, `null` when none exists and defaults apply. */
  path: string | null;
}

export interface ConfigLocation {
  path: string;
  /** Named by `--config` or `$AUTHWATCH_CONFIG`: then it must exist. */
  explicit: boolean;
}

export function locateConfig(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  home: string,
): ConfigLocation {
  const explicit = flag ?? (env.AUTHWATCH_CONFIG?.trim() || undefined);
  if (explicit) return { path: expandHome(explicit, home), explicit: true };
  return { path: join(xdgBaseDir(env, 'XDG_CONFIG_HOME', home), 'authwatch', 'config.json5'), explicit: false };
}

/** Reads and validates the config, on every run: what it says is never taken from anywhere else. */
export async function loadConfig(location: ConfigLocation): Promise<LoadedConfig> {
  // Its command channels and declared commands run: a file others could write is refused.
  const file = await readCredentialFile(location.path, (info) => distrustOf(info, location.path, true));
  if (file.kind === 'absent') {
    if (location.explicit) throw new AuthwatchError(`config file not found: ${quoteArgument(location.path)}`);
    return { config: defaultConfig(), path: null };
  }
  if (file.kind === 'error') throw new AuthwatchError(`cannot read config ${location.path}: ${file.message}`);
  const json = await parseJson5Text(file.text);
  if (!json.ok) throw new AuthwatchError(`${location.path}: ${json.message}`);
  // The schema is loaded only here: a run without a config file does without it.
  const { parseConfig } = await import('./schema.js');
  const { closest } = await import('../core/suggest.js');
  return { config: parseConfig(json.value, location.path, { closest, where: (path) => locateKey(file.text, path) }), path: location.path };
}

/**
 * `line 3, column 5`: where the config text names the last key of `path`, found key by key
 * from the top (a JSON5 file keeps no positions once parsed). Past the first entry of an array
 * it stops at the array: which entry an index is, the text alone does not tell reliably.
 */
export function locateKey(text: string, path: readonly PropertyKey[]): string | null {
  let from = 0;
  let found = -1;
  for (const key of path) {
    if (typeof key === 'number') {
      if (key > 0) break;
      continue;
    }
    if (typeof key !== 'string') break;
    const pattern = new RegExp(`(?<![\\w$"'])(["']?)${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1\\s*:`, 'g');
    pattern.lastIndex = from;
    const match = pattern.exec(text);
    if (!match) break;
    found = match.index;
    from = match.index + match[0].length;
  }
  if (found < 0) return null;
  const before = text.slice(0, found);
  return `line ${before.split('\n').length}, column ${found - before.lastIndexOf('\n')}`;
}
