import { closeSync, fstatSync, readSync, type BigIntStats } from 'node:fs';
import { describeFsError, openRegularFile } from '../core/files.js';
import { readJournalIndex, type JournalIndex } from './sqlite-journal.js';
import { foldName, tableShape, type Column, type TableShape } from './sqlite-schema.js';
import { readWalIndex, type ReadAt, type WalIndex } from './sqlite-wal.js';

/**
 * A small read-only reader of the SQLite file format, for looking up a few rows by key.
 * It reads only the pages on the way to those rows (plus the -wal file's frame headers and
 * checksums, in bounded chunks), so a state database of any size costs little time and memory;
 * it takes no lock and creates no file (no -shm, no -wal), so a writer is never blocked and
 * never blocks it. A writer changing the files while they are read is seen by comparing the
 * files before and after, and the read is retried. A rollback journal left by a writer (dead
 * or alive) is read over the main file, so only committed rows are seen, as SQLite would.
 * What it cannot decode for sure (an unknown construct) is an error, never a guess.
 */

/** Row lookups in one consistent state of a database. */
export interface ReadOnlyDatabase {
  /**
   * The first row (in rowid order) of `table` whose `keyColumn` is `key`, or null: the values
   * of `columns`, keyed as given (names match case-insensitively, as in SQL). An integer
   * beyond Number's safe range is a bigint.
   */
  find<C extends string>(table: string, keyColumn: string, key: string, columns: readonly C[]): Record<C, unknown> | null;
  /** `find` in a table an older schema may lack: no such table is no row. */
  findOptional<C extends string>(table: string, keyColumn: string, key: string, columns: readonly C[]): Record<C, unknown> | null;
  /**
   * Every row (in rowid order) of `table` whose `keyColumn` is `key`, at most `limit`: the values
   * of `columns`; `null` when the database has no such table (an older schema).
   */
  where<C extends string>(table: string, keyColumn: string, key: string, columns: readonly C[], limit: number): Record<C, unknown>[] | null;
}

/** A value larger than this is not an auth document; refusing it bounds memory. */
const maxValueBytes = 32 * 1024 * 1024;
const maxTreeDepth = 32;
const readAttempts = 4;

/** A problem with the file's content, worded for the user. */
class SqliteFormatError extends Error {}

interface OpenFile {
  fd: number;
  stat: BigIntStats;
}

/** Opens without blocking (a FIFO would wait for a writer) and accepts only a regular file. */
function openRegular(path: string): OpenFile | { error: string } | null {
  const opened = openRegularFile(path, { bigint: true });
  if (opened.kind === 'open') return { fd: opened.fd, stat: opened.info };
  return opened.kind === 'absent' ? null : { error: opened.message };
}

function readerOf(fd: number): ReadAt {
  return (position, length) => {
    const buffer = Buffer.allocUnsafeSlow(length);
    let done = 0;
    while (done < length) {
      const n = readSync(fd, buffer, done, length - done, position + done);
      if (n === 0) break;
      done += n;
    }
    return buffer.subarray(0, done);
  };
}

function sameFile(a: BigIntStats, b: BigIntStats): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

function varint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) throw new SqliteFormatError('a truncated record');
    value = value * 128 + (byte & 0x7f);
    if (byte < 0x80) return [value, at + i + 1];
  }
  const last = bytes[at + 8];
  if (last === undefined) throw new SqliteFormatError('a truncated record');
  return [value * 256 + last, at + 9];
}

/** One consistent reading of the files: the pages of the database as of the last commit. */
class Snapshot {
  readonly pageSize: number;
  readonly usable: number;
  readonly pageCount: number;
  private readonly readDatabase: ReadAt;
  private readonly readWal: ReadAt | null;
  /** The database's text encoding (header field 56): 1 UTF-8, 2 UTF-16le, 3 UTF-16be. */
  private readonly encoding: number;

  private readonly readJournal: ReadAt | null;
  private readonly journal: JournalIndex | null;

