import { closeSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AuthwatchError } from '../core/errors.js';
import { makeDirectory, removeQuietly, writeFileAtomic } from '../core/atomic-write.js';
import type { Logger } from '../core/log.js';
import { processAlive } from '../core/process-alive.js';
import { parseJsonText, describeFsError, statIfVisible } from '../core/files.js';
import { expandHome } from '../sources/openclaw-paths.js';
import { emptyState, type AlertState } from './decide.js';
import { readAlertState } from './state-format.js';

/** `$STATE_DIRECTORY` (systemd), else `$XDG_STATE_HOME/authwatch`, else `~/.local/state/authwatch`. */
export function stateDirectory(env: NodeJS.ProcessEnv, home: string): string {
  const systemd = env.STATE_DIRECTORY?.split(':')[0]?.trim();
  if (systemd) return systemd;
  const xdg = env.XDG_STATE_HOME?.trim();
  return join(xdg ? expandHome(xdg, home) : join(home, '.local', 'state'), 'authwatch');
}

/**
 * Loads the alert memory. A missing file is an empty memory; a corrupt one is moved aside
 * (`state.json.corrupt-<time>`) with a warning and the run goes on with an empty memory —
 * which at worst repeats a notification, never drops one.
 */
export async function loadState(dir: string, log: Logger, now: number): Promise<AlertState> {
  const path = join(dir, 'state.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8'); // synchronous like every small read (see readCredentialFile)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw new AuthwatchError(`cannot read the alert state ${path}: ${describeFsError(error)}`);
  }
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

/** A writer killed between creating the lock and writing its pid leaves it empty; past this age it is stale. */
const emptyLockStaleMs = 10_000;

function lockIsStale(path: string): boolean {
  let holder = NaN;
  try {
    holder = Number(readFileSync(path, 'utf8').trim());
  } catch {
    // gone or unreadable: judged by its age below
  }
  if (Number.isInteger(holder) && holder > 0) return !processAlive(holder);
  const info = statIfVisible(path);
  return info === undefined || Date.now() - info.mtimeMs > emptyLockStaleMs;
}

function createLock(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new AuthwatchError(`cannot lock ${path}: ${describeFsError(error)}`);
  }
  try {
    writeSync(fd, String(process.pid));
  } catch (error) {
    removeQuietly(path); // an empty lock would hold up the next runs
    throw new AuthwatchError(`cannot lock ${path}: ${describeFsError(error)}`);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * An exclusive lock on the state directory, so two overlapping runs (cron, Termux, a manual
 * check next to the timer) never both send. A lock left by a dead process is taken over.
 * Resolves to a release function, or `null` if another live run kept it for `waitMs`.
 * (Synchronous file calls, like every small local file operation here; only the wait is not.)
 */
export async function lockState(dir: string, waitMs: number): Promise<(() => void) | null> {
  try {
    makeDirectory(dir, 0o700);
  } catch (error) {
    throw new AuthwatchError(`cannot create the state directory ${dir}: ${describeFsError(error)}`);
  }
  const path = join(dir, 'state.lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    // A lock that cannot be removed on release is taken over as stale by the next run.
    if (createLock(path)) return () => removeQuietly(path);
    if (lockIsStale(path)) {
      try {
        unlinkSync(path);
      } catch (error) {
        // Gone already: another run took it over first.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new AuthwatchError(`cannot remove the stale lock ${path}: ${describeFsError(error)}`);
      }
      continue;
    }
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
