import { AuthwatchError } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { describeFsError } from '../core/files.js';
import { quoteArgument } from '../core/quote-argument.js';

/**
 * Writes the node_exporter textfile-collector file (mode 0644, so user `prometheus` can read
 * it). Not flushed to disk: the next run rewrites it anyway, and node_exporter needs the
 * rename's atomicity, not durability — one fsync fewer every 15 minutes on a phone's flash.
 */
export function writeTextfile(path: string, text: string): void {
  if (!path.endsWith('.prom')) throw new AuthwatchError(`--textfile ${quoteArgument(path)}: node_exporter only reads files ending in .prom`);
  try {
    writeFileAtomic(path, text, { mode: 0o644, durable: false });
  } catch (error) {
    throw new AuthwatchError(`cannot write the textfile ${quoteArgument(path)}: ${describeFsError(error)}`);
  }
}
