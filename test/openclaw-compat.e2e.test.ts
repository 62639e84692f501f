import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyExpiry } from '../src/outputs/openclaw-compat.js';
import { runCli } from './helpers/cli.js';
import { DAY, HOUR, NOW, NOW_ISO } from './helpers/clock.js';
import { agentStore, makeHome, type FileSpec } from './helpers/home.js';

const golden = fileURLToPath(new URL('./golden/openclaw-compat/', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/openclaw-sqlite/', import.meta.url));
const MIN = 60_000;

const store = (profiles: Record<string, unknown>): FileSpec => ({ json: { version: 1, profiles } });
const claudeLogin = (expiresAt: number, refresh: boolean): FileSpec => ({
  json: { claudeAiOauth: { accessToken: 'sk-ant-oat01-PLANTEDSECRET', ...(refresh ? { refreshToken: 'sk-ant-ort01-PLANTEDSECRET' } : {}), expiresAt } },
});
const token = (expires?: number) => ({ type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-PLANTEDSECRET', ...(expires ? { expires } : {}) });

/** A table of homes, each with the token the simple mode must print and its exit code. */
const homes: { name: string; files: Record<string, FileSpec>; simple: string; exit: number; stateDb?: string }[] = [
  { name: 'setup-token-only', files: { [agentStore('main')]: store({ 'anthropic:manual': token() }) }, simple: 'OK', exit: 0 },
  { name: 'env-key-only', files: { '.openclaw/.env': 'ANTHROPIC_API_KEY=sk-ant-api03-PLANTEDSECRET\n' }, simple: 'OK', exit: 0 },
  {
    name: 'refreshable-logins',
    files: {
      '.claude/.credentials.json': claudeLogin(NOW - HOUR, true),
      [agentStore('main')]: store({ 'anthropic:me@example.com': { type: 'oauth', provider: 'anthropic', access: 'PLANTEDSECRET', refresh: 'PLANTEDSECRET', expires: NOW + 2 * HOUR } }),
    },
    simple: 'OK',
    exit: 0,
  },
  { name: 'claude-token-expiring', files: { '.claude/.credentials.json': claudeLogin(NOW + 40 * MIN, false), [agentStore('main')]: store({ 'anthropic:default': token(NOW + 30 * DAY) }) }, simple: 'CLAUDE_EXPIRING', exit: 2 },
  { name: 'openclaw-token-expired', files: { [agentStore('main')]: store({ 'anthropic:default': token(NOW - HOUR) }) }, simple: 'CLAUDE_EXPIRED', exit: 1 },
  {
    name: 'claude-ok-openclaw-expired',
    files: { '.claude/.credentials.json': claudeLogin(NOW + 7 * HOUR + 12 * MIN, false), [agentStore('main')]: store({ 'anthropic:default': token(NOW - HOUR) }) },
    simple: 'OPENCLAW_EXPIRED',
    exit: 1,
  },
  { name: 'openclaw-expiring', files: { '.claude/.credentials.json': claudeLogin(NOW + 7 * HOUR, false), [agentStore('main')]: store({ 'anthropic:default': token(NOW + 20 * MIN) }) }, simple: 'OPENCLAW_EXPIRING', exit: 2 },
  { name: 'nothing', files: {}, simple: 'CLAUDE_EXPIRED', exit: 1 },
  { name: 'failed-refresh-fence', files: {}, stateDb: 'fence-failed', simple: 'CLAUDE_EXPIRED', exit: 1 },
];

function build(home: (typeof homes)[number]) {
  const dir = makeHome(home.files);
  if (home.stateDb) {
    mkdirSync(join(dir, '.openclaw/state'), { recursive: true });
    cpSync(join(fixtures, home.stateDb), join(dir, '.openclaw/state'), { recursive: true });
  }
  return dir;
}

describe('compatibility with claude-auth-status.sh', () => {
  it('classifies expiries like the old script', () => {
    expect(classifyExpiry(0, NOW)).toBe('MISSING');
    expect(classifyExpiry(NOW - 1, NOW)).toBe('EXPIRED');
    expect(classifyExpiry(NOW + 42 * MIN + 59_000, NOW)).toBe('EXPIRING:42m');
    expect(classifyExpiry(NOW + 7 * HOUR + 12 * MIN + 30_000, NOW)).toBe('OK:7h12m');
  });

  for (const home of homes) {
    it(`${home.name}: --format openclaw-simple prints ${home.simple} (exit ${home.exit}); openclaw-json matches the golden file`, async () => {
      const dir = build(home);
      const simple = await runCli(['check', '--format', 'openclaw-simple', '--now', NOW_ISO], { home: dir });
      expect(simple.stdout).toBe(`${home.simple}\n`);
      expect(simple.code).toBe(home.exit);
      const json = await runCli(['check', '--format', 'openclaw-json', '--now', NOW_ISO], { home: dir });
      const file = join(golden, `${home.name}.json`);
      if (process.env.UPDATE_GOLDEN && !existsSync(file)) writeFileSync(file, json.stdout);
      expect(json.stdout).toBe(readFileSync(file, 'utf8'));
      expect(simple.stdout + json.stdout + simple.stderr + json.stderr).not.toContain('PLANTEDSECRET');
    });
  }
});

describe('--policy openclaw reproduces `openclaw models status --check` (2026.9.6)', () => {
  const model = { '.openclaw/openclaw.json': '{ agents: { defaults: { model: { primary: "anthropic/claude-opus-4-6" } } } }' };
  const oauth = (expires: number, refresh = true) => ({ type: 'oauth', provider: 'anthropic', access: 'a', ...(refresh ? { refresh: 'r' } : {}), expires });
  // OpenClaw 2026.9.6 refuses a JSON profile store ("requires legacy credential migration", exit 1)
  // whatever it holds; the per-health cases against the real CLI, on state-DB rows, are test/parity.
  const cases: { name: string; files: Record<string, FileSpec>; openclaw: number; authwatch: number }[] = [
    { name: 'env or .env key', files: { '.openclaw/.env': 'ANTHROPIC_API_KEY=k\n' }, openclaw: 0, authwatch: 0 },
    { name: 'OAuth 10 days left', files: { [agentStore('main')]: store({ 'anthropic:x': oauth(NOW + 10 * DAY) }) }, openclaw: 1, authwatch: 0 },
    { name: 'refreshable OAuth 2h left', files: { [agentStore('main')]: store({ 'anthropic:x': oauth(NOW + 2 * HOUR) }) }, openclaw: 1, authwatch: 0 },
    { name: 'OAuth expired, even with a refresh token', files: { [agentStore('main')]: store({ 'anthropic:x': oauth(NOW - HOUR) }) }, openclaw: 1, authwatch: 0 },
    { name: 'token without expiry', files: { [agentStore('main')]: store({ 'anthropic:x': token() }) }, openclaw: 1, authwatch: 0 },
    { name: 'token 2h left', files: { [agentStore('main')]: store({ 'anthropic:x': token(NOW + 2 * HOUR) }) }, openclaw: 1, authwatch: 2 },
    { name: 'nothing', files: {}, openclaw: 1, authwatch: 1 },
    {
      name: 'an expired Claude Code login is not read by models status',
      files: { '.openclaw/.env': 'ANTHROPIC_API_KEY=k\n', '.claude/.credentials.json': claudeLogin(NOW - HOUR, false) },
      openclaw: 0,
      authwatch: 1,
    },
    {
      // The gateway cannot use it: the anthropic route has nothing (authwatch agrees since routes).
      name: 'a Claude Code login does not cover the provider for models status',
      files: { '.claude/.credentials.json': claudeLogin(NOW + 30 * DAY, false) },
      openclaw: 1,
      authwatch: 1,
    },
  ];
  for (const c of cases) {
    it(`${c.name}: openclaw ${c.openclaw}, authwatch ${c.authwatch}`, async () => {
      const home = makeHome({ ...model, ...c.files });
      expect((await runCli(['check', '--policy', 'openclaw', '--now', NOW_ISO], { home })).code).toBe(c.openclaw);
      expect((await runCli(['check', '--now', NOW_ISO], { home })).code).toBe(c.authwatch);
    });
  }

  it('bad --policy and --format values exit 3', async () => {
    const home = makeHome();
    expect((await runCli(['check', '--policy', 'strict'], { home })).stderr).toMatch(/--policy: expected one of authwatch, openclaw/);
    expect((await runCli(['check', '--format', 'xml'], { home })).code).toBe(3);
  });
});
