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
  return { config: parseConfig(json.value, location.path), path: location.path };
}
