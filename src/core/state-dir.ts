import { statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { AuthwatchError } from './errors.js';
import { makeDirectory } from './atomic-write.js';
import { describeFsError, readBoundedText, statIfVisible } from './files.js';
import { xdgBaseDir } from './paths.js';
import { shellWord } from './shell-word.js';

// authwatch's state directory and the reading of its files, below everything that keeps state
// there: the alert memory, the last run, the credential memory, the live checks' results.

/** `$STATE_DIRECTORY` (systemd), else `$XDG_STATE_HOME/authwatch`, else `~/.local/state/authwatch`. */
export function stateDirectory(env: NodeJS.ProcessEnv, home: string): string {
  const systemd = env.STATE_DIRECTORY?.split(':')[0]?.trim();
  if (systemd) return systemd;
  return join(xdgBaseDir(env, 'XDG_STATE_HOME', home), 'authwatch');
}

/**
 * The state decides what is sent (and what is not): a directory or file another user could
 * have written is refused, like the caches' files.
 */
function foreignReason(path: string, info: Stats, what: string): string | undefined {
  const uid = process.getuid?.();
  if (uid === undefined) return undefined; // Windows: no owners to compare
  if (info.uid !== uid) {
    return `the ${what} ${path} belongs to uid ${info.uid}, not to this user (uid ${uid}); fix: chown it to this user, or point $XDG_STATE_HOME (or $STATE_DIRECTORY) at a directory of your own`;
  }
  if ((info.mode & 0o022) !== 0) return `the ${what} ${path} is writable by other users (mode ${(info.mode & 0o777).toString(8)}); fix: chmod go-w ${shellWord(path)}`;
  return undefined;
}

function refuseForeign(path: string, info: Stats, what: string): void {
  const reason = foreignReason(path, info, what);
  if (reason !== undefined) throw new AuthwatchError(reason);
}

/** authwatch's own state files are small; a larger one (a sparse file planted there) is refused before a byte is read. */
const maxStateFileBytes = 8 * 1024 * 1024;

/** Makes the state directory (0700) if needed, and refuses one another user could write to. */
export function makeStateDirectory(dir: string): void {
  let info: Stats;
  try {
    makeDirectory(dir, 0o700);
    info = statSync(dir);
  } catch (error) {
    throw new AuthwatchError(`cannot create the state directory ${dir}: ${describeFsError(error)}`);
  }
  refuseForeign(dir, info, 'state directory');
}

/**
 * The text of a file of the state dir, `null` when there is none. The dir and the file must be
 * this user's and written by no one else: the state decides what is said.
 */
export function readStateFile(dir: string, name: string, what: string): string | null {
  const dirInfo = statIfVisible(dir);
  if (dirInfo) refuseForeign(dir, dirInfo, 'state directory');
  const path = join(dir, name);
  let foreign: string | undefined;
  const read = readBoundedText(path, maxStateFileBytes, { distrust: (info) => (foreign = foreignReason(path, info, what)), limitFor: 'a state file' });
  if (read.kind === 'ok') return read.text;
  if (read.kind === 'absent') return null;
  if (foreign !== undefined) throw new AuthwatchError(foreign);
  throw new AuthwatchError(`the ${what} ${path} cannot be read: ${read.message}; fix: remove it (authwatch writes a new one)`);
}
