import type { Stats } from 'node:fs';
import { shellWord } from './shell-word.js';

/**
 * Why a file whose contents decide what authwatch runs or sends (its config, a secret file, a
 * cache) must not be trusted, or undefined if it may be: it must belong to this user — or to
 * root, where `rootToo` (a root-owned, read-only config is how a system unit runs as a service
 * user) — and be writable by no one else. Judged on the opened file's fstat, so nothing can
 * swap the file between the check and the read.
 */
export function distrustOf(info: Stats, path: string, rootToo: boolean): string | undefined {
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid && !(rootToo && info.uid === 0)) {
    return `it belongs to uid ${info.uid}, not to this user (uid ${uid})${rootToo ? ' or root' : ''}, who could change it; fix: chown ${uid} ${shellWord(path)}`;
  }
  if ((info.mode & 0o022) !== 0) {
    const who = info.mode & 0o002 ? 'every user' : 'its group';
    return `it is writable by ${who} (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}), who could change what it says; fix: chmod go-w ${shellWord(path)}`;
  }
  return undefined;
}
