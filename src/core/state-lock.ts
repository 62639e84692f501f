import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, renameSync, symlinkSync, writeFileSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { AuthwatchError } from './errors.js';
import { removeQuietly } from './atomic-write.js';
import { describeFsError } from './files.js';
import { makeStateDirectory } from './state-dir.js';
import { bootId, identityAlive, ownIdentity, processAlive, processStartedAt, type ProcessIdentity } from './process-alive.js';

// The state lock: `state.lock` is a symbolic link to `.state.lock.<nonce>`, the run's own file,
// and the nonce names the run: `<pid>-<start>-<boot>-<unique>`. A run is told apart from a later
// process with its pid by start time and boot id, so a lock left by a killed run never outlives
// that run. Every step is one atomic filesystem call that creates a name with its content
// (Node has no flock, a native addon would not build on Termux, and Android's SELinux denies
// apps link(), which an earlier version used):
// - taking a free lock: symlink() to `state.lock` (fails if it exists);
// - taking over a dead holder's lock: first symlink() to `state.lock.claim-<its key>`, which
//   exactly one run can create, then — the lock still being that dead holder's — rename() over
//   it. Nonces are never reused, so a run that saw the dead lock long ago cannot take a later
//   one; a claimer that died mid-takeover is itself taken over the same way.
// The lock is never opened through: a FIFO or a link to /dev/zero in its place cannot block or
// flood a run. The own file holds `<pid> <start> <boot> <nonce>` for earlier versions, which
// read the lock through the link; their own locks (that line in a regular file, or a bare pid)
// are read too.

/** The alert state's lock; the live checks' store has its own (`live.lock`), taken the same way. */
const defaultLockName = 'state.lock';
const namesOf = (lockName: string) => ({ lockName, claimPrefix: `${lockName}.claim-`, ownPrefix: `.${lockName}.` });
type LockNames = ReturnType<typeof namesOf>;
/** The default run deadline (cli/deadline.ts): no run holds the lock longer. */
const runDeadlineMs = 90_000;
/** A regular-file lock not (yet) in a known format: an earlier version between creating and writing it. */
const tornLockGraceMs = 5_000;
/** Earlier versions' lock lines are short; a longer file is not one of them. */
const maxLockFileBytes = 256;

type LockRead = { kind: 'absent' } | { kind: 'held'; key: string; alive: boolean; holder: string };

let locksTaken = 0;

/** The boot id's first 8 hex digits: enough to tell boots apart, and short (see newNonce). */
const bootTag = (boot: string | null) => (boot !== null && /^[0-9a-f]{8}-/.test(boot) ? boot.slice(0, 8) : '0');

/**
 * `<pid>-<start>-<boot tag>-<time><count><random>`: unique to this lock of this run, and judged
 * by its name alone. The link's target stays under 60 bytes, which ext4 keeps in the inode
 * (a longer one costs a data block: taking and releasing the lock took 5× as long).
 */
function newNonce(identity: ProcessIdentity): string {
  const random = Math.random().toString(36).slice(2, 6);
  return `${identity.pid}-${identity.start ?? '0'}-${bootTag(identity.boot)}-${Date.now().toString(36)}${(locksTaken++).toString(36)}${random}`;
}

/** The holder a nonce names: its boot by tag only. Also an earlier version's `<pid>-<start>-<unique>` (its own files are swept too). */
function identityInNonce(nonce: string): { identity: ProcessIdentity; bootTag: string | null } | null {
  const parts = nonce.split('-');
  const [pid, start] = parts;
  const boot = parts.length === 4 ? parts[2]! : '0';
  if ((parts.length !== 3 && parts.length !== 4) || !/^[1-9]\d*$/.test(pid!) || !/^\d+$/.test(start!) || !/^[0-9a-f]{8}$|^0$/.test(boot) || !/^[a-z0-9]+$/.test(parts.at(-1)!)) return null;
  return { identity: { pid: Number(pid), start: start === '0' ? null : start!, boot: null }, bootTag: boot === '0' ? null : boot };
}

