import { statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { AuthwatchError } from './errors.js';
import { makeDirectory } from './atomic-write.js';
import { describeFsError, readBoundedText, statIfVisible } from './files.js';
import { xdgBaseDir } from './paths.js';
import { distrustOf } from './file-trust.js';

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
 * have written is refused, by the rule the config and secret files follow (file-trust.ts).
 */
const foreignReason = (path: string, info: Stats, what: string): string | undefined =>
  distrustOf(info, path, false, { name: `the ${what} ${path}`, elsewhere: 'point $XDG_STATE_HOME (or $STATE_DIRECTORY) at a directory of your own' });

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
