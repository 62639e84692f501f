import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/schema.js';
import { evaluate } from '../src/evaluate/evaluate.js';
import { policyFromConfig, type Policy } from '../src/evaluate/policy.js';
import { remediation } from '../src/evaluate/remediation.js';
import { buildReport } from '../src/evaluate/report.js';
import { exitCodeFor, worstStatus } from '../src/evaluate/status.js';
import { makeProfile, type Profile } from '../src/sources/source.js';
import { DAY, HOUR, NOW } from './helpers/clock.js';
import { policy } from './helpers/policy.js';


function token(fields: Partial<Profile> = {}): Profile {
  return makeProfile({ id: 'anthropic:default', provider: 'anthropic', source: 'openclaw', type: 'token', ...fields });
}

describe('evaluate', () => {
  const cases: { name: string; profile: Profile; policy?: Policy; status: string; detail?: RegExp }[] = [
    { name: 'token-far-from-expiry', profile: token({ expiresAt: NOW + 10 * DAY }), status: 'ok', detail: /expires in 10d/ },
    { name: 'token-inside-warning-window', profile: token({ expiresAt: NOW + 3 * HOUR }), status: 'expiring', detail: /expires in 3h/ },
    { name: 'token-exactly-at-window-edge-is-expiring', profile: token({ expiresAt: NOW + DAY }), status: 'expiring' },
    { name: 'token-just-outside-window', profile: token({ expiresAt: NOW + DAY + 1 }), status: 'ok' },
    { name: 'token-expiring-now-is-expired', profile: token({ expiresAt: NOW }), status: 'expired' },
    { name: 'token-expired', profile: token({ expiresAt: NOW - 2 * HOUR }), status: 'expired', detail: /expired 2h ago/ },
    { name: 'static-key-no-expiry', profile: token({ type: 'api_key' }), status: 'ok', detail: /no expiry/ },
    { name: 'no-secret-is-missing', profile: token({ secret: 'absent', notes: ['no token stored'] }), status: 'missing', detail: /no token stored/ },
    { name: 'unreadable-is-error', profile: token({ problem: '/x: not valid JSON' }), status: 'error', detail: /not valid JSON/ },
    {
      name: 'refreshable-oauth-rotating-soon-is-ok',
      profile: token({ type: 'oauth', refreshable: true, expiresAt: NOW + 3 * HOUR }),
      status: 'ok',
      detail: /refreshable; access token expires in 3h/,
    },
    {
      name: 'refreshable-oauth-past-expiry-is-ok',
      profile: token({ type: 'oauth', refreshable: true, expiresAt: NOW - HOUR }),
      status: 'ok',
      detail: /renewed on next use/,
    },
    {
      name: 'strict-refreshable-judges-access-token',
      profile: token({ type: 'oauth', refreshable: true, expiresAt: NOW + 3 * HOUR }),
      policy: { ...policy, strictRefreshable: true },
      status: 'expiring',
    },
    {
      name: 'oauth-without-refresh-token-expires',
      profile: token({ type: 'oauth', refreshable: false, expiresAt: NOW - 1 }),
      status: 'expired',
    },
    {
      name: 'provider-window-overrides-global',
      profile: token({ expiresAt: NOW + 3 * DAY }),
      policy: { ...policy, providerWarnMs: { anthropic: 7 * DAY } },
      status: 'expiring',
    },
    {
      name: 'profile-window-overrides-provider',
      profile: token({ expiresAt: NOW + 3 * DAY }),
      policy: { ...policy, providerWarnMs: { anthropic: 7 * DAY }, profiles: { 'anthropic:default': { warnMs: HOUR } } },
      status: 'ok',
    },
    {
      name: 'declared-expiry-for-token-without-one',
      profile: token(),
      policy: { ...policy, profiles: { 'anthropic:default': { expiresAt: NOW + HOUR } } },
      status: 'expiring',
      detail: /expiry from config/,
    },
    {
      name: 'stored-expiry-wins-over-declared',
      profile: token({ expiresAt: NOW + 30 * DAY }),
      policy: { ...policy, profiles: { 'anthropic:default': { expiresAt: NOW + HOUR } } },
      status: 'ok',
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, () => {
      const result = evaluate(testCase.profile, NOW, testCase.policy ?? policy);
      expect(result.status).toBe(testCase.status);
      if (testCase.detail) expect(result.detail).toMatch(testCase.detail);
    });
  }

  it('moves only forward (ok → expiring → expired) as time passes', () => {
    const profile = token({ expiresAt: NOW + 2 * DAY });
    const order = ['ok', 'expiring', 'expired'];
    let last = 0;
    for (let t = NOW; t <= NOW + 3 * DAY; t += HOUR / 2) {
      const rank = order.indexOf(evaluate(profile, t, policy).status);
      expect(rank).toBeGreaterThanOrEqual(last);
      last = rank;
    }
    expect(last).toBe(2);
  });

  it('reports remaining time and expiry', () => {
    const result = evaluate(token({ expiresAt: NOW + 90 * 60_000 }), NOW, policy);
    expect(result.remainingMs).toBe(90 * 60_000);
    expect(result.expiresAt).toBe(NOW + 90 * 60_000);
  });
});

