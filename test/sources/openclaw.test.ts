import { createHash } from 'node:crypto';
import { mkdirSync, symlinkSync } from 'node:fs';
import { inspect } from 'node:util';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openclawAuthProfiles } from '../../src/sources/openclaw-auth-profiles.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { policyFromConfig } from '../../src/evaluate/policy.js';
import { defaultConfig } from '../../src/config/defaults.js';
import type { Config } from '../../src/config/schema.js';
import type { Profile } from '../../src/sources/source.js';
import { DAY, HOUR, NOW } from '../helpers/clock.js';
import { contextFor } from '../helpers/context.js';
import { agentStore, makeHome } from '../helpers/home.js';

const store = (profiles: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ json: { version: 1, profiles, ...extra } });
/** What the row says: the usage stats are judged with the status (src/evaluate/windows.ts). */
const detailOf = (profile: Profile) => evaluate(profile, NOW, policyFromConfig(defaultConfig() as Config, undefined, 'authwatch')).detail;

describe('openclaw auth-profiles.json source', () => {
  it('reads every credential type and keeps only the fingerprint', async () => {
    const home = makeHome({
      [agentStore('main')]: store({
        'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-PLANTED-one', expires: NOW + 10 * DAY },
        'openai-codex:a@b.c': { type: 'oauth', provider: 'openai-codex', access: 'eyJPLANTEDaccess', refresh: 'rt_PLANTED', expires: NOW + HOUR },
        'openrouter:default': { type: 'api_key', provider: 'openrouter', key: 'sk-or-PLANTED' },
        'openai:alt': { type: 'api_key', provider: 'openai', apiKey: 'sk-openai-PLANTED' },
      }),
    });
    const { profiles, visits } = await openclawAuthProfiles.read(contextFor(home));
    expect(profiles.map((p) => [p.id, p.type, p.agent, p.refreshable, p.secret])).toEqual([
      ['anthropic:default', 'token', 'main', false, 'present'],
      ['openai-codex:a@b.c', 'oauth', 'main', true, 'present'],
      ['openrouter:default', 'api_key', 'main', false, 'present'],
      ['openai:alt', 'api_key', 'main', false, 'present'],
    ]);
    expect(profiles[0]!.expiresAt).toBe(NOW + 10 * DAY);
    // The SHA-256 prefix of the secret the row stands for (the access token of an OAuth login).
    expect(profiles[0]!.fingerprint?.hex).toBe(createHash('sha256').update('sk-ant-oat01-PLANTED-one').digest('hex').slice(0, 8));
    expect(profiles[1]!.fingerprint?.hex).toBe(createHash('sha256').update('eyJPLANTEDaccess').digest('hex').slice(0, 8));
    expect(JSON.stringify(profiles)).not.toMatch(/PLANTED/);
    expect(inspect(profiles, { depth: Infinity, showHidden: true, getters: true })).not.toMatch(/PLANTED/);
    expect(JSON.stringify(profiles.map((p) => ({ ...p })))).not.toMatch(/PLANTED/);
    expect(visits.find((v) => v.path?.endsWith('auth-profiles.json'))).toMatchObject({ found: true, ok: true });
  });

  it('reads every agent, merges auth-state.json usage stats and reports future cooldowns only', async () => {
    const home = makeHome({
      [agentStore('main')]: store(
        { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: 'k1' } },
        { usageStats: { 'anthropic:default': { cooldownUntil: NOW + HOUR } } },
      ),
      '.openclaw/agents/main/agent/auth-state.json': {
        json: { version: 1, usageStats: { 'anthropic:default': { disabledUntil: NOW + 2 * HOUR, disabledReason: 'billing', cooldownUntil: NOW - HOUR } } },
      },
      [agentStore('work')]: store(
        { 'openrouter:default': { type: 'api_key', provider: 'openrouter', key: 'k2' } },
        { usageStats: { 'openrouter:default': { cooldownUntil: NOW - HOUR } } },
      ),
    });
    const { profiles } = await openclawAuthProfiles.read(contextFor(home));
    expect(profiles.map((p) => `${p.agent}/${p.id}`)).toEqual(['main/anthropic:default', 'work/openrouter:default']);
    // auth-profiles.json wins for the whole entry it has: its cooldown, not auth-state's.
    expect(profiles[0]!.usage).toEqual({ cooldownUntil: NOW + HOUR });
    expect(detailOf(profiles[0]!)).toMatch(/in cooldown until/);
    expect(detailOf(profiles[0]!)).not.toMatch(/disabled/);
    expect(detailOf(profiles[1]!)).not.toMatch(/cooldown/);
  });

  it('uses auth-state.json usage stats when the store has none', async () => {
    const home = makeHome({
      [agentStore('main')]: store({ 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: 'k1' } }),
      '.openclaw/agents/main/agent/auth-state.json': {
        json: { version: 1, usageStats: { 'anthropic:default': { disabledUntil: NOW + 2 * HOUR, disabledReason: 'billing' } } },
      },
    });
    const { profiles } = await openclawAuthProfiles.read(contextFor(home));
    expect(detailOf(profiles[0]!)).toMatch(/disabled until 2026-11-24 14:00 .*\(billing\)/);
  });

  it('--agent restricts to one agent', async () => {
    const home = makeHome({
      [agentStore('main')]: store({ 'a:default': { type: 'api_key', provider: 'a', key: 'k' } }),
      [agentStore('work')]: store({ 'b:default': { type: 'api_key', provider: 'b', key: 'k' } }),
    });
    const { profiles } = await openclawAuthProfiles.read(contextFor(home, {}, 'work'));
    expect(profiles.map((p) => p.id)).toEqual(['b:default']);
  });

  it('reads $OPENCLAW_STATE_DIR, the legacy ~/.clawdbot, the pre-multi-agent store and $OPENCLAW_AGENT_DIR', async () => {
    const home = makeHome({
      'state/agents/main/agent/auth-profiles.json': store({ 'a:default': { type: 'api_key', provider: 'a', key: 'k' } }),
      '.clawdbot/agents/main/agent/auth-profiles.json': store({ 'b:default': { type: 'api_key', provider: 'b', key: 'k' } }),
      'state/agent/auth-profiles.json': store({ 'c:default': { type: 'api_key', provider: 'c', key: 'k' } }),
      'elsewhere/agents/ops/agent/auth-profiles.json': store({ 'd:default': { type: 'api_key', provider: 'd', key: 'k' } }),
    });
    const { profiles } = await openclawAuthProfiles.read(
      contextFor(home, { OPENCLAW_STATE_DIR: join(home, 'state'), OPENCLAW_AGENT_DIR: join(home, 'elsewhere/agents/ops/agent') }),
    );
    const byId = Object.fromEntries(profiles.map((p) => [p.id, p]));
    expect(Object.keys(byId).sort()).toEqual(['a:default', 'b:default', 'c:default', 'd:default']);
    expect(byId['b:default']!.notes.join(' ')).toMatch(/legacy state dir/);
    expect(byId['c:default']!.agent).toBeNull();
    expect(byId['c:default']!.notes).toContain('pre-multi-agent store');
    expect(byId['d:default']!.agent).toBe('ops');
  });

  it("an agent's own agentDir in openclaw.json is where its store is; its agents/<id>/agent is no longer read (resolveEffectiveAgentDir)", async () => {
    const home = makeHome({
      '.openclaw/openclaw.json': { json: { agents: { ownership: 'explicit', entries: { main: {}, Work: { agentDir: '~/elsewhere/work-agent' } } } } },
      'elsewhere/work-agent/auth-profiles.json': store({ 'google:manual': { type: 'api_key', provider: 'google', key: 'AIza-PLANTED-own' } }),
      [agentStore('work')]: store({ 'google:stale': { type: 'api_key', provider: 'google', key: 'AIza-PLANTED-stale' } }),
      [agentStore('main')]: store({ 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: 'sk-ant-PLANTED' } }),
    });
    const { profiles } = await openclawAuthProfiles.read(contextFor(home));
    expect(profiles.map((p) => [p.id, p.agent, p.path])).toEqual([
      ['anthropic:default', 'main', join(home, agentStore('main'))],
      ['google:manual', 'work', join(home, 'elsewhere/work-agent/auth-profiles.json')],
    ]);
    const only = await openclawAuthProfiles.read(contextFor(home, {}, 'work'));
    expect(only.profiles.map((p) => p.id)).toEqual(['google:manual']);
  });

  it('a bad entry is an error row of its own; the other entries still count', async () => {
    const home = makeHome({
      [agentStore('main')]: store({
        'good:default': { type: 'api_key', provider: 'good', key: 'k' },
        'weird:x': { type: 'magic', provider: 'weird' },
        'seconds:x': { type: 'token', provider: 'seconds', token: 't', expires: 1790000000 },
        'string:x': { type: 'token', provider: 'string', token: 't', expires: '1790000000000' },
        'negative:x': { type: 'oauth', provider: 'negative', access: 'a', refresh: 'r', expires: -5 },
        'huge:x': { type: 'token', provider: 'huge', token: 't', expires: 1e300 },
        'null:x': null,
        'array:x': [1, 2],
        'noprovider:x': { type: 'api_key', key: 'k' },
      }),
    });
    const { profiles } = await openclawAuthProfiles.read(contextFor(home));
    const problems = Object.fromEntries(profiles.map((p) => [p.id, p.problem]));
    expect(problems['good:default']).toBeNull();
    expect(problems['weird:x']).toMatch(/unknown credential type "magic"/);
    // An unusable `expires` is that profile's own (OpenClaw's invalid_expires: missing; seconds: long expired), no unreadable row.
    const verdicts = Object.fromEntries(profiles.map((p) => [p.id, p.verdict && `${p.verdict.status}: ${p.verdict.reason}`]));
    for (const id of ['seconds:x', 'string:x', 'negative:x', 'huge:x']) expect(problems[id], id).toBeNull();
    expect(verdicts['seconds:x']).toMatch(/^expired: .*looks like seconds, not milliseconds/);
    expect(verdicts['string:x']).toMatch(/^missing: invalid_expires: .*must be a number of epoch milliseconds, found a string \(a number in quotes\)/);
    expect(verdicts['negative:x']).toMatch(/^missing: invalid_expires: expires is -5: not a valid time/);
    expect(verdicts['huge:x']).toMatch(/^missing: invalid_expires: .*beyond the largest valid date/);
    expect(problems['null:x']).toMatch(/is not an object/);
    expect(problems['array:x']).toMatch(/is not an object/);
    expect(problems['noprovider:x']).toMatch(/provider: .*expected string/i);
    for (const problem of Object.values(problems).filter(Boolean)) expect(problem).toContain(join(home, agentStore('main')));
  });

  it('profiles without a secret are missing; references count when what they point at is there', async () => {
    const home = makeHome({
      [agentStore('main')]: store({
        'a:empty': { type: 'api_key', provider: 'a', key: '' },
        'a:env-set': { type: 'api_key', provider: 'a', keyRef: { source: 'env', provider: 'default', id: 'A_KEY' } },
        'a:env-in-dotenv': { type: 'api_key', provider: 'a', keyRef: { source: 'env', provider: 'default', id: 'DOTENV_KEY' } },
        'a:env-unset': { type: 'api_key', provider: 'a', keyRef: { source: 'env', provider: 'default', id: 'UNSET_KEY' } },
        'f:file-there': { type: 'token', provider: 'f', tokenRef: { source: 'file', provider: 'default', id: '~/secrets/token' } },
        'f:file-gone': { type: 'token', provider: 'f', tokenRef: { source: 'file', provider: 'default', id: '~/secrets/nothing' } },
        'x:exec': { type: 'api_key', provider: 'x', keyRef: { source: 'exec', provider: 'vault', id: 'get-key' } },
        't:none': { type: 'token', provider: 't' },
        'o:enc': { type: 'oauth', provider: 'o', oauthRef: { id: 'abc' }, expires: NOW + DAY },
        'o:enc-gone': { type: 'oauth', provider: 'o', oauthRef: { id: 'zzz' }, expires: NOW + DAY },
        's:replaced': { type: 'api_key', provider: 's', key: 'k', setup: { replacement: true, modelRef: 's/m', configJson: '{}' } },
        's:setup-other-shape': { type: 'api_key', provider: 's', key: 'k', setup: { replacement: 'x' } },
      }),
      '.openclaw/.env': 'DOTENV_KEY=v\n',
      'secrets/token': 'PLANTED',
      '.openclaw/credentials/auth-profiles/abc.json': '{"version":1,"encrypted":{}}',
    });
    const { profiles } = await openclawAuthProfiles.read(contextFor(home, { A_KEY: 'set' }));
    expect(Object.fromEntries(profiles.map((p) => [p.id, p.secret]))).toEqual({
      'a:empty': 'absent',
      'a:env-set': 'reference',
      'a:env-in-dotenv': 'reference',
      'a:env-unset': 'absent',
      'f:file-there': 'reference',
      'f:file-gone': 'absent',
      'x:exec': 'reference',
      't:none': 'absent',
      'o:enc': 'reference',
      'o:enc-gone': 'absent',
      's:replaced': 'absent',
      's:setup-other-shape': 'present',
    });
    const notes = Object.fromEntries(profiles.map((p) => [p.id, p.notes.join('; ')]));
    expect(notes['a:env-unset']).toMatch(/the environment variable UNSET_KEY it refers to is not set/);
    expect(notes['f:file-gone']).toMatch(/the file ~\/secrets\/nothing it refers to does not exist/);
    expect(notes['o:enc-gone']).toMatch(/its encrypted credential .*credentials\/auth-profiles\/zzz\.json does not exist/);
    // The encrypted profile keeps its readable expiry.
    expect(profiles.find((p) => p.id === 'o:enc')!.expiresAt).toBe(NOW + DAY);
  });

  const brokenFiles: [string, (home: string) => void, RegExp][] = [
    ['truncated JSON', () => undefined, /ends too early/],
    ['empty file', () => undefined, /empty file/],
    ['profiles is not an object', () => undefined, /profiles: must be an object/],
    ['a directory where the file should be', (home) => mkdirSync(join(home, agentStore('broken')), { recursive: true }), /a directory, not a file/],
    [
      'a symlink loop',
      (home) => {
        mkdirSync(join(home, '.openclaw/agents/broken/agent'), { recursive: true });
        symlinkSync('auth-profiles.json', join(home, agentStore('broken')));
      },
      /symbolic links/,
    ],
  ];
  const brokenContent: Record<string, string> = {
    'truncated JSON': '{"version":1,"profiles":{"a:b":{"type":"api_key","provider":"a","key":"sk-tru',
    'empty file': '  \n',
    'profiles is not an object': '{"version":1,"profiles":[1,2]}',
  };

  for (const [name, setup, message] of brokenFiles) {
    it(`${name}: an error row naming the file, other agents still read`, async () => {
      const files: Record<string, string | { json: unknown }> = {
        [agentStore('good')]: store({ 'ok:default': { type: 'api_key', provider: 'ok', key: 'k' } }),
      };
      if (brokenContent[name] !== undefined) files[agentStore('broken')] = brokenContent[name];
      const home = makeHome(files);
      setup(home);
      const { profiles, visits } = await openclawAuthProfiles.read(contextFor(home));
      const broken = profiles.find((p) => p.agent === 'broken')!;
      expect(broken.problem).toMatch(message);
      expect(broken.problem).toContain(join(home, agentStore('broken')));
      expect(broken.problem).not.toMatch(/sk-tru/);
      expect(profiles.find((p) => p.id === 'ok:default')?.problem).toBeNull();
      expect(visits.find((v) => v.path === join(home, agentStore('broken')))).toMatchObject({ ok: false });
    });
  }
});
