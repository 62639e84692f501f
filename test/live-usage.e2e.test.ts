import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { agentStore, makeHome } from './helpers/home.js';
import { startSink, type Captured } from './helpers/http-sink.js';
import { liveConfig, resetAt, startProviders } from './live/providers.js';
import { toolForTest } from './helpers/tools.js';

const promtool = toolForTest('promtool');

// Usage windows through the real CLI, its alert state and a real webhook receiver: a fake
// Anthropic usage endpoint answering as documented (provider-health.md §3, OpenClaw's
// provider-usage.fetch.claude) whose figures the test turns between checks.

const NOW = Date.parse('2026-11-24T12:00:00Z'); // the 5 h window resets 16:00: it began 11:00
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const MARKER = 'USAGEMARKER5d2c9e';

type Alert = { status: string; labels: Record<string, string>; annotations: { summary: string; description: string } };
const alertsIn = (requests: Captured[]) => requests.flatMap((r) => (JSON.parse(r.body) as { alerts: Alert[] }).alerts);

async function setup(extra: Record<string, unknown> = {}) {
  const providers = await startProviders();
  const hook = await startSink();
  const config = { ...liveConfig(providers.url, extra), channels: [{ type: 'webhook', name: 'hook', url: `${hook.url}/hook` }] };
  const home = makeHome({
    [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:me': { type: 'oauth', provider: 'anthropic', access: `usage.${MARKER}`, refresh: `refresh-${MARKER}`, expires: NOW + 30 * 86_400_000 } } } },
    '.config/authwatch/config.json5': { json: config },
  });
  const check = async (at: number) => {
    const result = await runCli(['check', '--now', iso(at), '--send', '--textfile', join(home, 'metrics.prom')], { home, timeoutMs: 30_000 });
    expect(result.stderr).not.toContain(MARKER);
    expect(result.stdout).not.toContain(MARKER);
    return result;
  };
  return { providers, hook, home, check };
}

describe('usage windows: thresholds, pace and resets, told once', () => {
  it('each threshold once per window, the pace once, and the reset once, through the alert state', async () => {
    const { providers, hook, home, check } = await setup();
    providers.usage.fiveHour = 30; // 1 h of 5 gone, 30 % used: on course to run out 14:20, before the 16:00 reset
    await check(NOW);
    let alerts = alertsIn(hook.requests);
    expect(alerts.map((a) => [a.status, a.labels.alertname, a.labels.topic])).toEqual([['firing', 'AuthwatchUsage', '5h pace']]);
    expect(alerts[0]!.annotations.summary).toBe('USAGE: anthropic:me 5h pace (anthropic, agent main)');
    expect(alerts[0]!.annotations.description).toContain('at this rate the 5h window is used up 14:20, 2 h before it resets (30 % used, resets 16:00)');
    // The pace as metrics: 30 % used in 20 % of the window is 1.5 × the even pace; out at 14:20.
    const text = readFileSync(join(home, 'metrics.prom'), 'utf8');
    const labels = 'profile="anthropic:me",provider="anthropic",source="openclaw",agent="main"';
    expect(text).toContain(`authwatch_quota_pace_ratio{${labels},window="5h"} 1.5`);
    expect(text).toContain(`authwatch_quota_exhausted_projected_timestamp_seconds{${labels},window="5h"} ${Date.parse('2026-11-24T14:20:00Z') / 1000}`);
    // The 7-day window (12 %, resets Saturday 10:00: 74 h of 168 gone): slower than even, out after its reset.
    expect(text).toContain(`authwatch_quota_pace_ratio{${labels},window="7d"} 0.2724`);
    if (promtool) execFileSync(promtool, ['check', 'metrics'], { input: text });

    providers.usage.fiveHour = 78;
    await check(NOW + 10 * MIN);
    alerts = alertsIn(hook.requests.slice(1));
    expect(alerts.map((a) => [a.status, a.labels.topic])).toEqual([['firing', '5h window']]);
    expect(alerts[0]!.annotations.description).toContain('5h window 78 % used (past the 75 % threshold), resets 16:00');

    providers.usage.fiveHour = 80;
    const quiet = await check(NOW + 20 * MIN); // the same window, still past 75 %: nothing new
    expect(hook.requests).toHaveLength(2);
    expect(quiet.code).toBe(0); // under live.quotaWarn (90 %): the credential itself is fine

    providers.usage.fiveHour = 93;
    const high = await check(NOW + 30 * MIN);
    expect(high.code).toBe(2);
    expect(high.stdout).toContain('at this rate the 5h window is used up');
    alerts = alertsIn(hook.requests.slice(2));
    // The credential turns expiring (exit 2) because the window passes 90 %: one fact, told once, as the window's (issue 30).
    expect(alerts.map((a) => [a.labels.alertname, a.labels.topic ?? '-'])).toEqual([['AuthwatchUsage', '5h window']]);
    expect(alerts.find((a) => a.labels.topic)!.annotations.description).toContain('past the 90 % threshold');

    await check(NOW + 40 * MIN);
    expect(hook.requests).toHaveLength(3);

    // The window resets: the new one answers 4 % until 21:00.
    providers.usage.fiveHour = 4;
    providers.usage.fiveHourResetsAt = resetAt + 5 * 60 * MIN;
    await check(resetAt + 2 * MIN);
    alerts = alertsIn(hook.requests.slice(3));
    expect(alerts.map((a) => [a.status, a.labels.alertname, a.labels.topic ?? '-']).sort()).toEqual([
      ['resolved', 'AuthwatchUsage', '5h pace'],
      ['resolved', 'AuthwatchUsage', '5h window'],
    ]);
    expect(alerts.find((a) => a.labels.topic === '5h window')!.annotations.description).toContain('5h window reset (now 4 % used)');
    await check(resetAt + 10 * MIN);
    expect(hook.requests).toHaveLength(4);
    // The alert state names no secret; the metrics carry the pace.
    expect(readFileSync(join(home, '.local/state/authwatch/state.json'), 'utf8')).not.toContain(MARKER);
  }, 90_000);

  it('the thresholds are configurable', async () => {
    const { providers, hook, check } = await setup({ quotaThresholds: [50] });
    providers.usage.fiveHour = 15; // 1 h in, 15 %: an even pace, under 50 %
    await check(NOW);
    expect(hook.requests).toHaveLength(0);
    providers.usage.fiveHour = 55;
    await check(NOW + 90 * MIN);
    expect(alertsIn(hook.requests).map((a) => a.annotations.description.split('\n')[0])).toEqual(['5h window 55 % used (past the 50 % threshold), resets 16:00']);
  }, 60_000);
});

describe('money: extra usage, balances, credits, a key that lapses', () => {
  it('extra usage: told once when money starts being spent, near the monthly limit, and when a new month starts', async () => {
    const { providers, hook, home, check } = await setup();
    providers.usage.fiveHour = 10;
    // Enabled, nothing spent yet (OpenClaw's provider-usage.fetch.claude: cents of `currency`).
    providers.usage.extraUsage = { is_enabled: true, monthly_limit: 5000, used_credits: 0, utilization: 0, currency: 'USD' };
    await check(NOW);
    expect(hook.requests).toHaveLength(0);
    let text = readFileSync(join(home, 'metrics.prom'), 'utf8');
    const labels = 'profile="anthropic:me",provider="anthropic",source="openclaw",agent="main"';
    expect(text).toContain(`authwatch_money_spent{${labels},money="extra usage",unit="USD",period="month"} 0`);

    providers.usage.extraUsage = { is_enabled: true, monthly_limit: 5000, used_credits: 320, utilization: 6.4, currency: 'USD' };
    await check(NOW + 10 * MIN);
    let alerts = alertsIn(hook.requests);
    expect(alerts.map((a) => [a.status, a.labels.topic])).toEqual([['firing', 'extra usage spending']]);
    expect(alerts[0]!.annotations.description).toContain('extra usage is being billed: 3.20 USD of 50.00 USD this month');
    text = readFileSync(join(home, 'metrics.prom'), 'utf8');
    expect(text).toContain(`authwatch_money_spent{${labels},money="extra usage",unit="USD",period="month"} 3.2`);
    expect(text).toContain(`authwatch_money_limit{${labels},money="extra usage",unit="USD",period="month"} 50`);
    if (promtool) execFileSync(promtool, ['check', 'metrics'], { input: text });

    providers.usage.extraUsage = { is_enabled: true, monthly_limit: 5000, used_credits: 900, utilization: 18, currency: 'USD' };
    await check(NOW + 20 * MIN); // spending more: told already
    expect(hook.requests).toHaveLength(1);

    providers.usage.extraUsage = { is_enabled: true, monthly_limit: 5000, used_credits: 4000, utilization: 80, currency: 'USD' };
    await check(NOW + 30 * MIN);
    alerts = alertsIn(hook.requests.slice(1));
    expect(alerts.map((a) => [a.status, a.labels.topic])).toEqual([['firing', 'extra usage window']]);
    expect(alerts[0]!.annotations.description).toContain('extra usage window 80 % used (past the 75 % threshold)');

    // A new month: nothing spent.
    providers.usage.extraUsage = { is_enabled: true, monthly_limit: 5000, used_credits: 0, utilization: 0, currency: 'USD' };
    await check(NOW + 40 * MIN);
    alerts = alertsIn(hook.requests.slice(2));
    expect(alerts.map((a) => [a.status, a.labels.topic]).sort()).toEqual([['resolved', 'extra usage spending'], ['resolved', 'extra usage window']]);
    expect(alerts.find((a) => a.labels.topic === 'extra usage spending')!.annotations.description).toContain('extra usage back to 0.00 USD (a new month)');
    await check(NOW + 50 * MIN);
    expect(hook.requests).toHaveLength(3);
  }, 90_000);

  it('an OpenRouter key lapsing in 5 h is expiring, not ok; one past its expires_at is expired; the key spend, DeepSeek balance and Codex credits are metrics', async () => {
    const providers = await startProviders();
    const key = (scenario: string, n: string) => ({ type: 'api_key', provider: 'openrouter', key: `${scenario}.${n}${MARKER}` });
    const home = makeHome({
      [agentStore('main')]: {
        json: {
          version: 1,
          profiles: {
            'openrouter:spending': key('spending', '1'),
            'openrouter:lapsing': key('lapsing', '2'),
            'openrouter:lapsed': key('lapsed', '3'),
            'deepseek:default': { type: 'api_key', provider: 'deepseek', key: `works.4${MARKER}` },
            'openai-codex:me': { type: 'oauth', provider: 'openai-codex', access: `works.5${MARKER}`, refresh: `refresh-${MARKER}`, expires: NOW + 30 * 86_400_000 },
          },
        },
      },
      '.config/authwatch/config.json5': { json: { ...liveConfig(providers.url), strictProfiles: true } },
    });
    const textfile = join(home, 'metrics.prom');
    const result = await runCli(['check', '--json', '--now', iso(NOW), '--textfile', textfile], { home, timeoutMs: 30_000 });
    expect(result.stdout).not.toContain(MARKER);
    const json = JSON.parse(result.stdout) as { exitCode: number; profiles: { id: string; status: string; detail: string; expiresAt: string | null; live?: { expiresAt: string | null; windows: { name: string; resetsAt: string | null }[] } }[] };
    const byId = Object.fromEntries(json.profiles.map((p) => [p.id, p]));
    expect(byId['openrouter:spending']!.status).toBe('ok');
    expect(byId['openrouter:lapsing']).toMatchObject({ status: 'expiring', expiresAt: '2026-11-24T17:00:00.000Z' });
    expect(byId['openrouter:lapsing']!.detail).toContain('expires in 5h');
    expect(byId['openrouter:lapsing']!.detail).toContain('the provider reports its expiry');
    expect(byId['openrouter:lapsed']!.status).toBe('expired');
    expect(json.exitCode).toBe(1);
    // limit_reset "monthly": the key limit resets at the next month's first midnight UTC (OpenRouter's API reference).
    expect(byId['openrouter:spending']!.live!.windows).toEqual([{ name: 'key limit', utilization: 0.255, resetsAt: '2026-12-01T00:00:00.000Z' }]);
    const text = readFileSync(textfile, 'utf8');
    const labels = (profile: string, provider: string) => `profile="${profile}",provider="${provider}",source="openclaw",agent="main"`;
    expect(text).toContain(`authwatch_money_spent{${labels('openrouter:spending', 'openrouter')},money="key",unit="USD",period="month"} 25.5`);
    expect(text).toContain(`authwatch_money_limit{${labels('openrouter:spending', 'openrouter')},money="key",unit="USD",period="month"} 100`);
    expect(text).toContain(`authwatch_money_left{${labels('openrouter:spending', 'openrouter')},money="key",unit="USD"} 74.5`);
    expect(text).toContain(`authwatch_money_spent_today{${labels('openrouter:spending', 'openrouter')},money="key",unit="USD"} 4.25`);
    expect(text).toContain(`authwatch_money_left{${labels('deepseek:default', 'deepseek')},money="balance",unit="USD"} 5`);
    expect(text).toContain(`authwatch_money_left{${labels('openai-codex:me', 'openai-codex')},money="credits",unit="credits"} 0`);
    expect(text).toContain(`authwatch_credential_expiry_timestamp_seconds{${labels('openrouter:lapsing', 'openrouter')}} ${Date.parse('2026-11-24T17:00:00Z') / 1000}`);
    if (promtool) execFileSync(promtool, ['check', 'metrics'], { input: text });
  }, 60_000);

  it('an OpenRouter management key adds the account credit to every OpenRouter key, never showing the key', async () => {
    const providers = await startProviders();
    const config = { live: { ...liveConfig(providers.url).live, providers: { ...liveConfig(providers.url).live.providers, openrouter: { baseUrl: providers.url, managementKey: { env: 'OPENROUTER_MANAGEMENT_KEY' } } } } };
    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'openrouter:spending': { type: 'api_key', provider: 'openrouter', key: `spending.1${MARKER}` } } } },
      '.config/authwatch/config.json5': { json: config },
    });
    const textfile = join(home, 'metrics.prom');
    const env = { OPENROUTER_MANAGEMENT_KEY: `mgmt.${MARKER}` };
    const first = await runCli(['check', '--json', '--now', iso(NOW), '--textfile', textfile], { home, env, timeoutMs: 30_000 });
    for (const text of [first.stdout, first.stderr, readFileSync(textfile, 'utf8'), readFileSync(join(home, '.local/state/authwatch/live.json'), 'utf8')]) expect(text).not.toContain(MARKER);
    const text = readFileSync(textfile, 'utf8');
    const labels = 'profile="openrouter:spending",provider="openrouter",source="openclaw",agent="main"';
    expect(text).toContain(`authwatch_money_left{${labels},money="account",unit="USD"} 74.75`);
    expect(text).toContain(`authwatch_money_limit{${labels},money="account",unit="USD",period="total"} 100.5`);
    expect(providers.seen.filter((s) => s.path === '/api/v1/credits')).toHaveLength(1);
    // Kept like any answer: the next run inside the quota interval asks nobody.
    await runCli(['check', '--now', iso(NOW + MIN), '--textfile', textfile], { home, env, timeoutMs: 30_000 });
    expect(providers.seen).toHaveLength(2);
    expect(readFileSync(textfile, 'utf8')).toContain(`authwatch_money_left{${labels},money="account",unit="USD"} 74.75`);
    // The key's variable unset: exit 3 naming the field.
    const unset = await runCli(['check', '--now', iso(NOW + 2 * MIN)], { home, timeoutMs: 30_000 });
    expect(unset.code).toBe(3);
    expect(unset.stderr).toContain('live.providers.openrouter.managementKey');
  }, 60_000);
});