/** Whether the run a nonce names still runs: not if it ran in another boot. */
function nonceHolderAlive(holder: { identity: ProcessIdentity; bootTag: string | null }): boolean {
  const currentBoot = bootId();
  if (holder.bootTag !== null && currentBoot !== null && bootTag(currentBoot) !== holder.bootTag) return false;
  return identityAlive(holder.identity);
}

/** An earlier version's lock line, `<pid> <start> <boot> <nonce>`. */
function parseLockLine(text: string): { nonce: string; identity: ProcessIdentity } | null {
  const fields = text.trim().split(' ');
  if (fields.length !== 4 || !/^[1-9]\d*$/.test(fields[0]!) || !/^[\w-]+$/.test(fields[3]!)) return null;
  const field = (value: string) => (value === '-' ? null : value);
  return { nonce: fields[3]!, identity: { pid: Number(fields[0]), start: field(fields[1]!), boot: field(fields[2]!) } };
}

function lockError(path: string, error: unknown): AuthwatchError {
  const code = (error as NodeJS.ErrnoException).code;
  const fix =
    code === 'EPERM' || code === 'EACCES' || code === 'ENOSYS' || code === 'EOPNOTSUPP'
      ? '; fix: keep the state directory on a file system with symbolic links (on Android: inside Termux\'s $HOME, not shared storage /sdcard), e.g. unset $XDG_STATE_HOME'
      : code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST'
        ? `; fix: remove ${path} (it is not a lock authwatch made)`
        : '';
  return new AuthwatchError(`cannot lock the alert state: ${path}: ${describeFsError(error)}${fix}`);
}

/** Whether a run that wrote only its pid, `writtenAt`, can still be holding the lock. */
function barePidAlive(pid: number, writtenAt: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  const started = processStartedAt(pid);
  if (started === null) return false;
  // A process that started after the lock was written is a later one with that pid.
  if (started !== undefined && started > writtenAt + 1_000) return false;
  return Date.now() - writtenAt < runDeadlineMs && processAlive(pid);
}

/** A holder that recorded no start time cannot be told from a later process with its pid: believed only within a run's deadline. */
function identityHolds(identity: ProcessIdentity, writtenAt: number): boolean {
  if (identity.start === null && Date.now() - writtenAt >= runDeadlineMs) return false;
  return identityAlive(identity);
}

/** At most `maxLockFileBytes` of a regular file, never following a link and never waiting on a FIFO. */
function readSmallFile(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) return '';
    const buffer = Buffer.alloc(maxLockFileBytes + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return length > maxLockFileBytes ? '' : buffer.toString('latin1', 0, length);
  } finally {
    closeSync(fd);
  }
}

function readLock(path: string, { ownPrefix }: LockNames): LockRead {
  let info: BigIntStats;
  let target: string | null = null;
  let text = '';
  try {
    info = lstatSync(path, { bigint: true });
    if (info.isSymbolicLink()) target = readlinkSync(path);
    else if (info.isFile()) text = readSmallFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ELOOP, EINVAL: replaced between the lstat and the read — as good as released just now.
    if (code === 'ENOENT' || code === 'ELOOP' || code === 'EINVAL') return { kind: 'absent' };
    throw lockError(path, error);
  }
  const writtenAt = Number(info.mtimeMs);
  const foreign = { kind: 'held' as const, key: `i${info.ino}-${info.mtimeNs}`, alive: false, holder: `${path} (not a lock)` };
  if (target !== null) {
    const nonce = target.startsWith(ownPrefix) ? target.slice(ownPrefix.length) : '';
    const holder = identityInNonce(nonce);
    // A link authwatch did not make (to /dev/zero, say) holds nothing: it is never followed.
    if (!holder) return foreign;
    const believed = holder.identity.start !== null || Date.now() - writtenAt < runDeadlineMs;
    return { kind: 'held', key: nonce, alive: believed && nonceHolderAlive(holder), holder: `pid ${holder.identity.pid}` };
  }
  if (!info.isFile()) return foreign; // a FIFO, directory or device: never opened
  const parsed = parseLockLine(text);
  if (parsed) return { kind: 'held', key: parsed.nonce, alive: identityHolds(parsed.identity, writtenAt), holder: `pid ${parsed.identity.pid}` };
  const bare = text.trim();
  if (/^\d{1,10}$/.test(bare)) return { ...foreign, alive: barePidAlive(Number(bare), writtenAt), holder: `pid ${bare}` };
  return { ...foreign, alive: Date.now() - writtenAt < tornLockGraceMs };
}

