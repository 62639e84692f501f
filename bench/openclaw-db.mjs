// 6. OpenClaw's SQLite state database: a real OpenClaw 2026.9 home made by its CLI, with a WAL
// (the issue-17 row), and with BENCH_BIG_DB=1 a 200 MB database and a 300 MB WAL on top of it.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkCommand, floorCommand, makeHome, ms, record, timePair } from './lib.mjs';
import { judged } from './targets.mjs';

const openclaw = process.env.OPENCLAW_CLI ?? '/opt/openclaw/openclaw.sh';
const fixture = fileURLToPath(new URL('../test/fixtures/openclaw-sqlite/state-db/openclaw.sqlite', import.meta.url));
const stateDb = (home) => join(home, '.openclaw/state/openclaw.sqlite');
const size = (path) => `${(statSync(path).size / 2 ** 20).toFixed(1)} MB`;

function sql(db, script) {
  const run = spawnSync('sqlite3', [db], { input: script, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`sqlite3 ${db}: ${run.stderr}`);
}

function pasteToken(home, provider, token) {
  const run = spawnSync(openclaw, ['models', 'auth', 'paste-token', '--provider', provider], { input: `${token}\n`, env: { ...process.env, HOME: home }, encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`openclaw models auth paste-token --provider ${provider}: ${run.stderr || run.stdout}`);
}

/**
 * A home made by the real OpenClaw CLI, with its WAL: the second token is written while a
 * sqlite3 process holds a read transaction begun before it, so no checkpoint can move those
 * pages into the database; the database and its WAL are copied then. The second profile
 * exists only in the WAL.
 */
async function realHome() {
  const made = makeHome({ profiles: 0, agents: 0 });
  pasteToken(made, 'anthropic', `sk-ant-oat01-${'b'.repeat(90)}BENCHNOTASECRET`);
  const holder = spawn('sqlite3', [stateDb(made)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let said = '';
  await new Promise((resolve, reject) => {
    holder.on('error', reject);
    holder.stdout.on('data', (chunk) => (said += chunk).includes('holding') && resolve());
    holder.stdin.write("BEGIN; SELECT count(*) FROM sqlite_master; SELECT 'holding';\n");
  });
  pasteToken(made, 'openrouter', `sk-or-v1-${'c'.repeat(60)}BENCHNOTASECRET`);
  const home = makeHome({ profiles: 0, agents: 0 });
  cpSync(join(made, '.openclaw'), join(home, '.openclaw'), { recursive: true, filter: (path) => !path.includes('openclaw.sqlite') });
  mkdirSync(join(home, '.openclaw/state'), { recursive: true });
  for (const suffix of ['', '-wal']) cpSync(stateDb(made) + suffix, stateDb(home) + suffix);
  holder.stdin.end('COMMIT;\n');
  await new Promise((resolve) => holder.on('close', resolve));
  rmSync(made, { recursive: true, force: true });
  return home;
}

/** The state DB of the test fixtures, with `rows` transcripts of 4 KB added. */
function fixtureHome(rows) {
  const home = makeHome({ profiles: 0, agents: 0 });
  mkdirSync(join(home, '.openclaw/state'), { recursive: true });
  cpSync(fixture, stateDb(home));
  if (rows > 0) sql(stateDb(home), transcripts(rows));
  return home;
}

/** The WAL is written with checkpoints off into a scratch copy, then both files are copied. */
function bigWalHome() {
  const home = makeHome({ profiles: 0, agents: 0 });
  mkdirSync(join(home, '.openclaw/state'), { recursive: true });
  const scratch = makeHome({ profiles: 0, agents: 0 });
  const db = join(scratch, 'openclaw.sqlite');
  cpSync(fixture, db);
  sql(db, `PRAGMA journal_mode = wal;\nPRAGMA wal_autocheckpoint = 0;\n${transcripts(75_000)}\n.shell cp ${db} ${db}-wal ${join(home, '.openclaw/state')}/`);
  rmSync(scratch, { recursive: true, force: true });
  return home;
}

const transcripts = (n) => `CREATE TABLE IF NOT EXISTS transcripts (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n}) INSERT INTO transcripts(body) SELECT hex(randomblob(2000)) FROM n;`;

function dbProfiles(home) {
  const [command, args, env] = checkCommand(home, ['--json']);
  const run = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  return JSON.parse(run.stdout).profiles.filter((p) => p.source === 'openclaw-db').length;
}

/** Check time on a state-DB home against the floor. */
function timeDbHome(name, home, runs, expectedProfiles) {
  const db = stateDb(home);
  const files = `db ${size(db)}${existsSync(`${db}-wal`) ? `, WAL ${size(`${db}-wal`)}` : ''}`;
  const profiles = dbProfiles(home);
  record(name, `profiles read from the state DB (${files})`, String(profiles), String(expectedProfiles), profiles === expectedProfiles);
  const { a, b, ratio } = timePair(checkCommand(home), floorCommand, runs);
  record(name, `check (median of ${runs}); floor ${ms(b)}`, ms(a), '', null);
  record(name, 'ratio check / floor', `${ratio.toFixed(2)}x`, ...judged('realHomeRatio', ratio));
}

export async function openclawHome({ runs, daemonChecks, daemonMemory }) {
  if (!existsSync(openclaw)) {
    record('real OpenClaw home', `OpenClaw CLI (${openclaw}; OPENCLAW_CLI names another)`, 'not installed', 'installed', false);
    return;
  }
  console.error('  making a real OpenClaw home with the CLI…');
  const home = await realHome();
  timeDbHome('real OpenClaw home', home, runs, 2);
  await daemonMemory({ checks: daemonChecks, home, name: 'real OpenClaw home' });
  if (process.env.BENCH_BIG_DB === '1') {
    console.error('  making a 200 MB state DB and a 300 MB WAL…');
    const fixtureProfiles = dbProfiles(fixtureHome(0));
    timeDbHome('200 MB state DB', fixtureHome(52_000), runs, fixtureProfiles);
    timeDbHome('300 MB WAL', bigWalHome(), runs, fixtureProfiles);
  }
}