  constructor(database: OpenFile, private readonly wal: WalIndex | null, walFd: number | null, journal: { index: JournalIndex; fd: number } | null) {
    this.readDatabase = readerOf(database.fd);
    this.readWal = walFd === null ? null : readerOf(walFd);
    this.journal = journal?.index ?? null;
    this.readJournal = journal ? readerOf(journal.fd) : null;
    const fileHeader = this.readDatabase(0, 100);
    if (!isDatabaseHeader(fileHeader)) throw new SqliteFormatError('not a readable SQLite database (corrupt or not SQLite)');
    this.pageSize = pageSizeOf(fileHeader);
    if (wal && wal.pageSize !== this.pageSize) throw new SqliteFormatError('the -wal file does not belong to this database (page sizes differ)');
    const filePages = Math.floor(Number(database.stat.size) / this.pageSize);
    this.pageCount = wal && wal.databasePages > 0 ? wal.databasePages : (this.journal?.databasePages ?? filePages);
    this.usable = this.pageSize;
    // The rest of the header as of the snapshot: page 1 may be newer in the WAL (or older in
    // the journal) than in the file — a database made in WAL mode has its encoding only there.
    const header = this.page(1).subarray(0, 100);
    if (!isDatabaseHeader(header) || pageSizeOf(header) !== this.pageSize) throw new SqliteFormatError('not a readable SQLite database (page 1 is corrupt)');
    this.usable = this.pageSize - header[20]!;
    if (this.usable < 480) throw new SqliteFormatError('not a readable SQLite database (bad reserved space)');
    this.encoding = new DataView(header.buffer, header.byteOffset, 100).getUint32(56);
  }

  page(number: number): Uint8Array {
    if (number < 1 || number > this.pageCount) throw new SqliteFormatError(`a reference to page ${number} of ${this.pageCount} (corrupt)`);
    const inWal = this.wal?.pages.get(number);
    const inJournal = this.journal?.pages.get(number);
    const bytes =
      inWal !== undefined
        ? this.readWal!(inWal, this.pageSize)
        : inJournal !== undefined
          ? this.readJournal!(inJournal, this.pageSize)
          : this.readDatabase((number - 1) * this.pageSize, this.pageSize);
    if (bytes.length < this.pageSize) throw new SqliteFormatError(`page ${number} is cut short (truncated file)`);
    return bytes;
  }

  /** Calls `visit` with each table-leaf cell's payload reader, in rowid order; stops when it returns true. */
  scanTable(root: number, visit: (cell: Cell) => boolean): void {
    const seen = new Set<number>();
    const walk = (number: number, depth: number): boolean => {
      if (depth > maxTreeDepth || seen.has(number)) throw new SqliteFormatError('a b-tree that loops (corrupt)');
      seen.add(number);
      const page = this.page(number);
      const start = number === 1 ? 100 : 0;
      const type = page[start];
      const cells = (page[start + 3]! << 8) | page[start + 4]!;
      const headerBytes = type === 0x05 ? 12 : 8;
      const pointer = (i: number) => (page[start + headerBytes + 2 * i]! << 8) | page[start + headerBytes + 2 * i + 1]!;
      if (type === 0x05) {
        const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
        for (let i = 0; i < cells; i++) if (walk(view.getUint32(pointer(i)), depth + 1)) return true;
        return walk(view.getUint32(start + 8), depth + 1);
      }
      if (type !== 0x0d) throw new SqliteFormatError(`page ${number} is not a table page (corrupt, or a WITHOUT ROWID table)`);
      for (let i = 0; i < cells; i++) {
        const [size, afterSize] = varint(page, pointer(i));
        const [rowid, payloadAt] = rowidAt(page, afterSize);
        if (visit(new Cell(this, page, payloadAt, size, rowid))) return true;
      }
      return false;
    };
    walk(root, 0);
  }

  text(bytes: Uint8Array): string {
    if (this.encoding !== 2 && this.encoding !== 3) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    const utf16 = Buffer.from(bytes);
    if (this.encoding === 3) utf16.swap16();
    return utf16.toString('utf16le');
  }
}

