import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './process-alive.js';

/**
 * Replaces `path` atomically: the text goes to `.<name>.<pid>.tmp` in the same directory
 * (rename is atomic only within one filesystem), is flushed to disk, then renamed over the
 * target — a reader sees the old file or the new one, never half of one, even if the process
 * is killed midway.
 */
export async function writeFileAtomic(path: string, text: string, mode: number): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const handle = await open(temporary, 'w', mode);
    try {
      await handle.writeFile(text);
      await handle.chmod(mode); // the umask must not change it: readers may be other users
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await removeOrphans(path);
}

/** Temp files of writers that were killed (SIGKILL, power loss) before their rename. */
async function removeOrphans(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => []);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length, -'.tmp'.length));
    if (Number.isInteger(pid) && pid > 0 && !processAlive(pid)) await unlink(join(dirname(path), name)).catch(() => undefined);
  }
}

/**
 * `mkdir -p` that always ends. Node's `{ recursive: true }` spins forever where mkdir answers
 * ENOENT under a parent that exists (e.g. anywhere under /proc); this creates the parents
 * once, then the directory, and reports the error of the directory itself.
 */
export async function makeDirectory(dir: string, mode: number): Promise<void> {
  try {
    await mkdir(dir, { mode });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && (await stat(dir)).isDirectory()) return;
    const parent = dirname(dir);
    if (code !== 'ENOENT' || parent === dir) throw error;
    await makeDirectory(parent, mode);
    await mkdir(dir, { mode }).catch(async (again: NodeJS.ErrnoException) => {
      if (again.code !== 'EEXIST' || !(await stat(dir)).isDirectory()) throw again;
    });
  }
}
