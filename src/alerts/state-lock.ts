import { closeSync, fstatSync, linkSync, type BigIntStats, openSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AuthwatchError } from '../core/errors.js';
import { removeQuietly } from '../core/atomic-write.js';
import { describeFsError } from '../core/files.js';
import { makeStateDirectory } from './store.js';
import { identityAlive, ownIdentity, processAlive, type ProcessIdentity } from '../core/process-alive.js';

// The state lock: `state.lock` names the run that delivers, as `<pid> <start> <boot> <nonce>`.
// A run is told apart from a later process with its pid by start time and boot id, so a lock
// left by a killed run never outlives that run. Every step is one atomic filesystem call on a
// file written in full beforehand (Node has no flock, and a native addon would not build on
// Termux):
// - taking a free lock: link() of the run's own file to `state.lock` (fails if it exists);
// - taking over a dead holder's lock: first link() to `state.lock.claim-<its nonce>`, which
//   exactly one run can create, then — the lock still being that dead holder's — rename() over
//   it. Nonces are never reused, so a run that saw the dead lock long ago cannot take a later
//   one; a claimer that died mid-takeover is itself taken over the same way.

const lockName = 'state.lock';
const claimPrefix = `${lockName}.claim-`;
const ownPrefix = `.${lockName}.`;
/** A lock not in this format (an older authwatch's bare pid, or a torn file): stale once its pid is gone, or at this age. */
const foreignLockStaleMs = 60_000;

type LockRead = { kind: 'absent' } | { kind: 'held'; key: string; alive: boolean };

let locksTaken = 0;

/** `<pid>-<start>-<time><count><random>`: unique to this lock of this run, and judged by its name alone. */
function newNonce(identity: ProcessIdentity): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `${identity.pid}-${identity.start ?? '0'}-${Date.now().toString(36)}${(locksTaken++).toString(36)}${random}`;
}

function identityInNonce(nonce: string): ProcessIdentity | null {
  const [pid, start] = nonce.split('-');
  return pid && start && /^\d+$/.test(pid) && /^\d+$/.test(start) ? { pid: Number(pid), start: start === '0' ? null : start, boot: null } : null;
}

function parseLock(text: string): { nonce: string; identity: ProcessIdentity } | null {
  const fields = text.trim().split(' ');
  if (fields.length !== 4 || !/^[1-9]\d*$/.test(fields[0]!) || !/^[\w-]+$/.test(fields[3]!)) return null;
  const field = (value: string) => (value === '-' ? null : value);
  return { nonce: fields[3]!, identity: { pid: Number(fields[0]), start: field(fields[1]!), boot: field(fields[2]!) } };
}

function lockError(path: string, error: unknown): AuthwatchError {
  return new AuthwatchError(`cannot lock the alert state: ${path}: ${describeFsError(error)}`);
}

function readLock(path: string): LockRead {
  let text: string;
  let info: BigIntStats;
  try {
    const fd = openSync(path, 'r');
    try {
      info = fstatSync(fd, { bigint: true });
      text = readFileSync(fd, 'latin1');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw lockError(path, error);
  }
  const parsed = parseLock(text);
  if (parsed) return { kind: 'held', key: parsed.nonce, alive: identityAlive(parsed.identity) };
  const pid = Number(text.trim());
  const young = Date.now() - Number(info.mtimeMs) < foreignLockStaleMs;
  return { kind: 'held', key: `i${info.ino}-${info.mtimeNs}`, alive: young && (!Number.isSafeInteger(pid) || pid <= 0 || processAlive(pid)) };
}

/** link(): creates `to` as `from`'s file, or says it exists. */
function linkExclusive(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw lockError(to, error);
  }
}

/** Replaces `target`, held by the dead `deadKey`, with `own`'s file; at most one run succeeds. */
function replaceDead(dir: string, target: string, deadKey: string, own: string): boolean {
  const claim = join(dir, `${claimPrefix}${deadKey}`);
  if (!linkExclusive(own, claim)) {
    const claimer = readLock(claim);
    if (claimer.kind === 'absent' || claimer.alive || !replaceDead(dir, claim, claimer.key, own)) return false;
  }
  // This run holds the claim, and a dead holder never writes again: if the target still names
  // it, nothing else can change it before the rename.
  const current = readLock(target);
  if (current.kind === 'held' && current.key === deadKey) {
    try {
      renameSync(claim, target);
      return true;
    } catch (error) {
      throw lockError(target, error);
    }
  }
  removeQuietly(claim);
  return false;
}

function tryLock(dir: string, own: string): boolean {
  const lock = join(dir, lockName);
  for (;;) {
    if (linkExclusive(own, lock)) return true;
    const held = readLock(lock);
    if (held.kind === 'absent') continue; // released just now
    return !held.alive && replaceDead(dir, lock, held.key, own);
  }
}

/**
 * What killed runs left: their own files, and every claim (while this run holds the lock, no
 * claim can succeed, so none is in use).
 */
function sweep(dir: string, own: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // tidying is best effort: the lock is held either way
  }
  for (const name of names) {
    if (name.startsWith(claimPrefix)) removeQuietly(join(dir, name));
    else if (name.startsWith(ownPrefix) && join(dir, name) !== own) {
      const identity = identityInNonce(name.slice(ownPrefix.length));
      if (identity && !identityAlive(identity)) removeQuietly(join(dir, name));
    }
  }
}

/**
 * An exclusive lock on the state directory `dir` (made if needed), so overlapping runs (a
 * timer, a daemon, a manual check) never both send. Resolves to a release function, or `null`
 * if another live run kept it for `waitMs`. (Synchronous file calls, like every small local
 * file operation here; only the wait is not.)
 */
export async function lockState(dir: string, waitMs: number): Promise<(() => void) | null> {
  makeStateDirectory(dir);
  const identity = ownIdentity();
  const nonce = newNonce(identity);
  const own = join(dir, `${ownPrefix}${nonce}`);
  try {
    writeFileSync(own, `${identity.pid} ${identity.start ?? '-'} ${identity.boot ?? '-'} ${nonce}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    removeQuietly(own); // created, but a full disk left it empty
    throw lockError(own, error);
  }
  const deadline = Date.now() + waitMs;
  try {
    for (;;) {
      if (tryLock(dir, own)) {
        sweep(dir, own);
        return () => {
          removeQuietly(join(dir, lockName));
          removeQuietly(own);
        };
      }
      if (Date.now() > deadline) {
        removeQuietly(own);
        return null;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    removeQuietly(own);
    throw error;
  }
}
