import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { agentStore, makeHome } from './helpers/home.js';
import { startSink, type Captured } from './helpers/http-sink.js';
import { toolForTest } from './helpers/tools.js';
import { liveConfig, resetAt, startProviders } from './live/providers.js';

// Issue 30 §3, balances: a Codex login with no credits (`credits.has_credits: false`) whose 5 h
// window is full serves nothing: told once, as a metric and a notice, and resolved when the
// window resets; a plan without credits whose windows have room says nothing. A DeepSeek balance
// (`GET /user/balance`, 5.00 USD) under `live.providers.deepseek.lowBalance` is told once. The
// fake providers answer as test/live/providers.ts cites (Codex's wham/usage, DeepSeek's docs).

const NOW = Date.parse('2026-11-24T12:00:00Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const MARKER = 'BALANCEMARKER7a1f3b';
const promtool = toolForTest('promtool');

type Alert = { status: string; labels: Record<string, string>; annotations: { summary: string; description: string } };
const alertsIn = (requests: Captured[]) => requests.flatMap((r) => (JSON.parse(r.body) as { alerts: Alert[] }).alerts);
const balanceAlerts = (requests: Captured[]) => alertsIn(requests).filter((a) => a.labels.topic === 'credits balance' || a.labels.topic === 'balance');

describe('balance alerts', () => {
  it('credits gone with a full window: one notice and metric 1, resolved at the reset; a low DeepSeek balance told once; a plan with room quiet', async () => {
    const providers = await startProviders();
    const hook = await startSink();
    const live = liveConfig(providers.url).live;
    const config = {
      live: { ...live, providers: { ...live.providers, deepseek: { baseUrl: providers.url, lowBalance: 10 } } },
      strictProfiles: true,
      channels: [{ type: 'webhook', name: 'hook', url: `${hook.url}/hook` }],
    };
    const codex = (scenario: string) => ({ type: 'oauth', provider: 'openai-codex', access: `${scenario}.${MARKER}x`, refresh: `refresh-${MARKER}`, expires: NOW + 5 * 86_400_000, accountId: 'acct-1' });
    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'openai-codex:out': codex('nocredits100'), 'openai-codex:plus': codex('nocredits'), 'deepseek:default': { type: 'api_key', provider: 'deepseek', key: `works.${MARKER}` } } } },
      '.config/authwatch/config.json5': { json: config },
    });
    const textfile = join(home, 'metrics.prom');
    const check = async (at: number) => {
      const result = await runCli(['check', '--now', iso(at), '--send', '--textfile', textfile], { home, timeoutMs: 30_000 });
      expect(result.stdout + result.stderr).not.toContain(MARKER);
      return result;
    };

    await check(NOW);
    let told = balanceAlerts(hook.requests);
    expect(told.map((a) => [a.status, a.labels.profile, a.labels.topic]).sort()).toEqual([
      ['firing', 'deepseek:default', 'balance'],
      ['firing', 'openai-codex:out', 'credits balance'],
    ]);
    const out = told.find((a) => a.labels.profile === 'openai-codex:out')!;
    expect(out.annotations.description).toContain('no credits left and a subscription window is used up: nothing serves until 16:00');
    expect(out.annotations.description).toContain('fix: add credits or raise the spend limit in the ChatGPT workspace settings');
    const low = told.find((a) => a.labels.profile === 'deepseek:default')!;
    expect(low.annotations.description).toContain('balance 5.00 USD left, under the 10.00 USD low-balance mark');
    expect(low.annotations.description).toContain('fix: top up at platform.deepseek.com');
    const metrics = readFileSync(textfile, 'utf8');
    const series = (profile: string) => `authwatch_money_exhausted{profile="${profile}",provider="openai-codex",source="openclaw",agent="main",money="credits",unit="credits"}`;
    expect(metrics).toContain(`${series('openai-codex:out')} 1`);
    expect(metrics).toContain(`${series('openai-codex:plus')} 0`);
    if (promtool) execFileSync(promtool, ['check', 'metrics'], { input: metrics });

    // The same answers 10 min later: nothing new about either balance.
    await check(NOW + 10 * MIN);
    expect(balanceAlerts(hook.requests)).toHaveLength(2);

    // The 5 h window reset at 16:00: the login serves from its plan again.
    await check(resetAt + 5 * MIN);
    told = balanceAlerts(hook.requests).slice(2);
    expect(told.map((a) => [a.status, a.labels.profile])).toEqual([['resolved', 'openai-codex:out']]);
    expect(told[0]!.annotations.description).toContain('a usage window has room again: it serves from its plan (still no credits)');
    expect(readFileSync(textfile, 'utf8')).toContain(`${series('openai-codex:out')} 0`);
  }, 90_000);
});
