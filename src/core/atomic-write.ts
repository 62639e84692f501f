import { closeSync, constants, fchmodSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './process-alive.js';

/**
 * A new file that is ours alone: O_EXCL fails on anything already at the name — a planted
 * symlink included, which is never followed (O_NOFOLLOW says so twice).
 */
const exclusiveCreate = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Replaces `path` atomically: the text goes to a new file of a random name in the same
 * directory (rename is atomic only within one filesystem), created exclusively with its mode,
 * is flushed to disk when `durable`, then renamed over the target — a reader sees the old file
 * or the new one, never half of one, even if the process is killed midway. The rename replaces
 * whatever is at the target (a symlink, a FIFO) and writes through none of it, so a shared
 * directory (a textfile collector's) cannot turn the write onto another file. Every file
 * authwatch writes goes through here. Synchronous: the files are small, and each asynchronous
 * step would be a trip to the thread pool.
 */
export function writeFileAtomic(path: string, text: string | Uint8Array, options: { mode: number; durable: boolean }): void {
  const { mode, durable } = options;
  const { fd, temporary } = createTemporary(path, mode);
  try {
    try {
      fchmodSync(fd, mode); // the umask must not change it (readers may be other users), and before any byte is in
      writeFileSync(fd, text);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    removeQuietly(temporary); // ours: it was created exclusively
    throw error;
  }
  removeOrphans(path);
}

/**
 * `.<name>.<pid>.<random>.tmp`: the pid lets a later run clear a killed writer's file. What keeps
 * a name planted in a shared directory harmless is the exclusive, no-follow open; the random part
 * only makes a clash unlikely (Math.random: node:crypto would be loaded by every run for it).
 */
const random32 = () => Math.floor(Math.random() * 2 ** 32).toString(16).padStart(8, '0');
const randomHex = () => random32() + random32();

function createTemporary(path: string, mode: number): { fd: number; temporary: string } {
  for (let attempt = 0; ; attempt++) {
    const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomHex()}.tmp`);
    try {
      return { fd: openSync(temporary, exclusiveCreate, mode), temporary };
    } catch (error) {
      // A clash with 64 random bits is someone planting names faster than chance: give up soon.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw error;
    }
  }
}

/** Temp files of writers that were killed (SIGKILL, power loss) before their rename. */
function removeOrphans(path: string): void {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^(\d+)\.[0-9a-f]{16}\.tmp$/.exec(name.startsWith(prefix) ? name.slice(prefix.length) : '')?.[1];
    // unlink removes a name, never what a symlink points to: a planted one is only cleared away.
    if (pid !== undefined && Number(pid) > 0 && !processAlive(Number(pid))) removeQuietly(join(dirname(path), name));
  }
}

/** Removes a file if it can; one already gone, or not ours to remove, is left as it is. */
export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone, or not ours to remove: nothing to do
  }
}

/**
 * `mkdir -p` that always ends. Node's `{ recursive: true }` spins forever where mkdir answers
 * ENOENT under a parent that exists (e.g. anywhere under /proc); this creates the parents
 * once, then the directory, and reports the error of the directory itself.
 */
export function makeDirectory(dir: string, mode: number): void {
  try {
    mkdirSync(dir, { mode });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(dir).isDirectory()) return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    makeDirectory(parent, mode);
    try {
      mkdirSync(dir, { mode });
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(dir).isDirectory()) throw again;
    }
  }
}
