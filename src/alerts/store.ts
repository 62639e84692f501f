import { renameSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { AuthwatchError } from '../core/errors.js';
import { makeDirectory, writeFileAtomic } from '../core/atomic-write.js';
import type { Logger } from '../core/log.js';
import { parseJsonText, describeFsError, readBoundedText, statIfVisible } from '../core/files.js';
import { xdgBaseDir } from '../core/paths.js';
import { emptyState, type AlertState } from './decide.js';
import { readAlertState } from './state-format.js';

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
  if ((info.mode & 0o022) !== 0) return `the ${what} ${path} is writable by other users (mode ${(info.mode & 0o777).toString(8)}); fix: chmod go-w ${path}`;
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

/**
 * Loads the alert memory. A missing file is an empty memory; a corrupt one is moved aside
 * (`state.json.corrupt-<time>`) with a warning and the run goes on with an empty memory —
 * which at worst repeats a notification, never drops one.
 */
export async function loadState(dir: string, log: Logger, now: number): Promise<AlertState> {
  const path = join(dir, 'state.json');
  const text = readStateFile(dir, 'state.json', 'alert state');
  if (text === null) return emptyState();
  const json = parseJsonText(text);
  const state = json.ok ? readAlertState(json.value) : null;
  if (state?.ok) return state.value;
  const aside = `${path}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  try {
    renameSync(path, aside);
  } catch {
    // not there any more, or cannot be moved: starting afresh is still right
  }
  log.warn({ path, movedTo: aside }, 'the alert state was unreadable; moved it aside and started afresh');
  return emptyState();
}

export async function saveState(dir: string, state: AlertState): Promise<void> {
  const path = join(dir, 'state.json');
  try {
    writeFileAtomic(path, `${JSON.stringify(state)}\n`, { mode: 0o600, durable: true });
  } catch (error) {
    throw new AuthwatchError(`cannot save the alert state ${path}: ${describeFsError(error)}`);
  }
}
