import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { HOUR, NOW } from './helpers/clock.js';
import { startSink } from './helpers/http-sink.js';
import { agentStore, makeHome } from './helpers/home.js';

// Issue 30: one fact, one notice, through the whole run. Agents main and work both use the main
// agent's store (OpenClaw merges main's profiles into every agent's), whose only Anthropic key
// is billing-disabled: both agents' anthropic routes are unavailable the same way. A phone
// (ntfy) gets one block naming both agents, and one resolve; Alertmanager-shaped webhooks get
// one alert per agent, resolved under the labels they fired with.

const at = (ms: number) => new Date(ms).toISOString();
type Alert = { status: string; labels: Record<string, string> };

describe('a store shared by two agents', () => {
  it('one notice naming both agents, told once and resolved once; one alert per agent for the webhook', async () => {
    const sink = await startSink();
    const home = makeHome({
      [agentStore('main')]: {
        json: {
          version: 1,
          profiles: { 'anthropic:work': { type: 'api_key', provider: 'anthropic', key: 'sk-ant-SHAREDPLANTEDSECRET' } },
          usageStats: { 'anthropic:work': { disabledUntil: NOW + 3 * HOUR, disabledReason: 'billing', lastFailureAt: NOW - HOUR } },
        },
      },
      '.openclaw/openclaw.json': { json: { agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-6' } }, list: [{ id: 'main', default: true }, { id: 'work' }] } } },
      '.config/authwatch/config.json5': `{ channels: [{ name: "phone", type: "ntfy", url: "${sink.url}", topic: "gw" }, { name: "hook", type: "webhook", url: "${sink.url}/hook" }] }`,
    });
    const check = async (now: number) => {
      const result = await runCli(['check', '--now', at(now), '--send'], { home });
      expect(result.stdout + result.stderr).not.toContain('SHAREDPLANTEDSECRET');
      return result;
    };
    const phone = () => sink.requests.filter((r) => !r.url.startsWith('/hook')).map((r) => (JSON.parse(r.body) as { message: string }).message);
    const hook = () => sink.requests.filter((r) => r.url.startsWith('/hook')).flatMap((r) => (JSON.parse(r.body) as { alerts: Alert[] }).alerts);

    const first = await check(NOW);
    expect(first.stdout).toMatch(/work/); // both agents' routes are judged
    const [message] = phone();
    expect(phone()).toHaveLength(1);
    expect(message!.match(/^MISSING: route:anthropic/gm)).toHaveLength(1);
    expect(message).toContain('MISSING: route:anthropic (anthropic, agents main, work)');
    expect(hook().map((a) => `${a.status} ${a.labels.profile} ${a.labels.agent}`)).toEqual(['firing route:anthropic main', 'firing route:anthropic work']);

    await check(NOW + 10 * 60_000);
    expect(phone()).toHaveLength(1); // told once

    await check(NOW + 3 * HOUR + 60_000); // the disable ended: both routes serve again
    const resolved = phone()[1]!;
    expect(resolved.match(/^RESOLVED: route:anthropic \(anthropic, agents main, work\)/gm)).toHaveLength(1);
    const alerts = hook();
    expect(alerts.slice(2).map((a) => `${a.status} ${a.labels.agent}`)).toEqual(['resolved main', 'resolved work']);
    expect(alerts.slice(2).map((a) => JSON.stringify(a.labels))).toEqual(alerts.slice(0, 2).map((a) => JSON.stringify(a.labels)));
  }, 60_000);
});
