import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR } from './helpers/clock.js';
import { startDaemon } from './helpers/daemon.js';
import { agentStore, makeHome } from './helpers/home.js';
import { waitFor } from './helpers/processes.js';
import { join } from 'node:path';

// /health/auth for uptime monitors (UptimeRobot, BetterStack, Gatus, Kuma's HTTP monitor): 200
// while every provider in use is served, 503 with one line why while one is not; one path per provider.

const now = Date.now();
const openclawJson = '{ agents: { defaults: { model: { primary: "anthropic/claude-opus-4-6", fallbacks: ["openai-codex/gpt-5"] } } } }';
const store = (anthropicExpires: number) =>
  JSON.stringify({
    version: 1,
    profiles: {
      'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-PLANTEDSECRETTOKEN', expires: anthropicExpires },
      'openai-codex:me@example.com': { type: 'oauth', provider: 'openai-codex', access: 'PLANTEDACCESS', refresh: 'PLANTEDREFRESH', expires: now + 10 * DAY },
    },
  });

describe('daemon /health/auth (child process)', () => {
  it('503 with the unavailable provider and why, 200 per served provider, and 200 once the login is renewed', async () => {
    const home = makeHome({ '.openclaw/openclaw.json': openclawJson, [agentStore('main')]: store(now - HOUR), '.config/authwatch/config.json5': '{}' });
    const daemon = await startDaemon(home, '{ schedule: "0 0 1 1 *", daemon: { scrapeTtl: "1h" } }');
    const all = await daemon.get('/health/auth');
    expect(all.status).toBe(503);
    const line = await all.text();
    expect(line).toMatch(/^anthropic unavailable, needs login \(anthropic:default expired\)\n$/);
    expect(all.headers.get('cache-control')).toBe('no-store');
    expect((await daemon.get('/health/auth/anthropic')).status).toBe(503);
    const codex = await daemon.get('/health/auth/openai-codex');
    expect(codex.status).toBe(200);
    expect(await codex.text()).toMatch(/^openai-codex serving openai-codex:me@example\.com/);
    const unused = await daemon.get('/health/auth/gemini');
    expect(unused.status).toBe(503);
    expect(await unused.text()).toBe('gemini is not in use here (no route or credential for it)\n');
    expect((await daemon.get('/health/auth/')).status).toBe(404);
    expect((await daemon.get('/health/auth/Anthropic%0a')).status).toBe(404);
    expect((await fetch(`${daemon.base}/health/auth`, { method: 'HEAD' })).status).toBe(503);
    for (const answer of [line, await (await daemon.get('/health/auth/anthropic')).text()]) expect(answer).not.toContain('PLANTED');

    // A new login, and the config re-read (SIGHUP runs a check): served again.
    writeFileSync(join(home, agentStore('main')), store(now + 10 * DAY));
    daemon.child.kill('SIGHUP');
    await waitFor('the renewed login to be seen', async () => ((await daemon.get('/health/auth')).status === 200 ? true : undefined));
    expect(await (await daemon.get('/health/auth')).text()).toBe('ok: anthropic, openai-codex served\n');
  });

  it('a stale last check is 503 however good it was, and bearer auth covers the path', async () => {
    const home = makeHome({ '.openclaw/openclaw.json': openclawJson, [agentStore('main')]: store(now + 10 * DAY), '.config/authwatch/config.json5': '{}' });
    writeFileSync(join(home, 'token'), 'PLANTEDSECRET-bearer\n');
    const bearer = { authorization: 'Bearer PLANTEDSECRET-bearer' };
    const daemon = await startDaemon(
      home,
      `{ schedule: "0 0 1 1 *", daemon: { staleAfter: "1s", scrapeTtl: "1h" }, metrics: { auth: { bearerToken: { file: "${join(home, 'token')}" } } } }`,
      bearer.authorization,
    );
    expect((await daemon.get('/health/auth')).status).toBe(401);
    expect((await daemon.get('/health/auth', bearer)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const stale = await daemon.get('/health/auth/anthropic', bearer);
    expect(stale.status).toBe(503);
    expect(await stale.text()).toMatch(/^stale: the last completed check was /);
  });
});