/** A rowid: a varint read as a signed 64-bit integer (a bigint beyond Number's safe range). */
function rowidAt(bytes: Uint8Array, at: number): [rowid: number | bigint, next: number] {
  let value = 0n;
  for (let i = 0; i < 8; i++) {
    const byte = bytes[at + i];
    if (byte === undefined) throw new SqliteFormatError('a truncated record');
    value = (value << 7n) | BigInt(byte & 0x7f);
    if (byte < 0x80) return [safeNumber(value), at + i + 1];
  }
  const last = bytes[at + 8];
  if (last === undefined) throw new SqliteFormatError('a truncated record');
  return [safeNumber(BigInt.asIntN(64, (value << 8n) | BigInt(last))), at + 9];
}

function safeNumber(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function isDatabaseHeader(header: Uint8Array): boolean {
  return header.length >= 100 && Buffer.from(header.subarray(0, 16)).toString('latin1') === 'SQLite format 3\0' && (pageSizeOf(header) & (pageSizeOf(header) - 1)) === 0 && pageSizeOf(header) >= 512;
}

function pageSizeOf(header: Uint8Array): number {
  const raw = (header[16]! << 8) | header[17]!;
  return raw === 1 ? 65536 : raw;
}

/** A table row's record, decoded on demand: the key column first, the rest only for a match. */
class Cell {
  private payload: Uint8Array;
  private readonly local: number;
  private readonly overflowPage: number;
  private serialTypes: number[] | null = null;
  private bodyAt = 0;

  constructor(private readonly snapshot: Snapshot, page: Uint8Array, at: number, readonly size: number, readonly rowid: number | bigint) {
    const maxLocal = snapshot.usable - 35;
    const minLocal = Math.floor(((snapshot.usable - 12) * 32) / 255) - 23;
    const spill = minLocal + ((size - minLocal) % (snapshot.usable - 4));
    this.local = size <= maxLocal ? size : spill <= maxLocal ? spill : minLocal;
    this.payload = page.subarray(at, at + this.local);
    if (this.payload.length < this.local) throw new SqliteFormatError('a cell that runs off its page (corrupt)');
    this.overflowPage = size > this.local ? new DataView(page.buffer, page.byteOffset).getUint32(at + this.local) : 0;
  }

  /** The whole payload, following the overflow chain; refused past `maxValueBytes`. */
  private full(): Uint8Array {
    if (this.payload.length === this.size) return this.payload;
    if (this.size > maxValueBytes) throw new SqliteFormatError(`a row of ${Math.round(this.size / 2 ** 20)} MB, too large for an auth document`);
    const whole = new Uint8Array(this.size);
    whole.set(this.payload);
    let filled = this.payload.length;
    let next = this.overflowPage;
    const seen = new Set<number>();
    while (filled < this.size) {
      if (next === 0 || seen.has(next)) throw new SqliteFormatError('a broken overflow chain (corrupt)');
      seen.add(next);
      const page = this.snapshot.page(next);
      const take = Math.min(this.size - filled, this.snapshot.usable - 4);
      whole.set(page.subarray(4, 4 + take), filled);
      filled += take;
      next = new DataView(page.buffer, page.byteOffset).getUint32(0);
    }
    this.payload = whole;
    return whole;
  }

  private types(): number[] {
    if (this.serialTypes) return this.serialTypes;
    let [headerSize, at] = varint(this.payload, 0);
    if (headerSize > this.payload.length) this.full();
    const types: number[] = [];
    while (at < headerSize) {
      const [type, next] = varint(this.payload, at);
      types.push(type);
      at = next;
    }
    this.bodyAt = headerSize;
    this.serialTypes = types;
    return types;
  }

  /** How many values the record holds (fewer than the table's columns for a row older than an ALTER TABLE). */
  fields(): number {
    return this.types().length;
  }

  /** Column `index`'s value; the overflow pages are read only when the value lies in them. */
  column(index: number): unknown {
    const types = this.types();
    let at = this.bodyAt;
    for (let i = 0; i < index; i++) at += serialSize(types[i] ?? 0);
    const type = types[index] ?? 0;
    const size = serialSize(type);
    const bytes = at + size <= this.payload.length ? this.payload : this.full();
    const value = bytes.subarray(at, at + size);
    if (value.length < size) throw new SqliteFormatError('a truncated record');
    if (type === 0) return null;
    if (type === 8) return 0;
    if (type === 9) return 1;
    if (type === 7) return new DataView(value.buffer, value.byteOffset, 8).getFloat64(0);
    if (type === 6) {
      return safeNumber(new DataView(value.buffer, value.byteOffset, 8).getBigInt64(0));
    }
    if (type <= 5) {
      let number = 0;
      for (const byte of value) number = number * 256 + byte;
      return value[0]! & 0x80 ? number - 2 ** (8 * size) : number;
    }
    if (type === 10 || type === 11) throw new SqliteFormatError('a record with a reserved serial type (corrupt)');
    return type % 2 === 1 ? this.snapshot.text(value) : value.slice();
  }
}

function serialSize(type: number): number {
  if (type >= 12) return Math.floor((type - 12) / 2);
  return [0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0][type]!;
}

/** Our own messages name the problem; an errno is a file-system error; anything else is corrupt content. */
export function describeSqliteError(error: unknown): string {
  if (error instanceof SqliteFormatError) return error.message;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code?.startsWith('E') && !code.startsWith('ERR_')) return describeFsError(error);
  return `not a readable SQLite database (corrupt: ${(error instanceof Error ? error.message : String(error)).slice(0, 80)})`;
}

