import { createRequire } from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import { describeFsError } from '../core/files.js';
import { applyWal } from './sqlite-wal.js';

/** OpenClaw's state DB holds a lot besides auth; anything beyond this is not one of ours. */
const maxDatabaseBytes = 64 * 1024 * 1024;

export type Row = Record<string, unknown>;

/** A read-only view of a SQLite file: run a SELECT, get plain rows. */
export interface ReadOnlyDatabase {
  all(sql: string, ...params: (string | number)[]): Row[];
  close(): void;
  /** Caveats to show next to what was read from it. */
  notes: string[];
}

export type OpenResult = { kind: 'absent' } | { kind: 'ok'; db: ReadOnlyDatabase } | { kind: 'error'; message: string };

/** The part of `node:sqlite` used here (Node 20's types do not have the module). */
interface NodeSqlite {
  DatabaseSync: new (path: string, options: { readOnly: boolean }) => {
    prepare(sql: string): { all(...params: (string | number)[]): unknown[] };
    close(): void;
  };
}
const nodeSqliteSpecifier = 'node:sqlite';
let nodeSqlite: Promise<NodeSqlite | null> | undefined;

/** `node:sqlite` where the running Node has it unflagged (22.13+, as on Termux), else null. */
function loadNodeSqlite(): Promise<NodeSqlite | null> {
  nodeSqlite ??= (async () => {
    // Node prints an ExperimentalWarning for node:sqlite; on a timer's stderr it is noise.
    const emitWarning = process.emitWarning;
    process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
      if (!String(warning).includes('SQLite')) (emitWarning as (...a: unknown[]) => void).call(process, warning, ...rest);
    }) as typeof process.emitWarning;
    try {
      return (await import(nodeSqliteSpecifier)) as NodeSqlite;
    } catch {
      return null;
    } finally {
      process.emitWarning = emitWarning;
    }
  })();
  return nodeSqlite;
}

function openWithNodeSqlite(sqlite: NodeSqlite, path: string): ReadOnlyDatabase {
  const db = new sqlite.DatabaseSync(path, { readOnly: true });
  return {
    all: (sql, ...params) => db.prepare(sql).all(...params) as Row[],
    close: () => db.close(),
    notes: [],
  };
}

async function openWithSqlJs(path: string, bytes: Uint8Array): Promise<ReadOnlyDatabase> {
  const require = createRequire(import.meta.url);
  const initSqlJs = require('sql.js') as typeof import('sql.js').default;
  const SQL = await initSqlJs({ locateFile: (file: string) => require.resolve(`sql.js/dist/${file}`) });
  const notes: string[] = [];
  let image = bytes;
  const wal = readIfPresent(`${path}-wal`);
  if (wal && wal.length > 0) {
    const applied = applyWal(bytes, wal);
    if (applied.ok) image = applied.bytes;
    else notes.push(`recent changes in ${path}-wal may not be visible (${applied.message})`);
  }
  const db = new SQL.Database(image);
  return {
    all(sql, ...params) {
      const statement = db.prepare(sql);
      try {
        statement.bind(params);
        const rows: Row[] = [];
        while (statement.step()) rows.push(statement.getAsObject() as Row);
        return rows;
      } finally {
        statement.free();
      }
    },
    close: () => db.close(),
    notes,
  };
}

/**
 * Opens a SQLite database strictly for reading. Uses `node:sqlite` (WAL-aware) where it
 * exists, else sql.js (WebAssembly, loaded only now) on an in-memory copy with the WAL applied
 * by `applyWal`. The file on disk is never written.
 */
export async function openReadOnly(path: string): Promise<OpenResult> {
  let size: number;
  try {
    const info = statSync(path);
    if (!info.isFile()) return { kind: 'error', message: info.isDirectory() ? 'a directory, not a file' : 'not a regular file' };
    size = info.size;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'absent' } : { kind: 'error', message: describeFsError(error) };
  }
  if (size > maxDatabaseBytes) return { kind: 'error', message: `${Math.round(size / 2 ** 20)} MB, over the 64 MB limit for a state database` };
  if (size === 0) return { kind: 'error', message: 'empty file' };
  try {
    const sqlite = await loadNodeSqlite();
    if (sqlite) return { kind: 'ok', db: openWithNodeSqlite(sqlite, path) };
    const bytes = readFileSync(path);
    return { kind: 'ok', db: await openWithSqlJs(path, bytes) };
  } catch (error) {
    return { kind: 'error', message: describeSqliteError(error) };
  }
}

/**
 * SQLite's own messages name the problem without quoting data; fs errors (errno codes such as
 * EACCES) get plain words. node:sqlite's errors carry a code too, ERR_SQLITE_ERROR: not errno.
 */
export function describeSqliteError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code?.startsWith('E') && !code.startsWith('ERR_')) return describeFsError(error);
  const message = error instanceof Error ? error.message : String(error);
  if (/not a database|malformed|file is encrypted/i.test(message)) return 'not a readable SQLite database (corrupt or not SQLite)';
  if (/no such table/i.test(message)) return `unexpected layout (${message.slice(0, 80)})`;
  return `cannot be read as SQLite (${message.slice(0, 80)})`;
}

function readIfPresent(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}
