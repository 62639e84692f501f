import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { HOUR, NOW } from './helpers/clock.js';
import { startSink } from './helpers/http-sink.js';
import { toolForTest } from './helpers/tools.js';
import { liveConfig, resetAt, startProviders } from './live/providers.js';
import { buildHome, findOpenclaw, parseOpenclawAnswer, runOpenclawCheck } from './parity/harness.js';
import type { Home } from './parity/homes.js';

// Issue 30 §1, end to end: a state DB holding billing disables exactly as OpenClaw 2026.9.6
// stores them (`authProfiles.state` usageStats, written by the parity home builder), two Claude
// logins whose usage endpoint (the fake provider, answering as Anthropic documents
// /api/oauth/usage) says 40 % and 100 %. The first works but is skipped; the second's block is
// confirmed. The route stays unavailable (exit 1): the words, the fix, the metric and one
// notice are what is added.

const MIN = 60_000;
const at = (ms: number) => new Date(ms).toISOString();
const MARKER = 'BLOCKEDMARKER5e8d1c';
const oauth = (scenario: string) => ({ type: 'oauth', provider: 'anthropic', access: `${scenario}.${MARKER}x`, refresh: `refresh-${MARKER}`, expires: NOW + 30 * 86_400_000 });
const promtool = toolForTest('promtool');
const root = mkdtempSync(join(tmpdir(), 'authwatch-blocked-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const disabled = (lastFailureAt: number) => ({ disabledUntil: NOW + 3 * HOUR, disabledReason: 'billing', lastFailureAt, errorCount: 1, failureCounts: { billing: 1 } });

function home(name: string, authwatchConfig: object): Home {
  return {
    name,
    kind: 'rows',
    covers: 'billing disables that outlive a top-up, held against the usage endpoint',
    config: { agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-6' } } } },
    rows: () => ({
      store: { version: 1, profiles: { 'anthropic:work': oauth('works'), 'anthropic:full': oauth('quota100') } },
      state: { version: 1, usageStats: { 'anthropic:work': disabled(NOW - HOUR), 'anthropic:full': disabled(NOW - HOUR) } },
    }),
    files: () => ({ '.config/authwatch/config.json5': { json: authwatchConfig } }),
  };
}

const series = (profile: string) => `authwatch_credential_unusable_works{profile="${profile}",provider="anthropic",source="openclaw-db",agent="",reason="billing"}`;
const value = (text: string, name: string) => text.split('\n').find((line) => line.startsWith(`${name} `))?.split(' ')[1];
type Alert = { status: string; labels: Record<string, string>; annotations: Record<string, string> };
const skippedAlerts = (requests: { body: string }[]) => requests.flatMap((r) => (JSON.parse(r.body) as { alerts: Alert[] }).alerts).filter((a) => a.labels.profile === 'skipped:anthropic:work');

describe('blocked, but the credential works (issue 30 §1)', () => {
  it('says it works while the gateway skips it, with the fix, metric and one notice, resolved when the window ends; confirms the full one; exit code stays the route\'s', async () => {
    const providers = await startProviders();
    const sink = await startSink();
    const built = await buildHome(home('works', { ...liveConfig(providers.url), channels: [{ name: 'hook', type: 'webhook', url: `${sink.url}/hook` }] }), '', NOW, root);
    mkdirSync(join(built.dir, 'metrics'));
    const textfile = join(built.dir, 'metrics', 'authwatch.prom');
    const check = async (now: number, args: string[]) => {
      const result = await runCli(['check', '--now', at(now), ...args], { home: built.dir, env: built.env, timeoutMs: 60_000 });
      expect(result.stdout + result.stderr).not.toContain(MARKER);
      return result;
    };

    const first = await check(NOW, ['--send', '--textfile', textfile]);
    expect(first.code, first.stderr).toBe(1); // every anthropic profile is disabled: the gateway has nothing
    expect(first.stdout).toMatch(/anthropic:work works, but the gateway skips it until 2026-11-24 15:00 \+00:00: billing disabled set 2026-11-24 11:00 \+00:00; live check 2026-11-24 12:00 \+00:00: usage now 40 % \(5h window\)/);
    expect(first.stdout).toMatch(/anthropic:full disabled: billing until 2026-11-24 15:00 \+00:00; block confirmed by the live check 2026-11-24 12:00 \+00:00: usage 100 % \(5h window\) until 2026-11-24 16:00/);
    expect(first.stdout).toMatch(/fix: wait: OpenClaw tries anthropic:work again after 2026-11-24 15:00 \+00:00 \(a gateway restart does not clear the stored window\)/);
    const metrics = readFileSync(textfile, 'utf8');
    expect(value(metrics, series('anthropic:work'))).toBe('1');
    expect(value(metrics, series('anthropic:full'))).toBe('0');
    if (promtool) execFileSync(promtool, ['check', 'metrics'], { input: metrics });
    expect(skippedAlerts(sink.requests)).toMatchObject([{ status: 'firing', labels: { provider: 'anthropic', status: 'expiring' } }]);
    expect(JSON.stringify(skippedAlerts(sink.requests)[0])).toMatch(/anthropic:work works, but the gateway skips it until .*fix: wait: OpenClaw tries anthropic:work again/);

    // Told once: the next run, the same window and evidence, sends nothing new about it.
    const second = await check(NOW + 10 * MIN, ['--send']);
    expect(second.code, second.stderr).toBe(1);
    expect(skippedAlerts(sink.requests)).toHaveLength(1);

    const json = JSON.parse((await check(NOW + 11 * MIN, ['--json', '--no-alerts'])).stdout);
    expect(json.exitCode).toBe(1);
    const route = json.providers.find((p: { provider: string }) => p.provider === 'anthropic');
    expect(route).toMatchObject({ verdict: 'unavailable', status: 'missing', fix: expect.stringMatching(/^wait: OpenClaw tries anthropic:work again after /) });
    const byProfile = Object.fromEntries(route.unusable.map((u: { profile: string }) => [u.profile, u]));
    expect(byProfile['anthropic:work']).toMatchObject({ kind: 'disabled', reason: 'billing', since: at(NOW - HOUR), evidence: { verdict: 'works', says: 'usage now 40 % (5h window)' } });
    expect(byProfile['anthropic:full']).toMatchObject({ evidence: { verdict: 'confirmed', says: `usage 100 % (5h window) until 2026-11-24 16:00 +00:00` } });
    expect(resetAt).toBe(NOW + 4 * HOUR);

    // The window ends: the route serves again and the notice is resolved.
    const after = await check(NOW + 3 * HOUR + MIN, ['--send']);
    expect(after.stdout).not.toMatch(/skips it/);
    expect(skippedAlerts(sink.requests).map((a) => a.status)).toEqual(['firing', 'resolved']);
  }, 120_000);

  it("a model-scoped subscription block weighs only that model's bucket (Codex additional_rate_limits), kept across runs; a full bucket never fails the credential", async () => {
    const providers = await startProviders();
    const codex = (scenario: string) => ({ type: 'oauth', provider: 'openai', access: `${scenario}.${MARKER}x`, refresh: `refresh-${MARKER}`, expires: NOW + 5 * 86_400_000, accountId: 'acct-1' });
    // OpenClaw's `buildBlockedProfileUsageStats` (usage-*.mjs): a model's block, from the wham probe.
    const sparkBlock = { blockedUntil: NOW + 3 * HOUR, blockedReason: 'subscription_limit', blockedSource: 'wham', blockedModel: 'gpt-5.3-codex-spark', blockedScope: 'model', lastFailureAt: NOW - HOUR, failureCounts: { rate_limit: 1 } };
    const built = await buildHome(
      {
        name: 'spark',
        kind: 'rows',
        covers: 'a Codex model bucket block (blockedScope model)',
        config: { agents: { defaults: { model: { primary: 'openai/gpt-5.3-codex-spark' } } } },
        rows: () => ({
          store: { version: 1, profiles: { 'openai:full': codex('spark100'), 'openai:free': codex('spark5') } },
          state: { version: 1, usageStats: { 'openai:full': sparkBlock, 'openai:free': sparkBlock } },
        }),
        files: () => ({ '.config/authwatch/config.json5': { json: liveConfig(providers.url) } }),
      },
      '',
      NOW,
      root,
    );
    for (const [now, asked] of [[NOW, 2], [NOW + MIN, 2]] as const) {
      const result = await runCli(['check', '--now', at(now), '--json', '--no-alerts'], { home: built.dir, env: built.env, timeoutMs: 60_000 });
      expect(result.stdout + result.stderr).not.toContain(MARKER);
      expect(providers.seen.filter((s) => s.path === '/backend-api/wham/usage')).toHaveLength(asked); // the second run reuses the kept answers
      const json = JSON.parse(result.stdout);
      const route = json.providers.find((p: { provider: string }) => p.provider === 'openai');
      expect(route.verdict).toBe('unavailable');
      const byProfile = Object.fromEntries(route.unusable.map((u: { profile: string }) => [u.profile, u]));
      expect(byProfile['openai:full']).toMatchObject({ kind: 'blocked', reason: 'subscription_limit', model: 'gpt-5.3-codex-spark', evidence: { verdict: 'confirmed', says: expect.stringMatching(/^usage 100 % \(GPT-5\.3-Codex-Spark primary window\)/) } });
      expect(byProfile['openai:free']).toMatchObject({ evidence: { verdict: 'works', says: 'usage now 20 % (primary window)' } });
      // The Spark bucket at 100 % limits Spark only: the login itself is not out of quota.
      const full = json.profiles.find((p: { id: string }) => p.id === 'openai:full');
      expect(full).toMatchObject({ status: 'ok', live: { verdict: 'works', windows: expect.arrayContaining([{ name: 'GPT-5.3-Codex-Spark primary', utilization: 1, resetsAt: at(resetAt), model: 'GPT-5.3-Codex-Spark' }]) } });
    }
  }, 120_000);

  it('a live answer older than the block proves nothing: no verdict, metric 0, no notice', async () => {
    const providers = await startProviders();
    const sink = await startSink();
    // The answer is kept for a day: the run after the failure reuses the one from before it.
    const built = await buildHome(home('stale', { ...liveConfig(providers.url, { quotaInterval: '24h' }), channels: [{ name: 'hook', type: 'webhook', url: `${sink.url}/hook` }] }), '', NOW, root);
    const textfile = join(built.dir, 'authwatch.prom');
    const run = (now: number) => runCli(['check', '--now', at(now), '--send', '--textfile', textfile], { home: built.dir, env: built.env, timeoutMs: 60_000 });
    await run(NOW - 90 * MIN);
    const asked = providers.seen.length;
    const later = await run(NOW);
    expect(providers.seen.length).toBe(asked); // nothing asked again: the kept answer is from 10:30, the failure from 11:00
    expect(later.code, later.stderr).toBe(1);
    expect(later.stdout).not.toMatch(/works, but the gateway skips it|block confirmed/);
    expect(value(readFileSync(textfile, 'utf8'), series('anthropic:work'))).toBe('0');
    expect(skippedAlerts(sink.requests)).toHaveLength(0);
  }, 120_000);
});

const openclaw = findOpenclaw();

describe.runIf(openclaw !== null)('blocked, but it works — with the real OpenClaw CLI', () => {
  it('OpenClaw 2026.9.6 skips a billing-disabled DeepSeek key; the balance endpoint says it has credit: authwatch says works-but-skipped, exit 1 like OpenClaw', async () => {
    const providers = await startProviders();
    const now = Date.now(); // the real CLI reads the real clock
    const key = `works.${MARKER}-${'k'.repeat(24)}`;
    const deepseek: Home = {
      name: 'deepseek-billing',
      kind: 'rows',
      covers: 'a billing disable that outlives a top-up',
      config: { agents: { defaults: { model: { primary: 'deepseek/deepseek-chat' } } } },
      rows: (t) => ({
        store: { version: 1, profiles: { 'deepseek:default': { type: 'api_key', provider: 'deepseek', key } } },
        state: { version: 1, usageStats: { 'deepseek:default': { disabledUntil: t + 3 * HOUR, disabledReason: 'billing', lastFailureAt: t - HOUR, errorCount: 1, failureCounts: { billing: 1 } } } },
      }),
      files: () => ({ '.config/authwatch/config.json5': { json: liveConfig(providers.url) } }),
    };
    const built = await buildHome(deepseek, openclaw!, now, root);
    const status = parseOpenclawAnswer(await runOpenclawCheck(openclaw!, deepseek, built));
    expect(status.unusable).toContain('deepseek:default disabled billing');

    const result = await runCli(['check', '--json', '--no-alerts'], { home: built.dir, env: built.env, timeoutMs: 60_000 });
    expect(result.stdout + result.stderr).not.toContain(MARKER);
    expect(providers.seen.map((s) => s.path)).toEqual(['/user/balance']);
    const json = JSON.parse(result.stdout);
    expect(json.exitCode).toBe(status.exit);
    const route = json.providers.find((p: { provider: string }) => p.provider === 'deepseek');
    expect(route).toMatchObject({ verdict: 'unavailable', unusable: [{ profile: 'deepseek:default', kind: 'disabled', reason: 'billing', evidence: { verdict: 'works', says: 'credit available' } }], fix: expect.stringMatching(/^wait: OpenClaw tries deepseek:default again after /) });
  }, 300_000);
});