/** Whether the files still are as they were when the attempt began (else a writer came by). */
function unchanged(database: OpenFile, sideFiles: [path: string, was: OpenFile | null][]): boolean {
  if (!sameFile(database.stat, fstatSync(database.fd, { bigint: true }))) return false;
  return sideFiles.every(([path, was]) => {
    const now = openRegular(path);
    if (now === null || 'error' in now) return was === null;
    closeSync(now.fd);
    return was !== null && sameFile(was.stat, now.stat);
  });
}

/** `notes`: caveats to show next to what was read. */
type ReadResult<T> = { kind: 'absent' } | { kind: 'ok'; value: T; notes: string[] } | { kind: 'error'; message: string };

/**
 * Reads a SQLite database (with its -wal file, as SQLite would) through `use`, which looks up
 * rows with `find`. The files are opened read-only, only regular files are read, and nothing
 * is created or locked. If a writer changed the files meanwhile, `use` runs again on the new
 * state (a few times, briefly apart).
 */
export async function readSqlite<T>(path: string, use: (db: ReadOnlyDatabase) => T): Promise<ReadResult<T>> {
  const walPath = `${path}-wal`;
  const journalPath = `${path}-journal`;
  for (let attempt = 1; ; attempt++) {
    const database = openRegular(path);
    if (database === null) return { kind: 'absent' };
    if ('error' in database) return { kind: 'error', message: database.error };
    let wal: OpenFile | null = null;
    let journalFile: OpenFile | null = null;
    try {
      if (database.stat.size === 0n) return { kind: 'error', message: 'empty file' };
      const opened = openRegular(walPath);
      if (opened && 'error' in opened) return { kind: 'error', message: `${walPath}: ${opened.error}` };
      wal = opened;
      const openedJournal = openRegular(journalPath);
      if (openedJournal && 'error' in openedJournal) return { kind: 'error', message: `${journalPath}: ${openedJournal.error}` };
      journalFile = openedJournal;
      const fileHeader = readerOf(database.fd)(0, 100);
      if (!isDatabaseHeader(fileHeader)) return { kind: 'error', message: 'not a readable SQLite database (corrupt or not SQLite)' };
      let journal: { index: JournalIndex; fd: number } | null = null;
      if (journalFile) {
        const read = readJournalIndex(readerOf(journalFile.fd), Number(journalFile.stat.size), pageSizeOf(fileHeader));
        if (!read.ok) return { kind: 'error', message: `${journalPath}: ${read.message}` };
        if (read.index) journal = { index: read.index, fd: journalFile.fd };
      }
      const notes: string[] = [];
      let index: WalIndex | null = null;
      const walMode = fileHeader[18] === 2;
      if (wal && walMode && wal.stat.size > 0n) {
        const read = readWalIndex(readerOf(wal.fd), Number(wal.stat.size));
        if (read.ok) index = read.index;
        else notes.push(`recent changes in ${walPath} may not be visible (${read.message})`);
      }
      const snapshot = new Snapshot(database, index, wal?.fd ?? null, journal);
      let value: T | undefined;
      let failure: unknown;
      try {
        value = use(lookups(snapshot));
      } catch (error) {
        failure = error;
      }
      if (!unchanged(database, [[walPath, wal], [journalPath, journalFile]]) && attempt < readAttempts) {
        await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
        continue;
      }
      if (failure !== undefined) return { kind: 'error', message: describeSqliteError(failure) };
      return { kind: 'ok', value: value as T, notes };
    } catch (error) {
      return { kind: 'error', message: describeSqliteError(error) };
    } finally {
      closeSync(database.fd);
      if (wal) closeSync(wal.fd);
      if (journalFile) closeSync(journalFile.fd);
    }
  }
}

