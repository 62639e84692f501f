// The OpenClaw state database: check time and daemon memory per scenario, on Node 20 (this
// node) and Node 24 (AUTHWATCH_NODE24), against the targets of issues 16 and 17.
// Usage: npm run build --silent && AUTHWATCH_NODE24=/path/to/node24 node bench/sqlite.mjs [checks]
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const fixture = fileURLToPath(new URL('../test/fixtures/openclaw-sqlite/state-db/openclaw.sqlite', import.meta.url));
const openclaw = '/opt/openclaw/openclaw.sh';
const checks = Number(process.argv[2] ?? 1000);
const nodes = [['Node 20', process.execPath], ...(process.env.AUTHWATCH_NODE24 ? [['Node 24', process.env.AUTHWATCH_NODE24]] : [])];
const root = mkdtempSync(join(tmpdir(), 'authwatch-bench-sqlite-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));
const mb = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function sql(db, script) {
  const run = spawnSync('sqlite3', [db], { input: script, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
}
const transcripts = (n) => `CREATE TABLE IF NOT EXISTS transcripts (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${n}) INSERT INTO transcripts(body) SELECT hex(randomblob(2000)) FROM n;`;

function home(name) {
  const dir = join(root, name);
  mkdirSync(join(dir, '.openclaw/state'), { recursive: true });
  return { dir, db: join(dir, '.openclaw/state/openclaw.sqlite') };
}

/** A home made by the real OpenClaw CLI, copied while a second connection kept its WAL alive. */
function realHome() {
  const made = home('real-made');
  const paste = (provider, token) => spawnSync(openclaw, ['models', 'auth', 'paste-token', '--provider', provider], { input: `${token}\n`, env: { ...process.env, HOME: made.dir }, encoding: 'utf8', timeout: 120_000 });
  paste('anthropic', `sk-ant-oat01-${'b'.repeat(90)}BENCHNOTASECRET`);
  const holder = spawn('sqlite3', [made.db]);
  holder.stdin.write('SELECT 1;\n');
  paste('openrouter', `sk-or-v1-${'c'.repeat(60)}BENCHNOTASECRET`);
  const copy = home('real');
  for (const suffix of ['', '-wal']) if (existsSync(made.db + suffix)) cpSync(made.db + suffix, copy.db + suffix);
  holder.kill();
  return copy;
}

function bigHome() {
  const big = home('big');
  cpSync(fixture, big.db);
  sql(big.db, transcripts(52_000));
  return big;
}

function bigWalHome() {
  const walHome = home('big-wal');
  const scratch = home('big-wal-scratch');
  cpSync(fixture, scratch.db);
  sql(scratch.db, `PRAGMA wal_autocheckpoint = 0;\n${transcripts(75_000)}\n.shell cp ${scratch.db} ${scratch.db}-wal ${join(walHome.dir, '.openclaw/state')}/`);
  rmSync(scratch.dir, { recursive: true });
  return walHome;
}

function wallMs(node, args, env) {
  const times = [];
  for (let i = 0; i < 7; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (run.status === null || run.status > 2) throw new Error(`${args.join(' ')}: ${run.stderr}`);
  }
  return times.sort((a, b) => a - b)[3];
}

async function daemonRss(node, dir) {
  mkdirSync(join(dir, '.config/authwatch'), { recursive: true });
  writeFileSync(join(dir, '.config/authwatch/config.json5'), '{ schedule: "0 0 1 1 *", daemon: { scrapeTtl: "1ms" } }');
  const child = spawn(node, ['--max-semi-space-size=1', '--max-old-space-size=64', cli, 'daemon', '--listen', '127.0.0.1:0'], { env: { PATH: process.env.PATH, HOME: dir, TZ: 'UTC' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const port = await new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const line = stderr.split('\n').find((l) => l.includes('"daemon listening"'));
      if (line) resolve(JSON.parse(line).port, clearInterval(timer));
      if (child.exitCode !== null) reject(new Error(stderr), clearInterval(timer));
    }, 20);
  });
  const rss = () => Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) * 1024;
  const status = () => fetch(`http://127.0.0.1:${port}/status`).then((r) => r.json());
  const first = await status();
  const at100 = await (async () => { for (let i = 0; i < 99; i++) await status(); return rss(); })();
  for (let i = 100; i < checks; i++) await status();
  const atEnd = rss();
  child.kill('SIGTERM');
  return { at100, atEnd, profiles: (first.profiles ?? []).filter((p) => p.source === 'openclaw-db').length };
}

const rows = [];
const floor = Object.fromEntries(nodes.map(([label, node]) => [label, wallMs(node, ['-e', '0'], process.env)]));
const scenarios = [
  ...(existsSync(openclaw) ? [['real OpenClaw 2026.9 home (CLI-made, with WAL)', realHome]] : []),
  ['200 MB database (transcripts)', bigHome],
  ['300 MB WAL on top of the database', bigWalHome],
];
for (const [name, make] of scenarios) {
  console.error(`making ${name}…`);
  const made = make();
  const sizes = `db ${mb(statSync(made.db).size)}${existsSync(`${made.db}-wal`) ? `, wal ${mb(statSync(`${made.db}-wal`).size)}` : ''}`;
  for (const [label, node] of nodes) {
    const ms = wallMs(node, [cli, 'check', '--json'], { PATH: process.env.PATH, HOME: made.dir, TZ: 'UTC' });
    const target = label === 'Node 20' ? 300 : 2 * floor[label];
    const memory = await daemonRss(node, made.dir);
    const growth = memory.atEnd - memory.at100;
    rows.push([name, sizes, label, `${ms.toFixed(0)} ms`, `≤ ${target.toFixed(0)} ms`, ms <= target ? 'ok' : 'OVER', `${mb(memory.at100)} → ${mb(memory.atEnd)}`, `${(growth / 1024 / (checks - 100)).toFixed(1)} KB/check`, memory.profiles]);
  }
}
console.log(`floor (node -e 0): ${nodes.map(([label]) => `${label} ${floor[label].toFixed(0)} ms`).join(', ')}; daemon checks: ${checks}`);
console.table(rows.map(([scenario, files, node, wall, target, verdict, rss, perCheck, dbProfiles]) => ({ scenario, files, node, 'check wall (median of 7)': wall, target, verdict, 'daemon RSS (100 → end)': rss, growth: perCheck, 'db profiles': dbProfiles })));
