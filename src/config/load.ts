import { join } from 'node:path';
import { AuthwatchError } from '../core/errors.js';
import { keepValidatedConfig, readCachedConfig, type ConfigCache } from './cache.js';
import { parseJson5Text } from '../core/json5-text.js';
import { expandHome } from '../sources/openclaw-paths.js';
import { readCredentialFile } from '../core/files.js';
import { defaultConfig } from './defaults.js';
import type { Config } from './schema.js';

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
  const configHome = env.XDG_CONFIG_HOME?.trim() ? expandHome(env.XDG_CONFIG_HOME.trim(), home) : join(home, '.config');
  return { path: join(configHome, 'authwatch', 'config.json5'), explicit: false };
}

/** Reads and validates the config; with a cache, an unchanged file is not parsed again. */
export async function loadConfig(location: ConfigLocation, cache?: ConfigCache): Promise<LoadedConfig> {
  const file = await readCredentialFile(location.path);
  if (file.kind === 'absent') {
    if (location.explicit) throw new AuthwatchError(`config file not found: ${location.path}`);
    return { config: defaultConfig(), path: null };
  }
  if (file.kind === 'error') throw new AuthwatchError(`cannot read config ${location.path}: ${file.message}`);
  const cached = cache && readCachedConfig(cache, location.path, file.text);
  if (cached) return { config: cached, path: location.path };
  cache?.onParse?.();
  const json = await parseJson5Text(file.text);
  if (!json.ok) throw new AuthwatchError(`${location.path}: ${json.message}`);
  // The schema is loaded only here: most runs take the config from the cache, or have none.
  const { parseConfig } = await import('./schema.js');
  const config = parseConfig(json.value, location.path);
  if (cache) keepValidatedConfig(cache, location.path, file.text, config);
  return { config, path: location.path };
}
