// The figures that used to sit in code comments, re-measured: loading node:crypto against the
// JavaScript SHA-256 (src/core/sha256.ts) for a few fingerprints, loading util.parseArgs, and
// 10,000 profiles built by object spread against field by field. Each in a fresh process (the
// code cold, as in a check), timed inside it, median of 11. `node bench/module-costs.mjs`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { median } from './lib.mjs';

const dir = mkdtempSync(join(tmpdir(), 'authwatch-bench-costs-'));
if (!process.env.BENCH_KEEP) process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
await build({ entryPoints: [fileURLToPath(new URL('../src/core/sha256.ts', import.meta.url))], outfile: join(dir, 'sha256.cjs'), format: 'cjs', bundle: true, logLevel: 'warning' });
writeFileSync(
  join(dir, 'probe.cjs'),
  `const [mode, n] = [process.argv[2], Number(process.argv[3])];
const secret = (i) => 'bench-not-a-secret-' + i + '-' + 'x'.repeat(40);
const defaults = { type: null, agent: null, expiresAt: null, refreshable: false, fingerprint: null, notes: [], email: null, accountId: null, label: null, lastUsed: null };
const t0 = process.hrtime.bigint();
let s = '';
if (mode === 'js') { const { sha256Hex } = require('./sha256.cjs'); for (let i = 0; i < n; i++) s += sha256Hex(secret(i)).slice(0, 8); }
if (mode === 'crypto') { const { hash } = require('node:crypto'); for (let i = 0; i < n; i++) s += hash('sha256', secret(i), 'hex').slice(0, 8); }
if (mode === 'parseArgs') require('node:util').parseArgs({ args: ['--json', '--warn', '1h'], options: { json: { type: 'boolean' }, warn: { type: 'string' } } });
if (mode === 'spread' || mode === 'fields') {
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    const f = { id: 'p' + (i % 17) + ':profile-' + i, provider: 'p' + (i % 17), source: 'openclaw', type: 'token', expiresAt: i * 1000, fingerprint: 'abcd1234' };
    out[i] = mode === 'spread' ? { ...defaults, ...f } : { id: f.id, provider: f.provider, source: f.source, type: f.type ?? null, agent: f.agent ?? null, expiresAt: f.expiresAt ?? null, refreshable: f.refreshable ?? false, fingerprint: f.fingerprint ?? null, notes: f.notes ?? defaults.notes, email: f.email ?? null, accountId: f.accountId ?? null, label: f.label ?? null, lastUsed: f.lastUsed ?? null };
  }
}
// Read the clock first: the process.stdout getter builds the stream before its argument is evaluated.
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
process.stdout.write(String(ms));
`,
);
const timed = (mode, n = 0) => {
  const times = [];
  for (let i = 0; i < 11; i++) times.push(Number(spawnSync(process.execPath, [join(dir, 'probe.cjs'), mode, String(n)], { env: { PATH: process.env.PATH }, encoding: 'utf8' }).stdout));
  return `${median(times).toFixed(2)} ms`;
};
const rows = [];
for (const n of [10, 32, 1000]) rows.push({ figure: `${n} fingerprints`, 'JS SHA-256': timed('js', n), 'node:crypto (load + hash)': timed('crypto', n) });
rows.push({ figure: 'util.parseArgs, loaded and run once', 'JS SHA-256': '', 'node:crypto (load + hash)': timed('parseArgs') });
rows.push({ figure: '10,000 profiles: spread / field by field', 'JS SHA-256': '', 'node:crypto (load + hash)': `${timed('spread', 10_000)} / ${timed('fields', 10_000)}` });
console.log(`node ${process.version}`);
console.table(rows);
