// Hostile input for every source, through the real CLI: each case plants one bad thing next
// to healthy sources, runs `check` (JSON and table) within a time bound, and asserts a clear
// per-source error, that the healthy sources still report, and that nothing crashed or leaked.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startDaemon } from '../helpers/daemon.js';
import { DAY, NOW, NOW_ISO } from '../helpers/clock.js';
import { agentStore, makeHome, type FileSpec } from '../helpers/home.js';
import { startSink } from '../helpers/http-sink.js';
import { fakeJwt } from '../helpers/jwt.js';

const later = NOW + 30 * DAY;
/** A JWT whose payload is this raw JSON text (`1e309` cannot be written by JSON.stringify). */
const rawJwt = (payload: string) => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(payload).toString('base64url')}.sig`;
const config = (value: unknown): Record<string, FileSpec> => ({ '.config/authwatch/config.json5': JSON.stringify(value) });
const store = (profiles: Record<string, unknown>, extra: Record<string, unknown> = {}): FileSpec => ({ json: { version: 1, profiles, ...extra } });
const codexLogin = (access: string, extra: Record<string, unknown> = {}): Record<string, FileSpec> => ({
  '.codex/auth.json': { json: { auth_mode: 'chatgpt', tokens: { access_token: access, refresh_token: 'PLANTEDSECRET-r' }, ...extra } },
});
const declaredFile = (unit: string, value: unknown): Record<string, FileSpec> => ({
  '.config/authwatch/config.json5': JSON.stringify({ declared: [{ id: 'bad-date', provider: 'p', file: '~/expiry.json', field: 'v', unit }] }),
  'expiry.json': { json: { v: value } },
});
const declaredCommand = (command: string[], unit = 'ms', timeout?: string): Record<string, FileSpec> =>
  config({ declared: [{ id: 'bad-date', provider: 'p', command, unit, ...(timeout ? { timeout } : {}) }] });
const badStore = (expires: unknown): Record<string, FileSpec> => ({ [agentStore('bad')]: store({ 'bad:date': { type: 'token', provider: 'anthropic', token: 'PLANTEDSECRET-t', expires } }) });
const badStoreText = (text: string): Record<string, FileSpec> => ({ [agentStore('bad')]: { text } });
const dotenv = (text: string): Record<string, FileSpec> => ({ '.openclaw/.env': text });

interface Case {
  name: string;
  files?: Record<string, FileSpec>;
  setup?: (home: string) => void;
  /** The row (by id, or any row whose detail matches) that must carry the error. */
  row: string | RegExp;
  /** What that row's detail must say; `ok`: the row is read as usual, with this detail. */
  error?: RegExp;
  detail?: RegExp;
  status?: string;
  args?: string[];
  env?: Record<string, string>;
}

const megabyte = 1 << 20;
const cases: Case[] = [
  // Bad times, every shape, every source.
  { name: 'Codex JWT exp 1e20', files: codexLogin(fakeJwt({ exp: 1e20 })), row: 'openai:codex-cli', error: /tokens\.access_token: its exp claim 1e20 is not a valid time/ },
  { name: 'Codex JWT exp -5', files: codexLogin(fakeJwt({ exp: -5 })), row: 'openai:codex-cli', error: /its exp claim is -5: not a valid time/ },
  { name: 'Codex JWT exp "soon"', files: codexLogin(fakeJwt({ exp: 'soon' })), row: 'openai:codex-cli', error: /its exp claim must be a number of epoch seconds, found a string/ },
  { name: 'Codex JWT exp 1e309 (Infinity)', files: codexLogin(rawJwt('{"exp":1e309}')), row: 'openai:codex-cli', error: /its exp claim is not a finite number \(Infinity\)/ },
  { name: 'Codex last_refresh at the end of time, no JWT', files: codexLogin('opaque-PLANTEDSECRET', { last_refresh: '+275760-09-13T00:00:00.000Z' }), row: 'openai:codex-cli', status: 'ok', detail: /no readable expiry/ },
  { name: 'Codex last_refresh garbage, no JWT', files: codexLogin('opaque-PLANTEDSECRET', { last_refresh: 'yesterday' }), row: 'openai:codex-cli', status: 'ok', detail: /no readable expiry/ },
  { name: 'declared unit jwt, exp 1e20', files: declaredFile('jwt', fakeJwt({ exp: 1e20 })), row: 'bad-date', error: /field v its exp claim 1e20 is not a valid time.*\(unit jwt\)/ },
  { name: 'declared unit s, 1e20', files: declaredFile('s', 1e20), row: 'bad-date', error: /field v 1e20 is not a valid time: beyond the largest valid date/ },
  { name: 'declared unit ms, 1e300', files: declaredFile('ms', 1e300), row: 'bad-date', error: /field v 1e300 is not a valid time/ },
  { name: 'declared unit ms, -1', files: declaredFile('ms', -1), row: 'bad-date', error: /field v is -1: not a valid time/ },
  { name: 'declared unit iso, past year 275760', files: declaredFile('iso', '+275761-01-01T00:00:00Z'), row: 'bad-date', error: /field v is not an ISO-8601 date-time/ },
  { name: 'declared unit iso, 1900', files: declaredFile('iso', '1900-01-01T00:00:00Z'), row: 'bad-date', error: /field v is not a valid time \(before 1970\)/ },
  { name: 'declared unit iso, a number', files: declaredFile('iso', 12), row: 'bad-date', error: /field v is not an ISO-8601 date-time \(found a number\)/ },
  { name: 'declared command prints 1e20', files: declaredCommand(['echo', '1e20']), row: 'bad-date', error: /`echo …` printed something that must be a number/ },
  { name: 'declared command prints 99999999999999999999', files: declaredCommand(['echo', '99999999999999999999']), row: 'bad-date', error: /printed something that 1e20 is not a valid time/ },
  // OpenClaw's own rule (resolveTokenExpiryState): an expiry it cannot use is `invalid_expires`, that profile missing.
  { name: 'OpenClaw store expires 1e20', files: badStore(1e20), row: 'bad:date', status: 'missing', detail: /invalid_expires: .*expires 1e20 is not a valid time: beyond the largest valid date/ },
  { name: 'OpenClaw store expires just past the largest date', files: badStore(8.64e15 + 1), row: 'bad:date', status: 'missing', detail: /invalid_expires: .*expires 8640000000000001 is not a valid time/ },
  { name: 'OpenClaw store expires -1e20', files: badStore(-1e20), row: 'bad:date', status: 'missing', detail: /invalid_expires: .*expires is -1e20: not a valid time/ },
  { name: 'OpenClaw store expires an object', files: badStore({ at: 1 }), row: 'bad:date', status: 'missing', detail: /invalid_expires: .*expires must be a number of epoch milliseconds, found an object/ },
  {
    name: 'usageStats cooldownUntil 1e20',
    files: { [agentStore('bad')]: store({ 'bad:date': { type: 'api_key', provider: 'anthropic', key: 'PLANTEDSECRET-k' } }, { usageStats: { 'bad:date': { cooldownUntil: 1e20 } } }) },
    row: 'bad:date',
    status: 'ok',
    detail: /usageStats cooldownUntil 100000000000000000000 is not a valid time: OpenClaw ignores it/,
  },
  {
    name: 'usageStats disabledUntil 1e309 (Infinity)',
    files: badStoreText('{"version":1,"profiles":{"bad:date":{"type":"api_key","provider":"anthropic","key":"PLANTEDSECRET-k"}},"usageStats":{"bad:date":{"disabledUntil":1e309}}}'),
    row: 'bad:date',
    status: 'ok',
    detail: /^no expiry$/,
  },
  { name: 'Claude Code expiresAt 1e20', files: { '.claude/.credentials.json': { json: { claudeAiOauth: { accessToken: 'PLANTEDSECRET-a', refreshToken: 'PLANTEDSECRET-r', expiresAt: 1e20 } } } }, row: /claude/, error: /claudeAiOauth\.expiresAt 1e20 is not a valid time/ },
  { name: 'Claude Code expiresAt an ISO string', files: { '.claude/.credentials.json': { json: { claudeAiOauth: { accessToken: 'PLANTEDSECRET-a', expiresAt: '2030-01-01' } } } }, row: /claude/, error: /claudeAiOauth\.expiresAt must be a number of epoch milliseconds, found a string/ },
  { name: 'Gemini expiry_date 1e20', files: { '.gemini/oauth_creds.json': { json: { access_token: 'PLANTEDSECRET-a', refresh_token: 'PLANTEDSECRET-r', expiry_date: 1e20 } } }, row: /gemini/, error: /expiry_date 1e20 is not a valid time/ },
  // Programs that misbehave.
  { name: 'declared command whose child holds the pipe', files: declaredCommand(['sh', '-c', '(sleep 30) & exec sleep 30'], 'ms', '1s'), row: 'bad-date', error: /`sh …` no answer within 1s \(killed\)/ },
  { name: 'declared command printing 5 MB', files: declaredCommand(['sh', '-c', 'head -c 5000000 /dev/zero | tr "\\0" 1']), row: 'bad-date', error: /printed more than 1 MB \(killed\)/ },
  { name: 'declared command that is not there', files: declaredCommand(['no-such-program-PLANTED']), row: 'bad-date', error: /`no-such-program-PLANTED` not found on PATH/ },
  // .env files: huge, special, weird syntax (the gateway's dotenv decides what counts).
  // (Just under the gateway's 1 MB: a larger .env it skips whole, and so does authwatch.)
  { name: '.env: a megabyte of blank lines around a key', files: dotenv(`A=1${'\n'.repeat(megabyte - 100)}OPENROUTER_API_KEY=PLANTEDSECRET-or\n`), row: 'env:OPENROUTER_API_KEY', status: 'ok', detail: /from .*\.env/ },
  { name: '.env: a megabyte of whitespace-only lines', files: dotenv(`${' \n'.repeat(megabyte / 2 - 100)}OPENROUTER_API_KEY=PLANTEDSECRET-or\n`), row: 'env:OPENROUTER_API_KEY', status: 'ok' },
  { name: '.env: over the gateway\'s 1 MB', files: dotenv(`OPENROUTER_API_KEY=PLANTEDSECRET-or\n${'#'.repeat(megabyte)}\n`), row: 'env:.env', error: /over the 1 MB OpenClaw's gateway reads from a \.env file: it skips the whole file/ },
  { name: '.env: empty (no keys, not an error)', files: dotenv('\n  \n'), row: 'env:OPENAI_API_KEY', status: 'ok' },
  { name: '.env: 160k spaces inside the value', files: dotenv(`OPENROUTER_API_KEY=PLANTEDSECRET${' '.repeat(160_000)}x\n`), row: 'env:OPENROUTER_API_KEY', status: 'ok' },
  { name: '.env: 5 MB', files: dotenv(`OPENROUTER_API_KEY=PLANTEDSECRET\n${'#'.repeat(5 * megabyte)}\n`), row: 'env:.env', error: /over the 4 MB limit/ },
  { name: '.env: a FIFO', setup: (home) => (mkdirSync(join(home, '.openclaw'), { recursive: true }), spawnSync('mkfifo', [join(home, '.openclaw/.env')])), row: 'env:.env', error: /a named pipe \(FIFO\), not a regular file/ },
  { name: '.env: a symlink to /dev/zero', setup: (home) => (mkdirSync(join(home, '.openclaw'), { recursive: true }), symlinkSync('/dev/zero', join(home, '.openclaw/.env'))), row: 'env:.env', error: /a device, not a regular file/ },
  { name: '.env: a symlink loop', setup: (home) => (mkdirSync(join(home, '.openclaw'), { recursive: true }), symlinkSync('.env', join(home, '.openclaw/.env'))), row: 'env:.env', error: /too many levels of symbolic links/ },
  { name: '.env: a directory', files: { '.openclaw/.env/x': 'y' }, row: 'env:.env', error: /a directory, not a file/ },
  { name: '.env: KEY: value', files: dotenv('OPENROUTER_API_KEY: PLANTEDSECRET-or\n'), row: 'env:OPENROUTER_API_KEY', status: 'ok' },
  { name: '.env: CR-only line ends', files: dotenv('A=1\rOPENROUTER_API_KEY=PLANTEDSECRET-or\r'), row: 'env:OPENROUTER_API_KEY', status: 'ok' },
  { name: '.env: multi-line quoted value', files: dotenv('OPENROUTER_API_KEY="PLANTEDSECRET\nsecond line"\n'), row: 'env:OPENROUTER_API_KEY', status: 'ok' },
  // Duplicate ids.
  { name: 'declared: one id twice', files: config({ declared: [{ id: 'twice', provider: 'p', env: 'A' }, { id: 'twice', provider: 'p', env: 'B' }] }), env: { A: 'PLANTEDSECRET-a' }, row: 'twice', status: 'ok' },
  { name: 'OpenClaw store: one id twice', files: badStoreText('{"version":1,"profiles":{"bad:date":{"type":"api_key","provider":"a","key":"PLANTEDSECRET-1"},"bad:date":{"type":"api_key","provider":"a","key":"PLANTEDSECRET-2"}}}'), row: 'bad:date (duplicate)', error: /appears more than once/ },
];

/** The sources every home also has, and what each must still report. */
const healthy: Record<string, FileSpec> = {
  [agentStore('good')]: store({ 'good:default': { type: 'token', provider: 'good', token: 'PLANTEDSECRET-good', expires: later } }),
};

function assertClean(output: string) {
  expect(output).not.toMatch(/\n\s+at |RangeError|this is a bug|NaN|Invalid time value/);
  expect(output).not.toContain('PLANTEDSECRET');
}

describe('hostile input, source by source (real CLI, time-bounded)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const home = makeHome({ ...healthy, ...c.files });
    c.setup?.(home);
    const env = { OPENAI_API_KEY: 'PLANTEDSECRET-process', ...c.env };
    const started = Date.now();
    const json = await runCli(['check', '--send', '--json', '--now', NOW_ISO, ...(c.args ?? [])], { home, env, timeoutMs: 15_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(json.code, json.stderr).not.toBeNull();
    expect([0, 1, 2]).toContain(json.code);
    assertClean(json.stdout + json.stderr);
    const report = JSON.parse(json.stdout);
    const row = report.profiles.find((p: any) => (typeof c.row === 'string' ? p.id === c.row : c.row.test(p.id)));
    expect(row, JSON.stringify(report.profiles.map((p: any) => [p.id, p.status, p.detail]))).toBeDefined();
    if (c.error) {
      expect(row.status).toBe('error');
      expect(row.detail).toMatch(c.error);
    } else {
      expect(row.status).toBe(c.status);
      if (c.detail) expect(row.detail).toMatch(c.detail);
      expect(report.profiles.filter((p: any) => p.status === 'error')).toEqual([]);
    }
    // The others still report.
    expect(report.profiles.find((p: any) => p.id === 'good:default')).toMatchObject({ status: 'ok' });
    expect(report.profiles.find((p: any) => p.id === 'env:OPENAI_API_KEY')).toMatchObject({ status: 'ok' });
    // The table says the same without a crash or an unprintable date.
    const table = await runCli(['check', '--send', '--now', NOW_ISO, ...(c.args ?? [])], { home, env, timeoutMs: 15_000 });
    expect(table.code).toBe(json.code);
    assertClean(table.stdout + table.stderr);
  }, 40_000);
});

describe('ref ids are never quoted when they look like a secret', () => {
  const pasted = 'sk-ant-api03-PLANTEDREFSECRET0123456789abcdefABCDEF0123456789';
  const refs = store({
    'anthropic:env-ref': { type: 'api_key', provider: 'anthropic', keyRef: { source: 'env', provider: 'default', id: pasted } },
    'anthropic:file-ref': { type: 'api_key', provider: 'anthropic', keyRef: { source: 'file', provider: 'default', id: pasted } },
    'openai:oauth-ref': { type: 'oauth', provider: 'openai', oauthRef: { id: pasted } },
    'groq:named': { type: 'api_key', provider: 'groq', keyRef: { source: 'env', provider: 'default', id: 'GROQ_KEY_UNSET' } },
  });

  it('table, --json and an alert show the kind and a fingerprint; a plain variable name is shown', async () => {
    const sink = await startSink();
    const home = makeHome({ [agentStore('main')]: refs, ...config({ channels: [{ name: 'hook', type: 'webhook', url: `${sink.url}/hook` }] }) });
    const json = await runCli(['check', '--send', '--json', '--now', NOW_ISO], { home, timeoutMs: 15_000 });
    const table = await runCli(['check', '--send', '--now', NOW_ISO], { home, timeoutMs: 15_000 });
    const report = JSON.parse(json.stdout);
    const detail = (id: string) => report.profiles.find((p: any) => p.id === id).detail as string;
    expect(detail('anthropic:env-ref')).toMatch(/the environment variable \(env ref id, fingerprint [0-9a-f]{8}\) it refers to is not set/);
    expect(detail('anthropic:file-ref')).toMatch(/the file \(file ref id, fingerprint [0-9a-f]{8}\) it refers to does not exist/);
    expect(detail('openai:oauth-ref')).toMatch(/its encrypted credential \(oauthRef ref id, fingerprint [0-9a-f]{8}\) in .*credentials\/auth-profiles does not exist/);
    expect(detail('groq:named')).toMatch(/the environment variable GROQ_KEY_UNSET it refers to is not set/);
    expect(sink.requests.length).toBeGreaterThan(0);
    const alerts = sink.requests.map((r) => r.body).join('\n');
    expect(alerts).toMatch(/fingerprint [0-9a-f]{8}/);
    const state = readFileSync(join(home, '.local/state/authwatch/state.json'), 'utf8');
    for (const output of [json.stdout, json.stderr, table.stdout, table.stderr, alerts, state]) expect(output).not.toContain('PLANTEDREFSECRET');
  }, 40_000);
});

describe('one GET /status of a home with bad dates', () => {
  it('is answered (the daemon does not die) and writes no NaN', async () => {
    const home = makeHome({ ...healthy, ...codexLogin(fakeJwt({ exp: 1e20 })), ...badStore(1e20), ...config({}) });
    const daemon = await startDaemon(home);
    const first = await daemon.get('/status');
    expect(first.status).toBe(200);
    const body = await first.text();
    assertClean(body);
    expect(body).toMatch(/1e20 is not a valid time/);
    expect((await daemon.get('/status')).status).toBe(200);
    expect(daemon.child.exitCode).toBeNull();
  }, 40_000);
});

describe('alerts about a home full of bad dates', () => {
  it('are delivered, run after run, without "Invalid time value"', async () => {
    const sink = await startSink();
    const home = makeHome({
      ...healthy,
      ...codexLogin(fakeJwt({ exp: 1e20 })),
      ...badStore(1e20),
      [agentStore('expired')]: store({ 'gone:default': { type: 'token', provider: 'gone', token: 'PLANTEDSECRET-g', expires: NOW - DAY } }),
      ...config({ channels: [{ name: 'hook', type: 'webhook', url: `${sink.url}/hook` }] }),
    });
    for (const now of [NOW_ISO, new Date(NOW + DAY).toISOString()]) {
      const result = await runCli(['check', '--send', '--now', now], { home, timeoutMs: 15_000 });
      expect(result.code, result.stderr).toBe(1);
      assertClean(result.stdout + result.stderr);
    }
    const alerts = sink.requests.map((r) => r.body).join('\n');
    expect(alerts).toMatch(/gone:default/);
    expect(alerts).toMatch(/1e20 is not a valid time/);
    assertClean(alerts);
  }, 40_000);
});
