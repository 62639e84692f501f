import type { Stats } from 'node:fs';
import { shellWord } from './shell-word.js';

/** How a message names what is judged (`it`, `the state directory /x`), and another way out when it is not this user's. */
interface Subject {
  name: string;
  elsewhere?: string;
}

/**
 * Why a file or directory whose contents decide what authwatch runs or sends (its config, a
 * secret file, a cache, its state) must not be trusted, or undefined if it may be: it must
 * belong to this user — or to root, where `rootToo` (a root-owned, read-only config is how a
 * system unit runs as a service user) — and be writable by no one else. The one ownership rule:
 * judged on the opened file's fstat where there is one, so nothing can swap the file between
 * the check and the read.
 */
export function distrustOf(info: Stats, path: string, rootToo: boolean, subject: Subject = { name: 'it' }): string | undefined {
  const uid = process.getuid?.();
  // Windows: no owners to compare, and modes whose group and other bits only copy the owner's.
  if (uid === undefined) return undefined;
  if (info.uid !== uid && !(rootToo && info.uid === 0)) {
    const elsewhere = subject.elsewhere ? `; or ${subject.elsewhere}` : '';
    return `${subject.name} belongs to uid ${info.uid}, not to this user (uid ${uid})${rootToo ? ' or root' : ''}, who could change it; fix: chown ${uid} ${shellWord(path)}${elsewhere}`;
  }
  if ((info.mode & 0o022) !== 0) {
    const who = info.mode & 0o002 ? 'every user' : 'its group';
    return `${subject.name} is writable by ${who} (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}), who could change what it says; fix: chmod go-w ${shellWord(path)}`;
  }
  return undefined;
}