function lookups(snapshot: Snapshot): ReadOnlyDatabase {
  // A table's CREATE statement is parsed when the table is first read: OpenClaw's schema has
  // dozens of tables and a check reads a few (docs/performance.md has the saving).
  const tables = new Map<string, { root: number; sql: string; shape?: TableShape }>();
  snapshot.scanTable(1, (cell) => {
    const [type, name, , root, sql] = [0, 1, 2, 3, 4].map((i) => cell.column(i));
    if (type === 'table' && typeof name === 'string' && typeof root === 'number' && typeof sql === 'string') tables.set(foldName(name), { root, sql });
    return false;
  });
  /** The rows of `table` whose `keyColumn` is `key`, up to `limit`; `null`: no such table, when `optional`. */
  const select = <C extends string>(table: string, keyColumn: string, key: string, wanted: readonly C[], limit: number, optional: boolean): Record<C, unknown>[] | null => {
    const found = tables.get(foldName(table));
    if (!found) {
      if (optional) return null;
      throw new SqliteFormatError(`unexpected layout (no such table: ${table})`);
    }
    found.shape ??= found.root > 0 ? tableShape(found.sql) : { ok: false, message: 'a virtual table' };
    if (!found.shape.ok) throw new SqliteFormatError(`table ${table}: ${found.shape.message}`);
    const { columns } = found.shape;
    const columnNamed = (name: string): Column => {
      const column = columns.find((c) => foldName(c.name) === foldName(name));
      if (!column) throw new SqliteFormatError(`unexpected layout (no column ${name} in ${table})`);
      if (column.stored === null) throw new SqliteFormatError(`table ${table}: column ${column.name} is a VIRTUAL generated column, which authwatch cannot compute`);
      return column;
    };
    const key_ = columnNamed(keyColumn);
    if (key_.collation !== 'BINARY') throw new SqliteFormatError(`table ${table}: column ${key_.name} compares with COLLATE ${key_.collation}, which authwatch does not match`);
    const picked = wanted.map((name) => [name, columnNamed(name)] as const);
    const valueOf = (cell: Cell, column: Column): unknown => {
      if (column.rowid) return cell.rowid;
      if (column.stored! < cell.fields()) {
        const value = cell.column(column.stored!);
        return column.real && typeof value === 'bigint' ? Number(value) : value;
      }
      if ('value' in column.missing) return column.missing.value;
      throw new SqliteFormatError(`table ${table}: a row older than column ${column.name}, whose default (${column.missing.unknown}) authwatch cannot compute`);
    };
    const rows: Record<C, unknown>[] = [];
    snapshot.scanTable(found.root, (cell) => {
      if (valueOf(cell, key_) !== key) return false;
      rows.push(Object.fromEntries(picked.map(([name, column]) => [name, valueOf(cell, column)])) as Record<C, unknown>);
      return rows.length >= limit;
    });
    return rows;
  };
  return {
    find: (table, keyColumn, key, wanted) => select(table, keyColumn, key, wanted, 1, false)![0] ?? null,
    findOptional: (table, keyColumn, key, wanted) => select(table, keyColumn, key, wanted, 1, true)?.[0] ?? null,
    where: (table, keyColumn, key, wanted, limit) => select(table, keyColumn, key, wanted, limit, true),
  };
}
