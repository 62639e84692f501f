import { fstatSync, statSync, writeSync } from 'node:fs';
import { AuthwatchError } from '../core/errors.js';
import { describeFsError } from '../core/files.js';
import { scrub, scrubOutput } from '../core/scrub.js';

/** Set once a write was left to a Node stream, which may still hold it. */
let handedToStream = false;

/**
 * Writes a command's output straight to fd 1. Touching process.stdout first builds Node's
 * stream machinery (≈ 2.5 ms of a 40 ms check); a command that prints once at the end needs
 * none of it. A non-blocking stdout that is full (EAGAIN) hands the rest to process.stdout,
 * which waits for the reader; a reader that went away (EPIPE, `| head`) ends the output; any
 * other failure (a full disk) is said as such.
 */
export function writeStdout(output: string | Uint8Array): void {
  const failure = writeAll(1, scrubOutput(output));
  if (failure !== null) throw new AuthwatchError(`cannot write the output: ${describeFsError(failure)}`);
}

/** Writes a message straight to fd 2, as writeStdout does; a failure there has nowhere to be told. */
export function writeStderr(text: string): void {
  writeAll(2, scrub(text));
}

/**
 * Whether everything written went to the kernel already. Then a finished `check` may leave
 * at once instead of letting Node drain the event loop, where V8 finishes the major GC a large
 * host's check started (≈ 8 ms with 10,000 profiles) for a heap about to be thrown away.
 */
export function outputSettled(): boolean {
  return !handedToStream;
}

/** The error that stopped the write, `null` when all was written or the reader left (EPIPE). */
function writeAll(fd: 1 | 2, output: string | Uint8Array): unknown {
  // A string goes to the kernel as it is (Node encodes it outside the JavaScript heap); only
  // what a short write leaves is made bytes.
  let rest: string | Uint8Array = output;
  while (rest.length > 0) {
    try {
      if (typeof rest !== 'string') rest = rest.subarray(writeSync(fd, rest));
      else {
        const written = writeSync(fd, rest);
        if (written === Buffer.byteLength(rest)) return null;
        rest = Buffer.from(rest).subarray(written);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        handedToStream = true;
        (fd === 1 ? process.stdout : process.stderr).write(rest);
      }
      return code === 'EAGAIN' || code === 'EPIPE' ? null : error;
    }
  }
  return null;
}

/**
 * Whether stdout is a terminal. Asked of node:tty only for a character device other than
 * /dev/null: loading it brings net and streams (≈ 2 ms), which a timer's run to a file, a pipe,
 * the journal or /dev/null never needs.
 */
export function stdoutIsTerminal(): boolean {
  try {
    const out = fstatSync(1);
    if (!out.isCharacterDevice() || out.rdev === statSync('/dev/null').rdev) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule('node:tty').isatty(1);
}
