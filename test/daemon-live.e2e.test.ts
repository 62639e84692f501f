import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configPath, startDaemon } from './helpers/daemon.js';
import { agentStore, makeHome } from './helpers/home.js';
import { waitFor } from './helpers/processes.js';
import { liveConfig, startProviders, type FakeProviders } from './live/providers.js';

// The daemon's checks run the live checks of the config (src/live) against real local
// providers, reached through `live.providers.<id>.baseUrl`; every answer over HTTP still comes
// from the last completed check.

/** Every secret here ends in it: no answer or log line may ever contain it. */
const MARKER = 'DAEMONLIVEMARKER4d1e8b';
const apiKey = (provider: string, scenario: string, n = '') => ({ type: 'api_key', provider, key: `${scenario}.${n}${MARKER}x` });
const homeWith = (profiles: Record<string, unknown>) => makeHome({ [agentStore('main')]: { json: { version: 1, profiles } }, '.config/authwatch/config.json5': '{}' });
const config = (fields: object) => JSON.stringify({ schedule: '0 0 1 1 *', ...fields });

type Daemon = Awaited<ReturnType<typeof startDaemon>>;
interface StatusProfile {
  id: string;
  status: string;
  live?: { verdict: string; httpStatus: number | null; message: string };
}

async function text(daemon: Daemon, path: string): Promise<string> {
  const body = await (await daemon.get(path)).text();
  expect(body).not.toContain(MARKER);
  return body;
}

async function statusOf(daemon: Daemon): Promise<Record<string, StatusProfile>> {
  const { profiles } = JSON.parse(await text(daemon, '/status')) as { profiles: StatusProfile[] };
  return Object.fromEntries(profiles.map((p) => [p.id, p]));
}

const checksFinished = (daemon: Daemon, reason?: string) =>
  daemon.output.stderr.split('\n').filter((line) => line.includes('"check finished"') && (reason === undefined || line.includes(`"reason":"${reason}"`))).length;

/** Rewrites the config and sends SIGHUP; resolves once the reload's check has finished. */
async function reload(daemon: Daemon, home: string, text: string) {
  const before = checksFinished(daemon, 'reload');
  writeFileSync(configPath(home), text);
  daemon.child.kill('SIGHUP');
  return waitFor('the reload check', () => (checksFinished(daemon, 'reload') > before ? true : undefined), 20_000);
}

const liveOk = (profile: string, value: 0 | 1) => new RegExp(`^authwatch_credential_live_ok\\{[^}]*profile="${profile}"[^}]*\\} ${value}$`, 'm');
const requestsAt = (providers: FakeProviders, path: string) => providers.seen.filter((s) => s.path === path).length;

describe('the daemon with live checks on', () => {
  it('exports the live verdicts after its first check, shows a rejected key expired, and a reload turns them off', async () => {
    const providers = await startProviders();
    const home = homeWith({ 'openai:works': apiKey('openai', 'works', '1'), 'groq:dead': apiKey('groq', 'dead', '2') });
    const daemon = await startDaemon(home, config(liveConfig(providers.url)));

    const metrics = await text(daemon, '/metrics');
    expect(metrics).toMatch(liveOk('openai:works', 1));
    expect(metrics).toMatch(liveOk('groq:dead', 0));
    expect(metrics).toMatch(/^authwatch_credential_live_checked_timestamp_seconds\{[^}]*profile="openai:works"/m);
    const status = await statusOf(daemon);
    expect(status['openai:works']).toMatchObject({ status: 'ok', live: { verdict: 'works', httpStatus: 200 } });
    expect(status['groq:dead']).toMatchObject({ status: 'expired', live: { verdict: 'rejected', httpStatus: 401, message: 'Invalid API Key' } });
    expect(providers.seen.map((s) => s.path).sort()).toEqual(['/openai/v1/models', '/v1/models']);

    // Live off again: the next check asks nobody and exports no live family.
    await reload(daemon, home, config({}));
    const after = await text(daemon, '/metrics');
    expect(after).not.toContain('authwatch_credential_live_ok');
    expect((await statusOf(daemon))['groq:dead']!.status).toBe('ok');
    expect(providers.seen).toHaveLength(2);
    expect(daemon.output.stderr).not.toContain(MARKER);
  }, 30_000);

  it('answers scrapes at once from the last check while a provider hangs', async () => {
    const providers = await startProviders();
    const home = homeWith({ 'openai:hang': apiKey('openai', 'hang') });
    const daemon = await startDaemon(home, config({}));
    expect(providers.seen).toHaveLength(0);

    // A reload turns live checks on: its check asks the provider, which never answers.
    const checked = reload(daemon, home, config(liveConfig(providers.url, { timeout: '6s' })));
    await waitFor('the live request', () => (providers.seen.length > 0 ? true : undefined));
    const scrapes: number[] = [];
    const until = Date.now() + 3_000;
    while (Date.now() < until) {
      const started = performance.now();
      const response = await daemon.get('/metrics', {});
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('authwatch_last_run_success 1');
      scrapes.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(checksFinished(daemon, 'reload')).toBe(0); // the check was still waiting on the provider all along
    expect(scrapes.length).toBeGreaterThan(10);
    expect(Math.max(...scrapes)).toBeLessThan(1_000);

    await checked;
    expect((await statusOf(daemon))['openai:hang']).toMatchObject({ status: 'ok', live: { verdict: 'inconclusive', message: 'no answer: no answer within 6s' } });
  }, 40_000);

  it('asks a credential at most once per live.interval though it checks every second', async () => {
    const providers = await startProviders();
    const home = homeWith({ 'openai:works': apiKey('openai', 'works') });
    const daemon = await startDaemon(home, JSON.stringify({ schedule: '* * * * * *', ...liveConfig(providers.url, { interval: '3s' }) }));
    expect(providers.seen).toHaveLength(1);
    const first = checksFinished(daemon);
    await waitFor('eight more checks', () => (checksFinished(daemon) >= first + 8 ? true : undefined), 20_000);
    // Checks ran every second; the provider was asked again only once the interval (less its jitter) was over.
    expect(requestsAt(providers, '/v1/models')).toBe(providers.seen.length);
    expect(providers.seen.length).toBeGreaterThanOrEqual(2);
    const gaps = providers.seen.slice(1).map((s, i) => s.at - providers.seen[i]!.at);
    // Jitter takes at most 10 % off the interval; the first check may take a little longer to reach its request.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(2_500);
  }, 40_000);
});
