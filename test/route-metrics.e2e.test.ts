import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { DAY, HOUR, NOW, NOW_ISO } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';
import { toolForTest } from './helpers/tools.js';

const promtool = toolForTest('promtool');
const key = (provider: string, secret: string) => ({ type: 'api_key', provider, key: secret });

/**
 * Two agents, each its own route owner: main's anthropic runs on a fallback (its first profile
 * disabled for billing), work's openai is unavailable (its only key in cooldown), and work also
 * sees main's anthropic profiles (the main store is every agent's) — two routes, one window.
 */
function routesHome() {
  return makeHome({
    [agentStore('main')]: {
      json: {
        version: 1,
        profiles: { 'anthropic:work': key('anthropic', 'sk-ant-PLANTEDSECRET-w'), 'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-PLANTEDSECRET-d', expires: NOW + 3 * DAY } },
        order: { anthropic: ['anthropic:work', 'anthropic:default'] },
        usageStats: { 'anthropic:work': { disabledUntil: NOW + HOUR, disabledReason: 'billing' } },
      },
    },
    [agentStore('work')]: {
      json: { version: 1, profiles: { 'openai:key': key('openai', 'sk-PLANTEDSECRET-o') }, usageStats: { 'openai:key': { cooldownUntil: NOW + 2 * HOUR, cooldownReason: 'overloaded' } } },
    },
  });
}

describe.runIf(Boolean(promtool))('route metrics', () => {
  it('one series per agent and provider, promtool accepts them, the exit code is the routes', async () => {
    const home = routesHome();
    mkdirSync(join(home, 'metrics'));
    const textfile = join(home, 'metrics', 'authwatch.prom');
    const result = await runCli(['check', '--now', NOW_ISO, '--textfile', textfile], { home });
    expect(result.code, result.stderr).toBe(1); // work's openai is unavailable
    expect(result.stdout).toMatch(/^main\/anthropic\s+on fallback anthropic:default \(anthropic:work disabled: billing until /m);
    expect(result.stdout).toMatch(/^work\/openai\s+unavailable, recovers .*\(openai:key cooldown: overloaded until /m);
    const text = readFileSync(textfile, 'utf8');
    const lint = spawnSync(promtool!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(lint.status, lint.stdout + lint.stderr).toBe(0);
    const value = (series: string) => text.split('\n').find((line) => line.startsWith(`${series} `))?.split(' ')[1];
    expect(value('authwatch_provider_status{agent="main",provider="anthropic",status="fallback"}')).toBe('1');
    expect(value('authwatch_provider_status{agent="main",provider="anthropic",status="serving"}')).toBe('0');
    expect(value('authwatch_provider_status{agent="work",provider="openai",status="unavailable"}')).toBe('1');
    expect(value('authwatch_provider_status{agent="work",provider="anthropic",status="fallback"}')).toBe('1');
    expect(value('authwatch_provider_on_fallback{agent="main",provider="anthropic"}')).toBe('1');
    expect(value('authwatch_provider_on_fallback{agent="work",provider="openai"}')).toBe('0');
    expect(value('authwatch_provider_recovers_timestamp_seconds{agent="work",provider="openai"}')).toBe(String((NOW + 2 * HOUR) / 1000));
    expect(value('authwatch_provider_expiry_timestamp_seconds{agent="main",provider="anthropic"}')).toBe(String((NOW + 3 * DAY) / 1000));
    // main's window once, though both agents' anthropic routes skip it.
    expect(text.match(/^authwatch_credential_unusable_until_timestamp_seconds\{/gm)).toHaveLength(2);
    expect(value('authwatch_credential_unusable_until_timestamp_seconds{profile="anthropic:work",provider="anthropic",source="openclaw",agent="main",reason="billing"}')).toBe(String((NOW + HOUR) / 1000));
    expect(value('authwatch_credential_unusable_until_timestamp_seconds{profile="openai:key",provider="openai",source="openclaw",agent="work",reason="overloaded"}')).toBe(String((NOW + 2 * HOUR) / 1000));
    expect(text).not.toContain('PLANTEDSECRET');
  });
});
