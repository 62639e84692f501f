import { join } from 'node:path';
import { AuthwatchError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { describeFsError, parseJsonText } from '../core/files.js';
import { readObject, type JsonObject, type Read } from '../core/json-reader.js';
import type { Logger } from '../core/log.js';
import { makeStateDirectory, readStateFile, stateDirectory } from '../core/state-dir.js';
import type { Evaluation } from '../evaluate/evaluate.js';
import { credentialKey, emptyCredentialMemory, sameMemory, trackCredentialChanges, type CredentialMemory, type WatchedCredential } from '../evaluate/credential-changes.js';
import { evaluationsInWindow } from '../evaluate/routes.js';
import type { SourceContext } from '../sources/source.js';

// `credentials.json` in the state dir: the fingerprints of the credentials in an unusable
// window, run to run (src/evaluate/credential-changes.ts says why). Every check and daemon run
// reads it; a run writes it only when it learnt something. It only adds a hint ("stale"), so a
// memory that cannot be read or written costs that hint and a warning, never the run.
// Overlapping runs: the last one's write wins; at worst a change is seen one run later.

const fileName = 'credentials.json';

function readWatched(entry: JsonObject): WatchedCredential {
  const timeOrNull = (key: string) => (entry.fields[key] === null ? null : entry.requiredTime(key));
  return { fingerprint: entry.requiredString('fingerprint'), seenAt: entry.requiredTime('seenAt'), changedAt: timeOrNull('changedAt'), changedAfter: timeOrNull('changedAfter') };
}

function readCredentialMemory(document: unknown): Read<CredentialMemory> {
  return readObject(document, (memory) => {
    if (memory.fields.version !== 1) memory.problems.add(memory.at('version'), 'Invalid input: expected 1');
    return { version: 1, credentials: memory.mapOf('credentials', readWatched) };
  });
}

function load(dir: string, log: Logger): CredentialMemory | null {
  let text: string | null;
  try {
    text = readStateFile(dir, fileName, 'credential memory');
  } catch (error) {
    log.warn({ error: (error as AuthwatchError).message }, 'cannot read the credential memory; stale cooldowns are not told apart this run');
    return null;
  }
  if (text === null) return emptyCredentialMemory();
  const json = parseJsonText(text);
  const memory = json.ok ? readCredentialMemory(json.value) : null;
  if (memory?.ok) return memory.value;
  log.warn({ path: join(dir, fileName) }, 'the credential memory was unreadable; starting afresh (it is rewritten at the next change)');
  return emptyCredentialMemory();
}

function save(dir: string, memory: CredentialMemory, log: Logger): void {
  const path = join(dir, fileName);
  try {
    makeStateDirectory(dir);
    writeFileAtomic(path, `${JSON.stringify(memory)}\n`, { mode: 0o600, durable: false });
  } catch (error) {
    const message = error instanceof AuthwatchError ? error.message : `cannot save ${path}: ${describeFsError(error)}`;
    log.warn({ error: message }, 'cannot save the credential memory; a changed credential is not remembered');
  }
}

/**
 * This run's step of the memory: what it knows of changed credentials, for the routes. Reads
 * the file, remembers the credentials now in a window, writes it back when that says more
 * (unless `writes` is false: a what-if sees what a real run would, and leaves the file alone).
 */
export function rememberCredentials(context: SourceContext, evaluations: readonly Evaluation[], log: Logger, writes: boolean): CredentialMemory {
  const dir = stateDirectory(context.env, context.home);
  const before = load(dir, log);
  if (before === null) return emptyCredentialMemory();
  const inWindow = evaluationsInWindow(evaluations, context.now);
  if (inWindow.length === 0 && Object.keys(before.credentials).length === 0) return before;
  const next = trackCredentialChanges(before, inWindow, new Set(evaluations.map(credentialKey)), context.now);
  if (writes && !sameMemory(before, next)) save(dir, next, log);
  return next;
}
