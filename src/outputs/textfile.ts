import { AuthwatchError } from '../errors.js';
import { writeFileAtomic } from '../fs-atomic.js';
import { describeFsError } from '../sources/read-file.js';

/** Writes the node_exporter textfile-collector file (mode 0644, so user `prometheus` can read it). */
export function writeTextfile(path: string, text: string): void {
  if (!path.endsWith('.prom')) throw new AuthwatchError(`--textfile ${path}: node_exporter only reads files ending in .prom`);
  try {
    writeFileAtomic(path, text, 0o644);
  } catch (error) {
    throw new AuthwatchError(`cannot write the textfile ${path}: ${describeFsError(error)}`);
  }
}
