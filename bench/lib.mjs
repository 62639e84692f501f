// Shared pieces of the benchmarks: synthetic homes, whole-process timing, the result table.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// BENCH_CLI names another build's dist/cli/main.js, to measure it with the same benchmarks.
export const cli = process.env.BENCH_CLI ?? fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const homes = [];
process.on('exit', () => homes.forEach((home) => rmSync(home, { recursive: true, force: true })));

const HOUR = 3_600_000;
const fake = (n) => `bench-not-a-secret-${n}-${'x'.repeat(40)}`;
const jwt = (payload) => ['{"alg":"none"}', JSON.stringify(payload), 'sig'].map((p) => Buffer.from(p).toString('base64url')).join('.');

function write(root, files) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof content === 'string' ? content : JSON.stringify(content), { mode: 0o600 });
  }
}

/** A profile of each kind in turn: long-lived token, refreshable OAuth, static API key. */
function profile(i, now) {
  switch (i % 3) {
    case 0:
      return { type: 'token', provider: `p${i % 17}`, token: fake(i), expires: now + (30 + (i % 300)) * 24 * HOUR };
    case 1:
      return { type: 'oauth', provider: `p${i % 17}`, access: fake(i), refresh: fake(`r${i}`), expires: now + (i % 12) * HOUR };
    default:
      return { type: 'api_key', provider: `p${i % 17}`, key: fake(i) };
  }
}

/** A home with `profiles` OpenClaw profiles spread evenly over `agents` agents. */
export function makeHome({ profiles, agents, cliLogins = false }) {
  const home = mkdtempSync(join(tmpdir(), 'authwatch-bench-'));
  homes.push(home);
  const now = Date.now();
  const files = {};
  for (let a = 0; a < agents; a++) {
    const entries = {};
    for (let i = a; i < profiles; i += agents) entries[`p${i % 17}:profile-${i}`] = profile(i, now);
    files[`.openclaw/agents/agent-${a}/agent/auth-profiles.json`] = { version: 1, profiles: entries };
  }
  if (cliLogins) {
    files['.claude/.credentials.json'] = { claudeAiOauth: { accessToken: fake('c'), refreshToken: fake('cr'), expiresAt: now + 8 * HOUR } };
    files['.codex/auth.json'] = { auth_mode: 'chatgpt', tokens: { access_token: jwt({ exp: Math.floor(now / 1000) + 3600 }), refresh_token: fake('x') } };
    files['.openclaw/.env'] = `OPENROUTER_API_KEY=${fake('or')}\nMISTRAL_API_KEY=${fake('mi')}\n`;
  }
  write(home, files);
  return home;
}

export function envFor(home, extra = {}) {
  return { PATH: process.env.PATH, HOME: home, TZ: 'UTC', ...extra };
}

function timeOnce(command, args, env) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status === null || result.status > 2) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  return ms;
}

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Times two whole processes in turn (A B A B …) after a warm-up, so drift on a noisy machine
 * hits both alike; returns the medians and the median of the pairwise ratios.
 */
export function timePair(a, b, runs) {
  for (let i = 0; i < 2; i++) {
    timeOnce(...a);
    timeOnce(...b);
  }
  const aTimes = [];
  const bTimes = [];
  for (let i = 0; i < runs; i++) {
    aTimes.push(timeOnce(...a));
    bTimes.push(timeOnce(...b));
  }
  return { a: median(aTimes), b: median(bTimes), ratio: median(aTimes.map((t, i) => t / bTimes[i])) };
}

export const floorCommand = [process.execPath, ['-e', '0'], { PATH: process.env.PATH }];
export const checkCommand = (home, args = [], env = {}) => [process.execPath, [cli, 'check', ...args], envFor(home, env)];

const rows = [];
export function record(benchmark, figure, value, target, pass) {
  rows.push({ benchmark, figure, value, target, verdict: pass === null ? '' : pass ? 'PASS' : 'MISS' });
  console.error(`  ${benchmark}: ${figure} = ${value} ${pass === null ? '' : pass ? '(PASS)' : '(MISS)'}`);
}

export function printTable() {
  const header = { benchmark: 'benchmark', figure: 'figure', value: 'value', target: 'target', verdict: 'result' };
  const all = [header, ...rows];
  const widths = Object.keys(header).map((k) => Math.max(...all.map((r) => String(r[k]).length)));
  const line = (r) => `| ${Object.keys(header).map((k, i) => String(r[k]).padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

export const ms = (value) => `${value.toFixed(1)} ms`;
