import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AuthwatchError } from '../errors.js';
import { writeFileAtomic } from '../fs-atomic.js';
import type { Logger } from '../log.js';
import { parseJsonText, describeFsError } from '../sources/read-file.js';
import { expandHome } from '../sources/openclaw-paths.js';
import { alertStateSchema, emptyState, type AlertState } from './decide.js';

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
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
    throw new AuthwatchError(`cannot read the alert state ${path}: ${describeFsError(error)}`);
  }
  const json = parseJsonText(text);
  const parsed = json.ok ? alertStateSchema.safeParse(json.value) : null;
  if (parsed?.success) return parsed.data;
  const aside = `${path}.corrupt-${new Date(now).toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, aside).catch(() => undefined);
  log.warn({ path, movedTo: aside }, 'the alert state was unreadable; moved it aside and started afresh');
  return emptyState();
}

export async function saveState(dir: string, state: AlertState): Promise<void> {
  const path = join(dir, 'state.json');
  try {
    await writeFileAtomic(path, `${JSON.stringify(state)}\n`, 0o600);
  } catch (error) {
    throw new AuthwatchError(`cannot save the alert state ${path}: ${describeFsError(error)}`);
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock on the state directory, so two overlapping runs (cron, Termux, a manual
 * check next to the timer) never both send. A lock left by a dead process is taken over.
 * Resolves to a release function, or `null` if another live run kept it for `waitMs`.
 */
export async function lockState(dir: string, waitMs: number): Promise<(() => Promise<void>) | null> {
  await mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: unknown) => {
    throw new AuthwatchError(`cannot create the state directory ${dir}: ${describeFsError(error)}`);
  });
  const path = join(dir, 'state.lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => unlink(path).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new AuthwatchError(`cannot lock ${path}: ${describeFsError(error)}`);
    }
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(holder) && holder > 0 && !processAlive(holder)) {
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
