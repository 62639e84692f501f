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
 * `line 3, column 5`: where the config text names the last key of `path` (or, when it does not,
 * the nearest parent key). JSON5 keeps no positions once parsed, so this scans the text:
 * containers, keys, strings and comments, enough to tell which key is where.
 */
export function locateKey(text: string, path: readonly PropertyKey[]): string | null {
  const keys = new Map<string, number>();
  type Frame = { kind: '{' | '['; path: string[]; index: number; key: string | null; expectKey: boolean };
  const frames: Frame[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const top = frames.at(-1);
    if (/\s/.test(c) || c === ':') i++;
    else if (c === '/' && text[i + 1] === '/') i = text.includes('\n', i) ? text.indexOf('\n', i) : text.length;
    else if (c === '/' && text[i + 1] === '*') i = text.includes('*/', i + 2) ? text.indexOf('*/', i + 2) + 2 : text.length;
    else if (c === '{' || c === '[') {
      const at = top ? [...top.path, top.kind === '{' ? (top.key ?? '') : String(top.index)] : [];
      frames.push({ kind: c, path: at, index: 0, key: null, expectKey: c === '{' });
      i++;
    } else if (c === '}' || c === ']') {
      frames.pop();
      i++;
    } else if (c === ',') {
      if (top?.kind === '[') top.index++;
      else if (top) top.expectKey = true;
      i++;
    } else {
      const start = i;
      let token: string;
      if (c === '"' || c === "'") {
        let j = i + 1;
        while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
        token = text.slice(i + 1, j);
        i = j + 1;
      } else {
        let j = i + 1;
        while (j < text.length && !/[\s,:{}[\]/]/.test(text[j]!)) j++;
        token = text.slice(i, j);
        i = j;
      }
      if (top?.kind === '{' && top.expectKey) {
        top.key = token;
        top.expectKey = false;
        const at = JSON.stringify([...top.path, token]);
        if (!keys.has(at)) keys.set(at, start);
      }
    }
  }
  for (let length = path.length; length > 0; length--) {
    const found = keys.get(JSON.stringify(path.slice(0, length).map(String)));
    if (found === undefined) continue;
    const before = text.slice(0, found);
    return `line ${before.split('\n').length}, column ${found - before.lastIndexOf('\n')}`;
  }
  return null;
}
