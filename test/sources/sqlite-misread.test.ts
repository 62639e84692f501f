// Valid databases the SQLite reader once misread (issue 28 §2), each made by the real sqlite3
// with the gateway's rows and read through the product's own source: the answer must be what
// SQLite answers, or a loud error row — never a different answer.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openclawDb } from '../../src/sources/openclaw-db.js';
import { contextFor } from '../helpers/context.js';
import { makeHome } from '../helpers/home.js';
import { toolForTest } from '../helpers/tools.js';

const sqlite3 = toolForTest('sqlite3');
const fixture = fileURLToPath(new URL('../fixtures/openclaw-sqlite/state-db/openclaw.sqlite', import.meta.url));
/** `anthropic:default.expires` in the fixture, and after an update that never commits. */
const committed = 1893456000000;
const rolledBack = 1924992000000;

function sql(db: string, script: string): string {
  const run = spawnSync(sqlite3!, [db], { input: script, encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0 || run.stderr) throw new Error(`sqlite3 failed: ${run.stderr}`);
  return run.stdout;
}

/** A home whose state DB is made by `script` (run with the fixture attached as `fx`), copied by `.shell cp` before sqlite3 closes it when `copyOpen`. */
function stateDb(script: string, copyOpen = false, prelude = ''): { home: string; db: string } {
  const home = makeHome();
  const state = join(home, '.openclaw/state');
  mkdirSync(state, { recursive: true });
  const db = join(state, 'openclaw.sqlite');
  if (!copyOpen) {
    sql(db, `${prelude}\n${attach(prelude)}\n${script}`);
    return { home, db };
  }
  // Built elsewhere, and copied from inside the session: what a crash (or a backup) leaves.
  const work = join(home, 'work');
  mkdirSync(work);
  sql(join(work, 'openclaw.sqlite'), `${prelude}\n${attach(prelude)}\n${script}\n.shell cp ${work}/openclaw.sqlite* ${state}/\n`);
  return { home, db };
}

/** The fixture, attached as `fx` (an attached database must have the same encoding: a prelude setting one gets none). */
const attach = (prelude: string) => (prelude ? '' : `ATTACH '${fixture}' AS fx;`);
/** The fixture's rows as INSERT statements. */
const copyRows = () => sql(fixture, '.mode insert config_machine_state\nSELECT * FROM config_machine_state;');

async function read(home: string) {
  const { profiles } = await openclawDb.read(contextFor(home));
  return {
    ids: profiles.filter((p) => !p.problem).map((p) => p.id),
    expires: profiles.find((p) => p.id === 'anthropic:default')?.expiresAt,
    problem: profiles.find((p) => p.problem)?.problem ?? null,
  };
}

const allProfiles = ['anthropic:default', 'openrouter:default', 'openai:fixture@example.com'];

describe.skipIf(!sqlite3)('databases the reader once misread', () => {
  it('CREATE TABLE text with -- and /* */ comments holding quotes, commas and parentheses', async () => {
    const { home } = stateDb(`CREATE TABLE config_machine_state ( -- the gateway's key/value state (see docs)
      state_key TEXT NOT NULL PRIMARY KEY, /* e.g. 'authProfiles.store', (one per key) */
      value_json TEXT NOT NULL, -- JSON, "quoted", [bracketed]
      /* a comma, here */ updated_at_ms INTEGER NOT NULL -- it's ms
    ) STRICT;
    ${copyRows()}`);
    expect(await read(home)).toEqual({ ids: allProfiles, expires: committed, problem: null });
  });

  it('a UTF-16 database whose page 1 is only in the WAL', async () => {
    const { home, db } = stateDb(
      `CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT;
      ${copyRows()}`,
      true,
      `PRAGMA encoding = 'UTF-16le'; PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;`,
    );
    expect(await read(home)).toEqual({ ids: allProfiles, expires: committed, problem: null });
    expect(sql(db, `PRAGMA encoding;`).trim()).toBe('UTF-16le');
  });

  it('rollback-journal mode with a hot -journal: the rolled-back update is not reported', async () => {
    const { home, db } = stateDb(
      `CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT;
      ${copyRows()}
      CREATE TABLE transcripts (body TEXT);
      PRAGMA cache_size = 10;
      BEGIN;
      UPDATE config_machine_state SET value_json = replace(value_json, '${committed}', '${rolledBack}') WHERE state_key = 'authProfiles.store';
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO transcripts SELECT hex(randomblob(500)) FROM n;`,
      true,
    );
    expect(readJournalExists(db)).toBe(true);
    expect(await read(home)).toEqual({ ids: allProfiles, expires: committed, problem: null });
    // What sqlite3 itself answers (it rolls the journal back on open).
    expect(sql(db, `SELECT instr(value_json, '${committed}') > 0 FROM config_machine_state WHERE state_key = 'authProfiles.store';`).trim()).toBe('1');
  });

  it('a column added by ALTER TABLE … ADD COLUMN … DEFAULT reads its default in older rows', async () => {
    const { home } = stateDb(`CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, updated_at_ms INTEGER NOT NULL);
      INSERT INTO config_machine_state (state_key, updated_at_ms) SELECT state_key, updated_at_ms FROM fx.config_machine_state;
      ALTER TABLE config_machine_state ADD COLUMN value_json TEXT NOT NULL DEFAULT '{"version":1,"profiles":{"anthropic:default":{"type":"token","provider":"anthropic","token":"t","expires":${committed}}}}';`);
    expect(await read(home)).toEqual({ ids: ['anthropic:default'], expires: committed, problem: null });
  });

  it('a VIRTUAL generated column does not shift the later columns', async () => {
    const { home } = stateDb(`CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, kind TEXT GENERATED ALWAYS AS (substr(state_key, 1, 4)) VIRTUAL, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL);
      ${copyRows()}`);
    expect(await read(home)).toEqual({ ids: allProfiles, expires: committed, problem: null });
  });

  it('column names match case-insensitively', async () => {
    const { home } = stateDb(`CREATE TABLE Config_Machine_State (STATE_KEY TEXT NOT NULL PRIMARY KEY, Value_Json TEXT NOT NULL, "UPDATED_AT_MS" INTEGER NOT NULL);
      INSERT INTO config_machine_state SELECT state_key, value_json, updated_at_ms FROM fx.config_machine_state;`);
    expect(await read(home)).toEqual({ ids: allProfiles, expires: committed, problem: null });
  });

  it('quoted keywords are names, not constraints; a quoted INTEGER type is still the rowid', async () => {
    const { home } = stateDb(`CREATE TABLE config_machine_state ("primary" "INTEGER" PRIMARY KEY, "check" TEXT, state_key TEXT NOT NULL UNIQUE, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL);
      INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) SELECT state_key, value_json, updated_at_ms FROM fx.config_machine_state;`);
    expect(await read(home)).toEqual({ ids: allProfiles, expires: committed, problem: null });
  });

  it('what it cannot compute is an error row, not a guess: a needed VIRTUAL column, an expression default', async () => {
    const virtual = stateDb(`CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, raw TEXT, value_json TEXT GENERATED ALWAYS AS (raw) VIRTUAL, updated_at_ms INTEGER);
      INSERT INTO config_machine_state (state_key, raw, updated_at_ms) SELECT state_key, value_json, updated_at_ms FROM fx.config_machine_state;`);
    expect((await read(virtual.home)).problem).toMatch(/openclaw\.sqlite: table config_machine_state: column value_json is a VIRTUAL generated column, which authwatch cannot compute/);
    // A row older than a column whose default is an expression (possible only by editing the schema).
    const expression = stateDb(`CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT);
      INSERT INTO config_machine_state (state_key, value_json) SELECT state_key, value_json FROM fx.config_machine_state;
      ALTER TABLE config_machine_state ADD COLUMN updated_at_ms INTEGER DEFAULT 5;
      PRAGMA writable_schema = ON;
      UPDATE sqlite_schema SET sql = replace(sql, 'DEFAULT 5', 'DEFAULT (2 + 3)') WHERE name = 'config_machine_state';`);
    expect((await read(expression.home)).problem).toMatch(/a row older than column updated_at_ms, whose default \(an expression as its default\) authwatch cannot compute/);
    const clock = stateDb(`CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT);
      INSERT INTO config_machine_state (state_key, value_json) SELECT state_key, value_json FROM fx.config_machine_state;
      ALTER TABLE config_machine_state ADD COLUMN updated_at_ms INTEGER DEFAULT 5;
      PRAGMA writable_schema = ON;
      UPDATE sqlite_schema SET sql = replace(sql, 'DEFAULT 5', 'DEFAULT CURRENT_TIMESTAMP') WHERE name = 'config_machine_state';`);
    expect((await read(clock.home)).problem).toMatch(/whose default \(a default of CURRENT_TIMESTAMP\) authwatch cannot compute/);
    // A key compared case-insensitively by SQLite: a byte-for-byte lookup could miss a row SQLite finds.
    const nocase = stateDb(`CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY COLLATE NOCASE, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL);
      INSERT INTO config_machine_state SELECT upper(state_key), value_json, updated_at_ms FROM fx.config_machine_state;`);
    expect((await read(nocase.home)).problem).toMatch(/column state_key compares with COLLATE NOCASE, which authwatch does not match/);
  });
});

function readJournalExists(db: string): boolean {
  return spawnSync('test', ['-s', `${db}-journal`]).status === 0;
}
