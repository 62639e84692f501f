import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AuthwatchError } from '../errors.js';
import { describeFsError } from '../sources/read-file.js';

/**
 * Replaces `path` atomically: the text goes to `<name>.<pid>.tmp` in the same directory
 * (rename is atomic only within one filesystem), is flushed to disk, then renamed over the
 * target — a reader such as node_exporter sees the old file or the new one, never half.
 */
export async function writeFileAtomic(path: string, text: string, mode: number): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const handle = await open(temporary, 'w', mode);
    try {
      await handle.writeFile(text);
      await handle.chmod(mode); // the umask must not narrow it: node_exporter runs as another user
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** Writes the node_exporter textfile-collector file (mode 0644, so user `prometheus` can read it). */
export async function writeTextfile(path: string, text: string): Promise<void> {
  if (!path.endsWith('.prom')) throw new AuthwatchError(`--textfile ${path}: node_exporter only reads files ending in .prom`);
  try {
    await writeFileAtomic(path, text, 0o644);
  } catch (error) {
    throw new AuthwatchError(`cannot write the textfile ${path}: ${describeFsError(error)}`);
  }
}
