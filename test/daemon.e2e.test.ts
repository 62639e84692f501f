import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { DAY, HOUR } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';
import { configPath, startDaemon } from './helpers/daemon.js';
import { waitFor } from './helpers/processes.js';
import { toolForTest } from './helpers/tools.js';

const promtool = toolForTest('promtool');
const now = Date.now();
const store = (profiles: Record<string, unknown>) => JSON.stringify({ version: 1, profiles });
function homeWith(profiles: Record<string, unknown>) {
  return makeHome({ [agentStore('main')]: store(profiles), '.config/authwatch/config.json5': '{}' });
}

const expiringToken = { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-PLANTEDSECRET', expires: now + 3 * HOUR };

describe('authwatch daemon (child process)', () => {
  it('serves /metrics (Prometheus and OpenMetrics), /status like check --json, and /healthz', async () => {
    const home = homeWith({ 'anthropic:default': expiringToken, 'openrouter:default': { type: 'api_key', provider: 'openrouter', key: 'PLANTEDSECRET' } });
    const daemon = await startDaemon(home);

    const metrics = await daemon.get('/metrics');
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await metrics.text();
    expect(text).toContain('authwatch_credential_status{profile="anthropic:default",provider="anthropic",source="openclaw",agent="main",status="expiring"} 1');
    expect(text).toMatch(/^process_cpu_seconds_total \S+$/m);
    expect(text).toMatch(/^authwatch_source_errors_total\{source="openclaw"\} 0$/m);
    if (promtool) execFileSync(promtool, ['check', 'metrics'], { input: text });

    const openMetrics = await daemon.get('/metrics', { accept: 'application/openmetrics-text; version=1.0.0' });
    expect(openMetrics.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    expect((await openMetrics.text()).trimEnd().endsWith('# EOF')).toBe(true);
    // Asking for OpenMetrics must not change the Prometheus rendering (prom-client renames counters in place).
    expect(await (await daemon.get('/metrics')).text()).toMatch(/^# TYPE authwatch_source_errors_total counter$/m);

    const status = (await (await daemon.get('/status')).json()) as any;
    const check = JSON.parse((await runCli(['check', '--json'], { home })).stdout);
    expect(status.profiles.map((p: any) => [p.id, p.status])).toEqual(check.profiles.map((p: any) => [p.id, p.status]));
    expect(Object.keys(status)).toEqual(Object.keys(check));

    const health = await daemon.get('/healthz');
    expect(health.status).toBe(200);
    expect(await health.text()).toMatch(/^ok: last check/);
    expect(text + JSON.stringify(status) + daemon.output.stderr).not.toContain('PLANTEDSECRET');
  });

  it('a credential file changed on disk shows in a scrape soon after (scrapes start the next check); a removed profile leaves no series', async () => {
    const home = homeWith({ 'anthropic:default': expiringToken, 'old:default': { type: 'api_key', provider: 'old', key: 'k' } });
    const daemon = await startDaemon(home, '{ schedule: "0 0 1 1 *", daemon: { scrapeTtl: "1ms" } }');
    expect(await (await daemon.get('/metrics')).text()).toContain('status="expiring"} 1');
    writeFileSync(join(home, agentStore('main')), store({ 'anthropic:default': { ...expiringToken, expires: now + 30 * DAY } }));
    // A scrape answers from the last check and starts the next one: a later scrape sees the change.
    const changed = 'authwatch_credential_status{profile="anthropic:default",provider="anthropic",source="openclaw",agent="main",status="ok"} 1';
    const text = await waitFor('the change in /metrics', async () => {
      const body = await (await daemon.get('/metrics')).text();
      return body.includes(changed) ? body : undefined;
    }, 5_000);
    expect(text).not.toContain('old:default');
  });

  it('keeps serving when a source breaks, and says so in authwatch_source_up', async () => {
    const home = homeWith({ 'anthropic:default': expiringToken });
    writeFileSync(join(home, '.openclaw/.env'), 'OPENROUTER_API_KEY=x');
    const daemon = await startDaemon(home, '{ schedule: "* * * * * *" }');
    writeFileSync(join(home, agentStore('main')), '{"version":1,"profiles":{');
    await waitFor('the next scheduled check', async () => ((await (await daemon.get('/metrics')).text()).includes('authwatch_source_up{source="openclaw"} 0') ? true : undefined));
    const text = await (await daemon.get('/metrics')).text();
    expect(text).toContain('authwatch_source_up{source="env"} 1');
    expect(text).toMatch(/authwatch_source_errors_total\{source="openclaw"\} [1-9]/);
    expect(text).toContain('authwatch_credential_status{profile="openclaw:main",provider="unknown",source="openclaw",agent="main",status="error"} 1');
    expect((await daemon.get('/healthz')).status).toBe(200);
  });

  it('SIGHUP re-reads the config; an invalid one is logged and the old one kept; SIGTERM exits 0', async () => {
    const home = homeWith({ 'anthropic:default': expiringToken });
    const daemon = await startDaemon(home);
    writeFileSync(configPath(home), "{ schedule: '0 0 1 1 *', require: ['mistral'] }");
    daemon.child.kill('SIGHUP');
    // The reload runs a check; the answers show it once it is done.
    await waitFor('the reloaded config in /status', async () => (((await (await daemon.get('/status')).json()) as any).profiles.some((p: any) => p.id === 'mistral:(none)') ? true : undefined));
    expect(daemon.output.stderr).toContain('"config reloaded"');

    writeFileSync(configPath(home), "{ schedule: 'every full moon' }");
    daemon.child.kill('SIGHUP');
    await waitFor('the failed reload', () => (daemon.output.stderr.includes('"config reload failed; keeping the previous config"') ? true : undefined));
    expect(daemon.output.stderr).toContain('schedule: expected a cron expression');
    expect(((await (await daemon.get('/status')).json()) as any).profiles.map((p: any) => p.id)).toContain('mistral:(none)');

    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    expect(daemon.output.stderr).toContain('"shutting down"');
  });

  it('/healthz turns 503 when the last check is older than daemon.staleAfter', async () => {
    const home = homeWith({ 'anthropic:default': expiringToken });
    const daemon = await startDaemon(home, '{ schedule: "0 0 1 1 *", daemon: { staleAfter: "1s" } }');
    expect((await daemon.get('/healthz')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1300));
    const stale = await daemon.get('/healthz');
    expect(stale.status).toBe(503);
    expect(await stale.text()).toMatch(/^stale: the last completed check was just now/);
  });

  it('refuses other methods, bodies and unknown paths; bearer auth gets 401 without the token', async () => {
    const home = homeWith({ 'anthropic:default': expiringToken });
    writeFileSync(join(home, 'token'), 'PLANTEDSECRET-bearer\n');
    const daemon = await startDaemon(
      home,
      `{ schedule: "0 0 1 1 *", metrics: { auth: { bearerToken: { file: "${join(home, 'token')}" } } } }`,
      'Bearer PLANTEDSECRET-bearer',
    );
    // Bearer token required for every path, compared in constant time.
    for (const path of ['/metrics', '/status', '/healthz']) {
      const denied = await daemon.get(path);
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toBe('Bearer realm="authwatch"');
      expect((await daemon.get(path, { authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await daemon.get(path, { authorization: 'Bearer PLANTEDSECRET-bearer' })).status).toBe(200);
    }
    const post = await fetch(`${daemon.base}/metrics`, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    expect((await daemon.get('/../../etc/passwd', { authorization: 'Bearer PLANTEDSECRET-bearer' })).status).toBe(404);
    const body = await (await daemon.get('/metrics', { authorization: 'Bearer PLANTEDSECRET-bearer' })).text();
    expect(body + daemon.output.stderr).not.toContain('PLANTEDSECRET');
  });

  it('basic auth, and a bad --listen or a busy port is exit 3', async () => {
    const home = homeWith({ 'anthropic:default': expiringToken });
    const good = `Basic ${Buffer.from(`prom:${home}`).toString('base64')}`;
    // The password comes from an environment variable; HOME is one the test controls.
    const daemon = await startDaemon(home, '{ schedule: "0 0 1 1 *", metrics: { auth: { basic: { user: "prom", password: { env: "HOME" } } } } }', good);
    expect((await daemon.get('/metrics')).status).toBe(401);
    expect((await daemon.get('/metrics', { authorization: good })).status).toBe(200);
    const bad = await runCli(['daemon', '--listen', 'nowhere'], { home });
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/--listen: expected HOST:PORT/);
    const port = new URL(daemon.base).port;
    const busy = await runCli(['daemon', '--listen', `127.0.0.1:${port}`], { home });
    expect(busy.code).toBe(3);
    expect(busy.stderr).toContain(`cannot listen on 127.0.0.1:${port}: the address is in use`);
  });
});
