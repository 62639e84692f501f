import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { AuthwatchError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import type { Logger } from '../core/log.js';
import { parseJsonText, describeFsError } from '../core/files.js';
import { readStateFile } from '../core/state-dir.js';
import { emptyState, type AlertState } from './decide.js';
import { readAlertState } from './state-format.js';

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
