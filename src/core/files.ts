import { type BigIntStats, closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** Credential files are small; anything larger is not one of ours (or is being abused). */
export const maxCredentialFileBytes = 4 * 1024 * 1024;
/** A unit file or a launcher script authwatch installed, or a unit it migrates from: a few KB. */
export const maxUnitFileBytes = 256 * 1024;

type FileRead =
  | { kind: 'absent' }
  | { kind: 'ok'; text: string; mtimeMs: number }
  | { kind: 'error'; message: string };

const errnoWords: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many levels of symbolic links (a symlink loop?)',
  EISDIR: 'a directory, not a file',
  ENOTDIR: 'a parent of this path is not a directory',
  EIO: 'I/O error while reading',
  ENAMETOOLONG: 'path is too long',
  ENOENT: 'no such file or directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
};

/** Plain words for a filesystem error; never the raw message, which may quote paths twice. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && errnoWords[code]) return errnoWords[code];
  return code ? `failed (${code})` : 'failed';
}

function isAbsent(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function describeKind(info: Stats | BigIntStats): string {
  if (info.isDirectory()) return 'a directory, not a file';
  if (info.isFIFO()) return 'a named pipe (FIFO), not a regular file';
  if (info.isSocket()) return 'a socket, not a regular file';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device, not a regular file';
  return 'not a regular file';
}

function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

type OpenedFile<S extends Stats | BigIntStats = Stats> = { kind: 'absent' } | { kind: 'open'; fd: number; info: S } | { kind: 'error'; message: string };

interface OpenOptions {
  /** Why the opened file must not be read, if it must not (see core/file-trust.ts): judged on its fstat, no window for a swap. */
  distrust?: (info: Stats) => string | undefined;
  /** Refuse a symlink in the file's place (the caches: what they hold becomes code). */
  noFollow?: boolean;
}

/**
 * The one way authwatch opens a file from outside or from its state dir. Non-blocking, so a
 * FIFO in the file's place is refused instead of hanging the run (a blocking open would block
 * the event loop, where no deadline can fire); regular files only (no /dev/zero, no socket);
 * `distrust` judges owner and mode on the opened file. A missing file is `absent`. The caller
 * closes an `open` fd. `bigint` gives the exact sizes and times the SQLite reader compares.
 */
export function openRegularFile(path: string, options?: OpenOptions & { bigint?: false }): OpenedFile;
export function openRegularFile(path: string, options: OpenOptions & { bigint: true }): OpenedFile<BigIntStats>;
export function openRegularFile(path: string, options: OpenOptions & { bigint?: boolean } = {}): OpenedFile<Stats> | OpenedFile<BigIntStats> {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY | (options.noFollow ? constants.O_NOFOLLOW : 0));
  } catch (error) {
    if (isAbsent(error)) return { kind: 'absent' };
    return { kind: 'error', message: (error as NodeJS.ErrnoException).code === 'ELOOP' && options.noFollow ? 'a symbolic link, not a file' : describeFsError(error) };
  }
  try {
    const info = options.bigint ? fstatSync(fd, { bigint: true }) : fstatSync(fd);
    const refused = !info.isFile() ? describeKind(info) : options.distrust?.(options.bigint ? fstatSync(fd) : (info as Stats));
    if (refused === undefined) return { kind: 'open', fd, info } as OpenedFile<Stats> | OpenedFile<BigIntStats>;
    closeSync(fd);
    return { kind: 'error', message: refused };
  } catch (error) {
    closeSync(fd);
    return isAbsent(error) ? { kind: 'absent' } : { kind: 'error', message: describeFsError(error) };
  }
}

type BoundedRead = { kind: 'absent' } | { kind: 'ok'; bytes: Buffer; mtimeMs: number } | { kind: 'error'; message: string };

/**
 * A whole file through openRegularFile, refused when it is over `maxBytes` (its size is read
 * before any byte: a sparse 100 MB file costs nothing) or grows past it while being read.
 */
function readBoundedFile(path: string, maxBytes: number, options: OpenOptions & { limitFor?: string } = {}): BoundedRead {
  const limit = `the ${formatBytes(maxBytes)} limit for ${options.limitFor ?? 'this file'}`;
  const opened = openRegularFile(path, options);
  if (opened.kind !== 'open') return opened;
  try {
    const { fd, info } = opened;
    if (info.size > maxBytes) return { kind: 'error', message: `${formatBytes(info.size)}, over ${limit}` };
    const bytes = readUpTo(fd, maxBytes + 1, info.size);
    if (bytes.length > maxBytes) return { kind: 'error', message: `grew over ${limit} while being read` };
    return { kind: 'ok', bytes, mtimeMs: info.mtimeMs };
  } catch (error) {
    return isAbsent(error) ? { kind: 'absent' } : { kind: 'error', message: describeFsError(error) };
  } finally {
    closeSync(opened.fd);
  }
}

/** A file's text (UTF-8, or UTF-16 with its BOM), bounded like readBoundedFile. */
export function readBoundedText(path: string, maxBytes: number, options: OpenOptions & { limitFor?: string } = {}): FileRead {
  const read = readBoundedFile(path, maxBytes, options);
  return read.kind === 'ok' ? { kind: 'ok', text: decode(read.bytes), mtimeMs: read.mtimeMs } : read;
}

/**
 * Reads a credential file without trusting what is there (see openRegularFile), up to the
 * credential size cap. A missing file is `absent`, not an error: most hosts have only some of
 * the sources.
 *
 * Synchronous on purpose: a check reads a few small local files per agent, and each
 * asynchronous call is a trip to libuv's thread pool for four syscalls of a few microseconds.
 * A dead network filesystem hangs open() and stat() either way (no timer can cut a blocked
 * open); the check unit's TimeoutStartSec bounds such a run.
 */
export async function readCredentialFile(path: string, distrust?: (info: Stats) => string | undefined): Promise<FileRead> {
  const read = readBoundedText(path, maxCredentialFileBytes, { distrust, limitFor: 'a credential file' });
  return read.kind === 'ok' && read.text.trim() === '' ? { kind: 'error', message: 'empty file' } : read;
}

/**
 * What is at `path`, or undefined when nothing can be seen there (missing, or a parent not
 * searchable). Synchronous, like the reads (see readCredentialFile).
 */
export function statIfVisible(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Whether anything is at `path` (used to see that a file is there without reading it). */
export function pathExists(path: string): boolean {
  return statIfVisible(path) !== undefined;
}

/** Reads until end of file or `limit` bytes: one read call for a file that did not change since its stat. */
function readUpTo(fd: number, limit: number, expected: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(Math.min(limit - total, Math.max(expected - total + 1, 16 * 1024)));
    const bytesRead = readSync(fd, buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    chunks.push(buffer.subarray(0, bytesRead));
    total += bytesRead;
    if (total >= limit) break;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * JSON.parse with an error message that never quotes the input: V8's own messages include a
 * snippet of the text, which for a credential file may be part of a token.
 */
export function parseJsonText(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const raw = error instanceof Error ? error.message : '';
    if (/end of JSON input|Unterminated/i.test(raw)) {
      return { ok: false, message: 'not valid JSON: it ends too early (truncated or half-written?)' };
    }
    const position = /position (\d+)/.exec(raw);
    if (position) {
      const { line, column } = lineAndColumn(text, Number(position[1]));
      return { ok: false, message: `not valid JSON (syntax error at line ${line}, column ${column})` };
    }
    return { ok: false, message: 'not valid JSON' };
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { line, column };
}
