import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNames } from '../src/outputs/formats.js';
import { cliPath, runCli } from './helpers/cli.js';
import { DAY, HOUR, NOW, NOW_ISO } from './helpers/clock.js';
import { agentStore, makeHome, type FileSpec } from './helpers/home.js';
import { fakeJwt } from './helpers/jwt.js';

const apiKey = (provider: string, key = 'sk-test') => ({ type: 'api_key', provider, key });
const token = (provider: string, expires: number) => ({ type: 'token', provider, token: 'sk-ant-oat01-test', expires });
const store = (profiles: Record<string, unknown>): FileSpec => ({ json: { version: 1, profiles } });

function check(home: string, args: string[] = [], env: Record<string, string> = {}) {
  return runCli(['check', '--now', NOW_ISO, ...args], { home, env });
}

async function checkJson(home: string, args: string[] = [], env: Record<string, string> = {}) {
  const result = await check(home, ['--json', ...args], env);
  return { ...result, json: JSON.parse(result.stdout) as Record<string, any> };
}

describe('authwatch check (child process)', () => {
  it('all ok: exit 0 and a table with every profile', async () => {
    const home = makeHome({ [agentStore('main')]: store({ 'openrouter:default': apiKey('openrouter'), 'anthropic:default': token('anthropic', NOW + 30 * DAY) }) });
    const result = await check(home);
    expect(result.code).toBe(0);
    // One line per provider in use leads, then the profiles.
    expect(result.stdout).toMatch(/^openrouter  serving openrouter:default\nanthropic   serving anthropic:default, runs dry 2026-12-24 12:00 \+00:00\n\nPROFILE\s+AGENT\s+PROVIDER\s+SOURCE\s+STATUS\s+EXPIRES\s+REMAINING\s+DETAIL/);
    expect(result.stdout).toMatch(/anthropic:default\s+main\s+anthropic\s+openclaw\s+ok\s+2026-12-24 12:00 \+00:00\s+30d/);
    expect(result.stdout).toMatch(/openrouter:default\s+main\s+openrouter\s+openclaw\s+ok\s+-\s+-\s+no expiry/);
    expect(result.stdout).toContain('2 ok — status ok, exit 0');
    expect(result.stdout).not.toContain('\u001b[');
    expect(result.stderr).toBe('');
  });

  it('expiring soon: exit 2', async () => {
    const home = makeHome({ [agentStore('main')]: store({ 'anthropic:default': token('anthropic', NOW + 3 * HOUR) }) });
    const { code, json } = await checkJson(home);
    expect(code).toBe(2);
    expect(json.status).toBe('expiring');
    expect(json.profiles[0]).toMatchObject({ status: 'expiring', remainingSeconds: 3 * 3600, expiresAt: '2026-11-24T15:00:00.000Z' });
  });

  it('--warn changes the window', async () => {
    const home = makeHome({ [agentStore('main')]: store({ 'anthropic:default': token('anthropic', NOW + 3 * HOUR) }) });
    expect((await check(home, ['--warn', '1h'])).code).toBe(0);
    expect((await check(home, ['--warn', '3d'])).code).toBe(2);
  });

  it('expired: exit 1, even next to expiring ones', async () => {
    const home = makeHome({
      [agentStore('main')]: store({ 'anthropic:default': token('anthropic', NOW - HOUR), 'x:default': token('x', NOW + HOUR) }),
    });
    const { code, json } = await checkJson(home);
    expect(code).toBe(1);
    expect(json.status).toBe('expired');
  });

  it('a required provider with no credential is a missing row: exit 1', async () => {
    const home = makeHome({
      [agentStore('main')]: store({ 'openrouter:default': apiKey('openrouter') }),
      '.config/authwatch/config.json5': "{ require: ['anthropic'] }",
      '.openclaw/openclaw.json': "{ agents: { defaults: { model: { primary: 'openrouter/x', fallbacks: ['mistral/large'] } } } }",
    });
    const { code, json } = await checkJson(home);
    expect(code).toBe(1);
    const missing = json.profiles.filter((p: any) => p.status === 'missing').map((p: any) => p.provider);
    expect(missing).toEqual(['anthropic', 'mistral']);
  });

  it('an API key in the environment covers a required provider', async () => {
    const home = makeHome({ '.config/authwatch/config.json5': "{ require: ['anthropic'] }" });
    const { code } = await checkJson(home, [], { ANTHROPIC_API_KEY: 'sk-ant-api03-x' });
    expect(code).toBe(0);
  });

  it('a key in openclaw.json (models.providers.<id>.apiKey) serves its provider: no missing row, exit 0, as OpenClaw says', async () => {
    const home = makeHome({
      '.openclaw/openclaw.json': "{ agents: { defaults: { model: { primary: 'mistral/mistral-large' } } }, models: { providers: { mistral: { baseUrl: 'https://api.mistral.ai/v1', apiKey: 'mistral-PLANTEDSECRET-inline' } } } }",
    });
    for (const policy of [[], ['--policy', 'openclaw']]) {
      const { code, json } = await checkJson(home, policy);
      expect(code, policy.join(' ')).toBe(0);
      expect(json.profiles.filter((p: any) => p.status === 'missing')).toEqual([]);
      expect(json.providers[0]).toMatchObject({ provider: 'mistral', verdict: 'serving', status: 'ok', serving: { id: 'config:models.providers.mistral.apiKey' } });
    }
    const table = await runCli(['check', '--now', NOW_ISO], { home });
    expect(table.stdout).toMatch(/^mistral\s+serving config:models\.providers\.mistral\.apiKey$/m);
    expect(table.stdout).toMatch(/^no stored credentials — status ok, exit 0$/m);
    expect(table.stdout + table.stderr).not.toContain('PLANTEDSECRET');
  });

  it('a corrupt store is an error row; every other source is still reported; exit 1', async () => {
    const home = makeHome({
      [agentStore('main')]: '{"version":1,"profiles":{"a":',
      [agentStore('work')]: store({ 'openrouter:default': apiKey('openrouter') }),
      '.claude/.credentials.json': { json: { claudeAiOauth: { accessToken: 'a', refreshToken: 'r', expiresAt: NOW + HOUR } } },
    });
    const { code, json, stderr } = await checkJson(home);
    expect(code).toBe(1);
    expect(json.profiles.map((p: any) => [p.id, p.status])).toEqual([
      ['openclaw:main', 'error'],
      ['openrouter:default', 'ok'],
      ['anthropic:claude-cli', 'ok'],
    ]);
    expect(json.profiles[0].detail).toBe(`${join(home, agentStore('main'))}: not valid JSON: it ends too early (truncated or half-written?)`);
    expect(json.sources.find((s: any) => s.path === join(home, agentStore('main')))).toMatchObject({ ok: false, found: true });
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  // As root every file is readable, so the check runs as an unprivileged user — which needs
  // to be able to reach the built CLI (true unless the checkout sits in a private directory).
  const asRoot = process.getuid?.() === 0;
  const unprivilegedCanRun = !asRoot || spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(cliPath)})`], { uid: 65534, gid: 65534 }).status === 0;
  if (!unprivilegedCanRun) console.warn(`skipping the permission-denied test: uid 65534 cannot read ${cliPath}`);

  it.runIf(unprivilegedCanRun)('an unreadable file is an error row (permission denied)', async () => {
    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'a:default': apiKey('a') } }, mode: 0o644 },
      [agentStore('locked')]: store({ 'b:default': apiKey('b') }),
    });
    chmodSync(join(home, agentStore('locked')), 0o000);
    const result = await runCli(['check', '--json', '--now', NOW_ISO], { home, ...(asRoot ? { uid: 65534 } : {}) });
    const json = JSON.parse(result.stdout);
    expect(result.code).toBe(1);
    expect(json.profiles.find((p: any) => p.agent === 'locked')).toMatchObject({ status: 'error', detail: `${join(home, agentStore('locked'))}: permission denied` });
    expect(json.profiles.find((p: any) => p.id === 'a:default')).toMatchObject({ status: 'ok' });
  });

  it('nothing found at all: a missing row that says where it looked; exit 1', async () => {
    const home = makeHome();
    const { code, json } = await checkJson(home);
    expect(code).toBe(1);
    expect(json.profiles).toHaveLength(1);
    expect(json.profiles[0]).toMatchObject({ id: '(none)', status: 'missing' });
    for (const place of ['.claude/.credentials.json', '.codex/auth.json', '.openclaw/.env', '.openclaw/openclaw.json', 'the process environment']) {
      expect(json.profiles[0].detail).toContain(place);
    }
  });

  it('--json prints exactly one document with the documented fields', async () => {
    const home = makeHome({
      [agentStore('main')]: store({ 'anthropic:default': token('anthropic', NOW + 30 * DAY) }),
      '.codex/auth.json': { json: { auth_mode: 'chatgpt', tokens: { access_token: fakeJwt({ exp: (NOW + HOUR) / 1000 }), refresh_token: 'r' } } },
    });
    const { json, stdout } = await checkJson(home);
    expect(Object.keys(json)).toEqual(['checkedAt', 'status', 'exitCode', 'profiles', 'providers', 'sources']);
    expect(json.checkedAt).toBe(NOW_ISO);
    expect(json.exitCode).toBe(0);
    for (const profile of json.profiles) {
      expect(Object.keys(profile)).toEqual([
        'id', 'provider', 'source', 'type', 'status', 'expiresAt', 'remainingSeconds', 'refreshable', 'detail', 'fix', 'agent', 'path', 'fingerprint', 'fileExposed', 'unused',
      ]);
    }
    expect(json.profiles[1]).toMatchObject({ id: 'openai:codex-cli', refreshable: true, status: 'ok', remainingSeconds: 3600 });
    for (const source of json.sources) expect(Object.keys(source)).toEqual(['name', 'path', 'found', 'ok', 'error']);
    expect(stdout.trim().split('\n').at(-1)).toBe('}');
  });

  it('the clock comes from --now or $AUTHWATCH_NOW', async () => {
    const home = makeHome({ [agentStore('main')]: store({ 'anthropic:default': token('anthropic', NOW + 3 * HOUR) }) });
    const later = new Date(NOW + 4 * HOUR).toISOString();
    expect((await runCli(['check', '--now', later], { home })).code).toBe(1);
    expect((await runCli(['check'], { home, env: { AUTHWATCH_NOW: later } })).code).toBe(1);
    expect((await runCli(['check'], { home, env: { AUTHWATCH_NOW: NOW_ISO } })).code).toBe(2);
  });

  it('--agent limits OpenClaw stores to one agent', async () => {
    const home = makeHome({
      [agentStore('main')]: store({ 'a:default': token('a', NOW - HOUR) }),
      [agentStore('work')]: store({ 'b:default': apiKey('b') }),
    });
    const { code, json } = await checkJson(home, ['--agent', 'work']);
    expect(code).toBe(0);
    expect(json.profiles.map((p: any) => p.id)).toEqual(['b:default']);
  });

  it.each([
    ['an unknown flag', ['--bogus'], /check: Unknown option '--bogus'/],
    ['a bad --now', ['--now', 'yesterday'], /--now: expected an ISO-8601 time/],
    ['a bad --warn', ['--warn', 'soon'], /--warn: expected a duration/],
    ['a bad --log-level', ['--log-level', 'loud'], /--log-level: expected one of/],
    ['a missing --config file', ['--config', '/nonexistent/authwatch.json5'], /config file not found: '\/nonexistent\/authwatch.json5'/],
  ])('%s: exit 3 with a one-line reason', async (_name, args, message) => {
    const result = await runCli(['check', ...args], { home: makeHome() });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('an invalid config field: exit 3 naming the file and the field', async () => {
    const home = makeHome({ '.config/authwatch/config.json5': "{ warn: 'tomorrow', providers: { anthropic: { warn: '1x' } } }" });
    const result = await runCli(['check'], { home });
    const file = join(home, '.config/authwatch/config.json5');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${file}: warn: expected a duration`);
    expect(result.stderr).toContain(`${file}: providers.anthropic.warn: expected a duration`);
  });

  it('an unknown command exits 3; --help and --version exit 0', async () => {
    const home = makeHome();
    expect((await runCli(['frobnicate'], { home })).code).toBe(3);
    const help = await runCli(['--help'], { home });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('check');
    expect((await runCli(['check', '--help'], { home })).stdout).toContain('--json');
    expect((await runCli(['--version'], { home })).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('--format: every format of the registry is in the help and runs; any other is refused naming them all', async () => {
    const home = makeHome({ [agentStore('main')]: store({ 'anthropic:default': token('anthropic', NOW + 30 * DAY) }) });
    const help = (await runCli(['check', '--help'], { home })).stdout;
    for (const name of formatNames) {
      expect(help).toMatch(new RegExp(`^ {25}${name} +\\S`, 'm'));
      expect(await check(home, ['--format', name]), name).toMatchObject({ code: 0, stderr: '' });
    }
    expect((await check(home, ['--format', 'json'])).stdout).toBe((await check(home, ['--json'])).stdout);
    expect(await check(home, ['--format', 'yaml'])).toMatchObject({ code: 3, stdout: '', stderr: `authwatch: --format: expected one of ${formatNames.join(', ')}\n` });
    expect(await check(home, ['--format', 'table', '--json'])).toMatchObject({ code: 3, stderr: 'authwatch: --json and --format disagree: give one of them\n' });
  });

  it('logs are JSON lines on stderr; stdout stays clean', async () => {
    const home = makeHome({ [agentStore('main')]: store({ 'anthropic:default': token('anthropic', NOW - HOUR) }) });
    const { stdout, stderr } = await check(home, ['--json', '--log-level', 'debug']);
    JSON.parse(stdout);
    const lines = stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.map((l) => JSON.parse(l).msg)).toContain('profile not ok');
  });
});
