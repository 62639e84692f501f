// The fd writer. Buys: a write failure (full disk, reader gone) known at the write, in order
// with the run, instead of a later 'error' event of process.stdout; its start-up saving over the
// stream is noise on Node 24 (x1.02 CPU of `node -e 0`, 40 paired runs).
// TODO(node>=26): remove if process.stdout can report a write failure synchronously.
import { writeSync } from 'node:fs';
import { AuthwatchError, ExitCode } from '../core/errors.js';
import { describeFsError } from '../core/files.js';
import { scrub } from '../core/scrub.js';

type Fd = 1 | 2;

/** Per fd: 'gone' once its reader left (EPIPE), 'stream' once a write was left to Node's stream (which then takes the rest, in order). */
const state: Record<Fd, 'fd' | 'stream' | 'gone'> = { 1: 'fd', 2: 'fd' };

/**
 * Writes a command's output. A reader that went away (`| head`) only loses the output: the run
 * goes on (alerts, metrics) and exits with its own code. Any other failure (a full disk) is said.
 */
export function writeStdout(text: string): void {
  const failure = write(1, text);
  if (failure !== null) throw new AuthwatchError(`cannot write the output: ${describeFsError(failure)}`);
}

/** Writes a message for the user; a failure there has nowhere to be told. */
export function writeStderr(text: string): void {
  write(2, text);
}

/**
 * Every byte authwatch prints passes here, through the scrubber: no secret of the run leaves.
 * Written straight to the fd; a full non-blocking fd (EAGAIN) hands the rest to the stream,
 * which waits for the reader. Returns the error that stopped the write, `null` when all was
 * written or the reader left.
 */
function write(fd: Fd, text: string): unknown {
  if (state[fd] === 'gone') return null;
  text = scrub(text);
  if (state[fd] === 'stream') {
    stream(fd).write(text);
    return null;
  }
  // A string goes to the kernel as it is; only what a short write leaves is made bytes.
  let rest: string | Buffer = text;
  while (rest.length > 0) {
    try {
      if (typeof rest !== 'string') rest = rest.subarray(writeSync(fd, rest));
      else {
        const written: number = writeSync(fd, rest);
        rest = written === Buffer.byteLength(rest) ? '' : Buffer.from(rest).subarray(written);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') state[fd] = 'gone';
      else if (code === 'EAGAIN') {
        state[fd] = 'stream';
        stream(fd).write(rest);
      } else return error;
      return null;
    }
  }
  return null;
}

function stream(fd: Fd): NodeJS.WriteStream {
  const out = fd === 1 ? process.stdout : process.stderr;
  if (out.listenerCount('error') === 0) {
    out.on('error', (error: NodeJS.ErrnoException) => {
      state[fd] = 'gone';
      if (error.code === 'EPIPE' || fd === 2) return;
      process.exitCode = ExitCode.CouldNotRun;
      writeStderr(`authwatch: cannot write the output: ${describeFsError(error)}\n`);
    });
  }
  return out;
}
