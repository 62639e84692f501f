import { fstatSync, statSync } from 'node:fs';

/**
 * Whether fd 0, 1 or 2 is a terminal. Asked of node:tty only for a character device other than
 * /dev/null: node:tty (and `process.stdin`/`process.stdout`, which build streams) load net and
 * the stream modules, which a timer's run to a file, a pipe, the journal or /dev/null never needs.
 */
export function isTerminal(fd: 0 | 1 | 2): boolean {
  try {
    const info = fstatSync(fd);
    if (!info.isCharacterDevice() || info.rdev === statSync('/dev/null').rdev) return false;
  } catch {
    return false;
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}