describe('policyFromConfig', () => {
  it('turns issuedAt + lifetime into a known expiry and keeps overrides apart', () => {
    const config = parseConfig(
      {
        warn: '48h',
        providers: { anthropic: { warn: '14d' } },
        profiles: { 'anthropic:manual': { issuedAt: '2026-01-10T00:00:00Z', lifetime: '365d', warn: '30d' } },
      },
      'config.json5',
    );
    const result = policyFromConfig(config);
    expect(result.warnMs).toBe(2 * DAY);
    expect(result.providerWarnMs.anthropic).toBe(14 * DAY);
    expect(result.profiles['anthropic:manual']).toEqual({ warnMs: 30 * DAY, expiresAt: Date.parse('2026-01-10T00:00:00Z') + 365 * DAY });
  });

  it('lets --warn replace the global window', () => {
    expect(policyFromConfig(parseConfig({ warn: '48h' }, 'c'), HOUR).warnMs).toBe(HOUR);
    expect(policyFromConfig(parseConfig({}, 'c')).warnMs).toBe(DAY);
  });
});

describe('report', () => {
  const ok = evaluate(token({ type: 'api_key' }), NOW, policy);

  it('worst status decides the exit code', () => {
    expect(exitCodeFor(worstStatus(['ok', 'ok']))).toBe(0);
    expect(exitCodeFor(worstStatus(['ok', 'expiring']))).toBe(2);
    expect(exitCodeFor(worstStatus(['expiring', 'expired']))).toBe(1);
    expect(exitCodeFor(worstStatus(['expiring', 'missing']))).toBe(1);
    expect(exitCodeFor(worstStatus(['expiring', 'error']))).toBe(1);
  });

  it('adds a missing row for a required provider nobody covers', () => {
    const report = buildReport([ok], [], [{ provider: 'anthropic', reason: 'r' }, { provider: 'google', reason: 'used by x' }], NOW);
    const missing = report.evaluations.filter((e) => e.status === 'missing');
    expect(missing.map((e) => e.profile.id)).toEqual(['google:(none)']);
    expect(missing[0]!.detail).toMatch(/no credential for google, used by x; fix: /);
    expect(report.exitCode).toBe(1);
  });

  it('an error row does not count as covering its provider', () => {
    const broken = evaluate(token({ problem: 'bad' }), NOW, policy);
    const report = buildReport([broken], [], [{ provider: 'anthropic', reason: 'r' }], NOW);
    expect(report.evaluations.map((e) => e.status)).toEqual(['error', 'missing']);
  });

  it('nothing found at all is a missing row naming every place looked', () => {
    const report = buildReport(
      [],
      [
        { name: 'claude-code', path: '/h/.claude/.credentials.json', found: false, ok: true, error: null },
        { name: 'env', path: null, found: true, ok: true, error: null },
      ],
      [],
      NOW,
    );
    expect(report.status).toBe('missing');
    expect(report.exitCode).toBe(1);
    expect(report.evaluations[0]!.detail).toBe('no credentials found; looked in: /h/.claude/.credentials.json, the process environment');
  });
});

describe('the fix for a provider with no credential', () => {
  it('names the official external plugin to install first where OpenClaw does not ship the provider (issue 30 §5)', () => {
    expect(remediation('groq')).toBe(
      'run `openclaw plugins install @openclaw/groq-provider`, then set GROQ_API_KEY in ~/.openclaw/.env (or log in with `openclaw models auth login --provider groq`), then restart the gateway',
    );
    expect(remediation('openrouter')).toBe('set OPENROUTER_API_KEY in ~/.openclaw/.env (or log in with `openclaw models auth login --provider openrouter`), then restart the gateway');
  });
});