/** symlink(): creates `to` pointing at `target`, or says it exists. */
function symlinkExclusive(target: string, to: string): boolean {
  try {
    symlinkSync(target, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw lockError(to, error);
  }
}

/** Replaces `lock`, held by the dead `deadKey`, with a link to `own`; at most one run succeeds. */
function replaceDead(dir: string, lock: string, deadKey: string, own: string, names: LockNames): boolean {
  const claim = join(dir, `${names.claimPrefix}${deadKey}`);
  if (!symlinkExclusive(own, claim)) {
    const claimer = readLock(claim, names);
    if (claimer.kind === 'absent' || claimer.alive || !replaceDead(dir, claim, claimer.key, own, names)) return false;
  }
  // This run holds the claim, and a dead holder never writes again: if the lock still names
  // it, nothing else can change it before the rename.
  const current = readLock(lock, names);
  if (current.kind === 'held' && current.key === deadKey) {
    try {
      renameSync(claim, lock);
      return true;
    } catch (error) {
      removeQuietly(claim);
      throw lockError(lock, error);
    }
  }
  removeQuietly(claim);
  return false;
}

/** `null`: taken; else who holds it. */
function tryLock(dir: string, own: string, names: LockNames): string | null {
  const lock = join(dir, names.lockName);
  for (;;) {
    if (symlinkExclusive(own, lock)) return null;
    const held = readLock(lock, names);
    if (held.kind === 'absent') continue; // released just now
    if (held.alive || !replaceDead(dir, lock, held.key, own, names)) return held.holder;
    return null;
  }
}

/**
 * What killed runs left: their own files, and every claim (while this run holds the lock, no
 * claim can succeed, so none is in use).
 */
function sweep(dir: string, own: string, { claimPrefix, ownPrefix }: LockNames): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // tidying is best effort: the lock is held either way
  }
  for (const name of names) {
    if (name.startsWith(claimPrefix)) removeQuietly(join(dir, name));
    else if (name.startsWith(ownPrefix) && name !== own) {
      const holder = identityInNonce(name.slice(ownPrefix.length));
      if (holder && !nonceHolderAlive(holder)) removeQuietly(join(dir, name));
    }
  }
}

/** The lock held: `release` gives it up. Or not: `heldBy` says who kept it for the whole wait. */
export type StateLock = { release: () => void; heldBy?: undefined } | { heldBy: string; release?: undefined };

/**
 * An exclusive lock on the state directory `dir` (made if needed), so overlapping runs (a
 * timer, a daemon, a manual check) never both send — or, as `live.lock`, both ask a provider
 * about one credential. Waits up to `waitMs` for a live holder.
 * (Synchronous file calls, like every small local file operation here; only the wait is not.)
 */
export async function lockState(dir: string, waitMs: number, lockName = defaultLockName): Promise<StateLock> {
  makeStateDirectory(dir);
  const names = namesOf(lockName);
  const { ownPrefix } = names;
  const identity = ownIdentity();
  const nonce = newNonce(identity);
  const own = `${ownPrefix}${nonce}`;
  const ownPath = join(dir, own);
  try {
    writeFileSync(ownPath, `${identity.pid} ${identity.start ?? '-'} ${identity.boot ?? '-'} ${nonce}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    removeQuietly(ownPath); // created, but a full disk left it empty
    throw lockError(ownPath, error);
  }
  const deadline = Date.now() + waitMs;
  try {
    for (;;) {
      const holder = tryLock(dir, own, names);
      if (holder === null) {
        sweep(dir, own, names);
        return {
          release: () => {
            removeQuietly(join(dir, lockName));
            removeQuietly(ownPath);
          },
        };
      }
      if (Date.now() > deadline) {
        removeQuietly(ownPath);
        return { heldBy: holder };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } catch (error) {
    removeQuietly(ownPath);
    throw error;
  }
}
