import { fstatSync, statSync, writeSync } from 'node:fs';
import { AuthwatchError } from '../errors.js';
import { describeFsError } from '../sources/read-file.js';

/**
 * Writes a command's output straight to fd 1. Touching process.stdout first builds Node's
 * stream machinery (≈ 2.5 ms of a 40 ms check); a command that prints once at the end needs
 * none of it. A non-blocking stdout that is full (EAGAIN) hands the rest to process.stdout,
 * which waits for the reader; a reader that went away (EPIPE, `| head`) ends the output; any
 * other failure (a full disk) is said as such.
 */
export function writeStdout(text: string): void {
  // The string goes to the kernel as it is (Node encodes it outside the JavaScript heap: a
  // 10,000-profile table is 1.5 MB of it); only what a short write leaves is made a Buffer.
  let rest: string | Buffer = text;
  while (rest.length > 0) {
    try {
      if (typeof rest !== 'string') rest = rest.subarray(writeSync(1, rest));
      else {
        const written = writeSync(1, rest);
        if (written === Buffer.byteLength(rest)) return;
        rest = Buffer.from(rest).subarray(written);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') process.stdout.write(rest);
      else if (code !== 'EPIPE') throw new AuthwatchError(`cannot write the output: ${describeFsError(error)}`);
      return;
    }
  }
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
