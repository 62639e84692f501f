import { join, resolve } from 'node:path';

/** Expands a leading `~` the way OpenClaw resolves user paths; anything else is made absolute. */
export function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return join(home, path.slice(2));
  return resolve(path);
}

const xdgDefaults = { XDG_CONFIG_HOME: ['.config'], XDG_CACHE_HOME: ['.cache'], XDG_STATE_HOME: ['.local', 'state'] } as const;

/**
 * An XDG base directory: the variable when it holds an absolute path, else its default under
 * the home. The spec says a relative value is invalid and must be ignored.
 */
export function xdgBaseDir(env: Readonly<Record<string, string | undefined>>, name: keyof typeof xdgDefaults, home: string): string {
  const value = env[name]?.trim();
  return value?.startsWith('/') ? value : join(home, ...xdgDefaults[name]);
}
