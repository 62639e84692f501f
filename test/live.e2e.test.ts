import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli } from './helpers/cli.js';
import { agentStore, makeHome, type FileSpec } from './helpers/home.js';
import { startSink } from './helpers/http-sink.js';
import { liveConfig, resetAt, startProviders } from './live/providers.js';
import { trackChild } from './helpers/children.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** Every secret in these tests ends in it: no output may ever contain it. */
const MARKER = 'LIVEMARKER7f3a9c2e1b';
const secret = (scenario: string, n = '') => `${scenario}.${n}${MARKER}x`;

const apiKey = (provider: string, scenario: string, n = '') => ({ type: 'api_key', provider, key: secret(scenario, n) });
const oauth = (provider: string, scenario: string) => ({ type: 'oauth', provider, access: secret(scenario), refresh: `refresh-${MARKER}`, expires: NOW + 30 * 86_400_000 });
const store = (profiles: Record<string, unknown>): FileSpec => ({ json: { version: 1, profiles } });

function homeWith(profiles: Record<string, unknown>, config: object | null) {
  const files: Record<string, FileSpec> = { [agentStore('main')]: store(profiles) };
  if (config) files['.config/authwatch/config.json5'] = { json: config };
  return makeHome(files);
}

async function check(home: string, args: string[] = [], now = NOW, env: Record<string, string> = {}) {
  const result = await runCli(['check', '--json', '--now', iso(now), ...args], { home, env, timeoutMs: 30_000 });
  expect(result.stderr).not.toContain(MARKER);
  expect(result.stdout).not.toContain(MARKER);
  type Live = { verdict: string; httpStatus: number | null; message: string; windows: { name: string; utilization: number }[] };
  const json = JSON.parse(result.stdout) as {
    exitCode: number;
    profiles: { id: string; status: string; detail: string; live?: Live }[];
    providers: { provider: string; serving: { id: string } | null; live?: Live }[];
  };
  const byId = Object.fromEntries(json.profiles.map((p) => [p.id, p]));
  return { ...result, json, byId };
}

const stateFile = (home: string) => join(home, '.local/state/authwatch/live.json');

describe('live checks against local providers', () => {
  it('gives every verdict of every provider, as documented', async () => {
    const providers = await startProviders();
    const profiles: Record<string, unknown> = {};
    const cases: [id: string, entry: unknown, verdict: string, status: string][] = [
      ['anthropic:api-works', apiKey('anthropic', 'works', '1'), 'works', 'ok'],
      ['anthropic:api-dead', apiKey('anthropic', 'dead', '2'), 'rejected', 'expired'],
      ['anthropic:api-forbidden', apiKey('anthropic', 'forbidden', '3'), 'rejected', 'expired'],
      ['anthropic:api-wrongkind', apiKey('anthropic', 'wrongkind', '4'), 'wrong-kind', 'ok'],
      ['anthropic:api-overloaded', apiKey('anthropic', 'overloaded', '5'), 'inconclusive', 'ok'],
      ['anthropic:api-limited', apiKey('anthropic', 'limited', '6'), 'inconclusive', 'ok'],
      ['anthropic:api-broken', apiKey('anthropic', 'broken', '7'), 'inconclusive', 'ok'],
      ['anthropic:oauth-works', oauth('anthropic', 'works'), 'works', 'ok'],
      // A refreshable login's access token refused as expired is due for renewal, not dead; a revoked one is dead.
      ['anthropic:oauth-dead', oauth('anthropic', 'dead'), 'inconclusive', 'ok'],
      ['anthropic:oauth-revoked', oauth('anthropic', 'revoked'), 'rejected', 'expired'],
      ['anthropic:oauth-setup', oauth('anthropic', 'wrongkind'), 'wrong-kind', 'ok'],
      ['anthropic:oauth-93', oauth('anthropic', 'quota93'), 'works', 'expiring'],
      ['anthropic:setup-token', { type: 'token', provider: 'anthropic', token: secret('works', 'st') }, 'not-checkable', 'ok'],
      ['openai:works', apiKey('openai', 'works', '8'), 'works', 'ok'],
      ['openai:dead', apiKey('openai', 'dead', '9'), 'rejected', 'expired'],
      ['openai-codex:works', oauth('openai-codex', 'works'), 'works', 'ok'],
      ['openai-codex:nocredit', oauth('openai-codex', 'nocredit'), 'no-credit', 'expired'],
      ['openai-codex:dead', oauth('openai-codex', 'dead'), 'inconclusive', 'ok'],
      ['openai-codex:forbidden', oauth('openai-codex', 'forbidden'), 'rejected', 'expired'],
      ['openrouter:works', apiKey('openrouter', 'works', 'a'), 'works', 'ok'],
      ['openrouter:nocredit', apiKey('openrouter', 'nocredit', 'b'), 'no-credit', 'expired'],
      ['openrouter:dead', apiKey('openrouter', 'dead', 'c'), 'rejected', 'expired'],
      ['google:works', apiKey('google', 'works', 'd'), 'works', 'ok'],
      ['google:dead', apiKey('google', 'dead', 'e'), 'rejected', 'expired'],
      ['xai:works', apiKey('xai', 'works', 'f'), 'works', 'ok'],
      ['xai:nocredit', apiKey('xai', 'nocredit', 'g'), 'no-credit', 'expired'],
      ['xai:dead', apiKey('xai', 'dead', 'h'), 'rejected', 'expired'],
      ['deepseek:works', apiKey('deepseek', 'works', 'i'), 'works', 'ok'],
      ['deepseek:nocredit', apiKey('deepseek', 'nocredit', 'j'), 'no-credit', 'expired'],
      ['deepseek:dead', apiKey('deepseek', 'dead', 'k'), 'rejected', 'expired'],
      ['groq:works', apiKey('groq', 'works', 'l'), 'works', 'ok'],
      ['groq:dead', apiKey('groq', 'dead', 'm'), 'rejected', 'expired'],
      ['mistral:works', apiKey('mistral', 'works', 'n'), 'works', 'ok'],
      ['mistral:dead', apiKey('mistral', 'dead', 'o'), 'rejected', 'expired'],
      ['github-copilot:works', { type: 'token', provider: 'github-copilot', token: secret('works', 'p') }, 'works', 'ok'],
      ['github-copilot:dead', { type: 'token', provider: 'github-copilot', token: secret('dead', 'q') }, 'rejected', 'expired'],
      ['zai:works', apiKey('zai', 'works', 's'), 'works', 'ok'],
      ['zai:quota95', apiKey('zai', 'quota95', 't'), 'works', 'expiring'],
      ['zai:apierror', apiKey('zai', 'apierror', 'u'), 'inconclusive', 'ok'],
      ['zai:dead', apiKey('zai', 'dead', 'v'), 'rejected', 'expired'],
      ['minimax:works', apiKey('minimax', 'works', 'w'), 'works', 'ok'],
      ['minimax:quota97', apiKey('minimax', 'quota97', 'x'), 'works', 'expiring'],
      ['minimax:apierror', apiKey('minimax', 'apierror', 'y'), 'inconclusive', 'ok'],
      ['minimax:dead', apiKey('minimax', 'dead', 'z'), 'rejected', 'expired'],
      ['google-gemini-cli:works', oauth('google-gemini-cli', 'works'), 'works', 'ok'],
      // A 200 page that is not the provider's JSON: nothing known, for every checker that reads the body.
      ['openrouter:portal', apiKey('openrouter', 'portal', 'pa'), 'inconclusive', 'ok'],
      ['openai-codex:portal', oauth('openai-codex', 'portal'), 'inconclusive', 'ok'],
      ['zai:portal', apiKey('zai', 'portal', 'pb'), 'inconclusive', 'ok'],
      ['deepseek:portal', apiKey('deepseek', 'portal', 'pc'), 'inconclusive', 'ok'],
      // A list endpoint proves the key by its status alone.
      ['groq:portal', apiKey('groq', 'portal', 'pd'), 'works', 'ok'],
      ['qwen:default', apiKey('qwen', 'works', 'r'), 'not-checkable', 'ok'],
    ];
    for (const [id, entry] of cases) profiles[id] = entry;
    const home = homeWith(profiles, liveConfig(providers.url));
    const { code, byId, json } = await check(home);
    for (const [id, , verdict, status] of cases) {
      expect({ id, verdict: byId[id]?.live?.verdict, status: byId[id]?.status }).toEqual({ id, verdict, status });
    }
    expect(code).toBe(1);
    expect(json.exitCode).toBe(1);
    // Each route carries what the live check saw of the credential that serves it.
    const routesWithLive = json.providers.filter((route) => route.serving && byId[route.serving.id]?.live);
    expect(routesWithLive.length).toBeGreaterThan(5);
    for (const route of routesWithLive) expect({ provider: route.provider, live: route.live }).toEqual({ provider: route.provider, live: byId[route.serving!.id]!.live });
    // The provider's words, scrubbed, and the fix.
    expect(byId['anthropic:api-dead']!.detail).toContain('rejected 401: invalid x-api-key (checked just now); fix:');
    expect(byId['openai:dead']!.live!.message).toBe('Incorrect API key provided: …');
    expect(byId['anthropic:oauth-93']!.detail).toContain('5h window 93 %, resets 16:00');
    expect(byId['anthropic:oauth-works']!.live!.windows).toEqual([{ name: '5h', utilization: 0.4, resetsAt: iso(resetAt) }, { name: '7d', utilization: 0.12, resetsAt: '2026-11-28T10:00:00.000Z' }]);
    expect(byId['openrouter:nocredit']!.detail).toContain('fix: add credit or raise the key limit');
    expect(byId['zai:works']!.live!.windows).toEqual([{ name: 'tokens 5h', utilization: 0.3, resetsAt: '2026-11-24T14:00:00.000Z' }, { name: 'monthly', utilization: 0.1, resetsAt: '2026-12-01T00:00:00.000Z' }]);
    expect(byId['zai:quota95']!.detail).toContain('tokens 5h window 95 %, resets 14:00');
    // 900 of 1500 left: 40 % used; 12000 of 15000 left this week: 20 %.
    expect(byId['minimax:works']!.live!.windows).toEqual([{ name: '5h', utilization: 0.4, resetsAt: '2026-11-24T15:00:00.000Z' }, { name: 'week', utilization: 0.2, resetsAt: '2026-11-30T00:00:00.000Z' }]);
    expect(byId['minimax:quota97']!.detail).toContain('5h window 97 %, resets 15:00');
    expect(byId['minimax:apierror']!.live!.message).toBe('MiniMax answered an error (status_code 1004): login fail: Please carry the API secret key in the Authorization field');
    expect(byId['zai:apierror']!.live!.message).toBe('z.ai answered an error: Authorization Token Missing');
    expect(byId['anthropic:api-limited']!.detail).toMatch(/live check inconclusive: rate limited \(429\).*not seen working yet/);
    expect(byId['anthropic:setup-token']!.detail).toContain('not checkable live: a setup-token has no zero-token endpoint');
    // The access token only, never the refresh token; each to its documented path with its documented headers.
    expect(JSON.stringify(providers.seen)).not.toContain(`refresh-${MARKER}`);
    const usage = providers.seen.find((s) => s.path === '/api/oauth/usage')!;
    expect(usage.headers['anthropic-beta']).toBe('oauth-2025-04-20');
    expect(providers.seen.find((s) => s.path === '/v1/models' && s.headers['x-api-key'])!.headers['anthropic-version']).toBe('2023-06-01');
    expect(providers.seen.filter((s) => s.path === '/v1beta/models').every((s) => s.headers['x-goog-api-key'] !== undefined)).toBe(true);
    expect(providers.seen.filter((s) => s.path === '/copilot_internal/user').every((s) => String(s.headers.authorization).startsWith('token '))).toBe(true);
    // One request per checkable credential, none for the others.
    expect(providers.seen).toHaveLength(cases.filter(([, , verdict]) => verdict !== 'not-checkable').length);
    const state = readFileSync(stateFile(home), 'utf8');
    expect(state).not.toContain(MARKER);
  }, 60_000);

  it('Gemini CLI logins: the quota read (a POST of {}) gives each model its own window; the CLI\'s own login is checked too; never the refresh token', async () => {
    const providers = await startProviders();
    const home = makeHome({
      [agentStore('main')]: store({
        'google-gemini-cli:works': oauth('google-gemini-cli', 'works'),
        'google-gemini-cli:proout': oauth('google-gemini-cli', 'proout'),
        'google-gemini-cli:dead': oauth('google-gemini-cli', 'dead'),
        'google-gemini-cli:noproject': oauth('google-gemini-cli', 'noproject'),
        'google-gemini-cli:portal': oauth('google-gemini-cli', 'portal'),
        'google-gemini-cli:norenew': { type: 'oauth', provider: 'google-gemini-cli', access: secret('dead', 'nr'), expires: NOW + 3_000_000 },
      }),
      '.gemini/oauth_creds.json': { json: { access_token: secret('works', 'cli'), refresh_token: `refresh-${MARKER}`, expiry_date: NOW + 3_000_000, token_type: 'Bearer', scope: 'https://www.googleapis.com/auth/cloud-platform' } },
      '.config/authwatch/config.json5': { json: liveConfig(providers.url) },
    });
    const { byId } = await check(home);
    const quota = providers.seen.filter((s) => s.path === '/v1internal:retrieveUserQuota');
    expect(quota).toHaveLength(7);
    for (const asked of quota) {
      expect({ method: asked.method, body: asked.body, type: asked.headers['content-type'] }).toEqual({ method: 'POST', body: '{}', type: 'application/json' });
      expect(String(asked.headers.authorization)).toMatch(/^Bearer \w+\.\w*LIVEMARKER/);
    }
    expect(JSON.stringify(providers.seen)).not.toContain(`refresh-${MARKER}`);
    expect(byId['google-gemini-cli:works']!.live).toMatchObject({ verdict: 'works', windows: [{ name: 'gemini-2.5-pro', utilization: expect.closeTo(0.2, 5), model: 'gemini-2.5-pro' }, { name: 'gemini-2.5-flash', utilization: expect.closeTo(0.05, 5), model: 'gemini-2.5-flash' }] });
    expect(byId['google-gemini-cli:gemini-cli']!.live!.verdict).toBe('works');
    // A model's bucket used up limits that model only: shown, never the login out of quota.
    expect(byId['google-gemini-cli:proout']).toMatchObject({ status: 'ok', live: { verdict: 'works', windows: expect.arrayContaining([expect.objectContaining({ name: 'gemini-2.5-pro', utilization: 1 })]) } });
    // A refreshable login's 401 is a token due for renewal; Google's 403 PERMISSION_DENIED says nothing about the login.
    expect(byId['google-gemini-cli:dead']).toMatchObject({ status: 'ok', live: { verdict: 'inconclusive' } });
    expect(byId['google-gemini-cli:portal']).toMatchObject({ status: 'ok', live: { verdict: 'inconclusive', message: "a 200 answer that is not JSON, not the provider's" } });
    // With no refresh token the login cannot renew: its 401 is the end of it.
    expect(byId['google-gemini-cli:norenew']).toMatchObject({ status: 'expired', live: { verdict: 'rejected' } });
    expect(byId['google-gemini-cli:noproject']).toMatchObject({ status: 'ok', live: { verdict: 'inconclusive', message: 'unexpected answer 403: The caller does not have permission' } });
  }, 30_000);

  it('sends nothing unless live checks are on', async () => {
    const providers = await startProviders();
    const config = liveConfig(providers.url);
    const home = homeWith({ 'openai:works': apiKey('openai', 'works') }, { live: { ...config.live, enabled: false } });
    const off = await check(home);
    expect(off.byId['openai:works']!.live).toBeUndefined();
    expect(providers.seen).toHaveLength(0);
    expect(existsSync(stateFile(home))).toBe(false);
    const once = await check(home, ['--live']);
    expect(once.byId['openai:works']!.live!.verdict).toBe('works');
    expect(providers.seen).toHaveLength(1);
  }, 30_000);

  it('kept results that are not a regular file (a FIFO) are no results: the check asks again, at once', async () => {
    const providers = await startProviders();
    const home = homeWith({ 'openai:works': apiKey('openai', 'works') }, liveConfig(providers.url));
    execFileSync('mkdir', ['-p', '-m', '700', join(home, '.local/state/authwatch')]);
    execFileSync('mkfifo', [stateFile(home)]);
    const run = await check(home);
    expect(run.byId['openai:works']!.live!.verdict).toBe('works');
    expect(providers.seen).toHaveLength(1);
  }, 30_000);

  it('asks at most once per interval, quota endpoints every 5 minutes, and honours retry-after', async () => {
    const providers = await startProviders();
    const home = homeWith(
      { 'openai:works': apiKey('openai', 'works'), 'anthropic:oauth': oauth('anthropic', 'works'), 'groq:limited': apiKey('groq', 'limited') },
      liveConfig(providers.url),
    );
    await check(home);
    expect(providers.seen).toHaveLength(3);
    const later = await check(home, [], NOW + 4 * MIN);
    expect(providers.seen).toHaveLength(3); // all kept
    expect(later.byId['openai:works']!.detail).toContain('works, checked 4m ago');
    await check(home, [], NOW + 6 * MIN);
    expect(providers.seen.map((s) => s.path).slice(3)).toEqual(['/api/oauth/usage']);
    await check(home, [], NOW + 90 * MIN); // openai due (1h); groq not (retry-after 2h)
    expect(providers.seen.slice(4).map((s) => s.path).sort()).toEqual(['/api/oauth/usage', '/v1/models']);
    expect(providers.seen.slice(4).some((s) => s.path === '/openai/v1/models')).toBe(false);
  }, 30_000);

  it('never has more than 2 requests in flight', async () => {
    const providers = await startProviders();
    providers.delayMs = 300;
    const profiles: Record<string, unknown> = {};
    for (let n = 0; n < 7; n++) profiles[`groq:${n}`] = apiKey('groq', 'works', String(n));
    const home = homeWith(profiles, liveConfig(providers.url));
    const { byId } = await check(home);
    expect(providers.seen).toHaveLength(7);
    expect(providers.maxInFlight).toBe(2);
    for (let n = 0; n < 7; n++) expect(byId[`groq:${n}`]!.live!.verdict).toBe('works');
  }, 30_000);

  // The server only learns that a request was given up when the socket's close reaches it, which
  // on a busy machine can come after the next request: in-flight counts are the test above's job.
  it('the per-request deadline holds against a hang, and frees its slot for the rest', async () => {
    const providers = await startProviders();
    providers.delayMs = 300;
    const profiles: Record<string, unknown> = { 'openai:hang': apiKey('openai', 'hang') };
    for (let n = 0; n < 6; n++) profiles[`groq:${n}`] = apiKey('groq', 'works', String(n));
    const home = homeWith(profiles, liveConfig(providers.url, { timeout: '1s' }));
    const { byId } = await check(home);
    expect(byId['openai:hang']!.live).toMatchObject({ verdict: 'inconclusive', message: 'no answer: no answer within 1s' });
    expect(byId['openai:hang']!.status).toBe('ok');
    for (let n = 0; n < 6; n++) expect(byId[`groq:${n}`]!.live!.verdict).toBe('works');
  }, 30_000);

  it('stops reading an answer over the size cap', async () => {
    const providers = await startProviders();
    const home = homeWith({ 'openrouter:huge': apiKey('openrouter', 'huge') }, liveConfig(providers.url));
    const { byId } = await check(home);
    expect(byId['openrouter:huge']!.live).toMatchObject({ verdict: 'inconclusive', message: 'answer larger than 64 KiB, not read' });
  }, 30_000);

  it('an inconclusive check keeps the status and says when the credential last worked; a reset clears a full window', async () => {
    const providers = await startProviders();
    const home = homeWith({ 'anthropic:oauth': oauth('anthropic', 'quota100') }, liveConfig(providers.url));
    const full = await check(home);
    expect(full.code).toBe(2);
    expect(full.byId['anthropic:oauth']!.detail).toContain('out of quota (5h window) until 16:00');
    const afterReset = await check(home, [], resetAt + MIN, {});
    // asked again (5 min passed) and answered the same: the window's reset time has passed, so it is cleared
    expect(afterReset.byId['anthropic:oauth']!.status).toBe('ok');
  }, 30_000);

  it('refuses a base URL that is not https (except loopback)', async () => {
    const home = homeWith({}, { live: { providers: { openai: { baseUrl: 'http://proxy.example.com' } } } });
    const result = await runCli(['check', '--now', iso(NOW), '--send'], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('live.providers.openai.baseUrl');
    expect(result.stderr).toContain('expected an https:// URL');
  });

  it('checks over TLS with a CA only the child trusts; an untrusted certificate is inconclusive', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'authwatch-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const providers = await startProviders({ key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') });
    const home = homeWith({ 'openai:works': apiKey('openai', 'works') }, liveConfig(providers.url));
    const trusted = await check(home, [], NOW, { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') });
    expect(trusted.byId['openai:works']!.live!.verdict).toBe('works');
    const other = homeWith({ 'openai:works': apiKey('openai', 'works') }, liveConfig(providers.url));
    const untrusted = await check(other);
    expect(untrusted.byId['openai:works']!.live).toMatchObject({ verdict: 'inconclusive' });
    expect(untrusted.byId['openai:works']!.live!.message).toMatch(/^no answer: .*(certificate|self.signed)/i);
  }, 30_000);

  it('leak harness: a provider echoing every header never gets the secret into any output', async () => {
    const providers = await startProviders();
    const home = homeWith(
      { 'openai:echo': apiKey('openai', 'echo'), 'anthropic:echo': apiKey('anthropic', 'echo', '2'), 'openai-codex:echo': { ...oauth('openai-codex', 'echo') }, 'zai:echo': apiKey('zai', 'echo', '3'), 'minimax:echo': apiKey('minimax', 'echo', '4'), 'google-gemini-cli:echo': oauth('google-gemini-cli', 'echo') },
      liveConfig(providers.url),
    );
    const textfile = join(home, 'metrics.prom');
    const result = await runCli(['check', '--now', iso(NOW), '--textfile', textfile, '--log-level', 'trace'], { home, timeoutMs: 30_000 });
    const json = await runCli(['check', '--json', '--now', iso(NOW + 2 * 3_600_000), '--log-level', 'trace'], { home, timeoutMs: 30_000 });
    expect(providers.seen.length).toBeGreaterThanOrEqual(6);
    expect(result.stdout).toContain('rejected 401: you sent');
    for (const text of [result.stdout, result.stderr, json.stdout, json.stderr, readFileSync(textfile, 'utf8'), readFileSync(stateFile(home), 'utf8')]) {
      expect(text).not.toContain(MARKER);
    }
  }, 30_000);

  it('exports the live and quota metrics', async () => {
    const providers = await startProviders();
    const home = homeWith({ 'anthropic:oauth': oauth('anthropic', 'quota93'), 'openai:dead': apiKey('openai', 'dead') }, liveConfig(providers.url));
    const textfile = join(home, 'metrics.prom');
    await runCli(['check', '--now', iso(NOW), '--send', '--textfile', textfile], { home });
    const text = readFileSync(textfile, 'utf8');
    expect(text).toContain('authwatch_credential_live_ok{profile="anthropic:oauth",provider="anthropic",source="openclaw",agent="main"} 1');
    expect(text).toContain('authwatch_credential_live_ok{profile="openai:dead",provider="openai",source="openclaw",agent="main"} 0');
    expect(text).toContain(`authwatch_credential_live_checked_timestamp_seconds{profile="openai:dead",provider="openai",source="openclaw",agent="main"} ${NOW / 1000}`);
    expect(text).toContain('authwatch_quota_utilization_ratio{profile="anthropic:oauth",provider="anthropic",source="openclaw",agent="main",window="5h"} 0.93');
    expect(text).toContain(`authwatch_quota_resets_timestamp_seconds{profile="anthropic:oauth",provider="anthropic",source="openclaw",agent="main",window="5h"} ${resetAt / 1000}`);
  }, 30_000);

  it('a run killed during its live checks leaves the kept results whole, and the next run alerts once', async () => {
    const providers = await startProviders();
    const hook = await startSink();
    const config = { ...liveConfig(providers.url, { timeout: '2s' }), channels: [{ type: 'webhook', name: 'hook', url: `${hook.url}/hook` }] };
    const home = homeWith({ 'openai:dead': apiKey('openai', 'dead'), 'groq:hang': apiKey('groq', 'hang') }, config);
    const child = trackChild(spawn(process.execPath, [cliPath, 'check', '--now', iso(NOW), '--send'], { env: { PATH: process.env.PATH ?? '', HOME: home, TZ: 'UTC' }, stdio: 'ignore' }));
    // Killed once the dead key's verdict is kept and the hanging request is in flight.
    const keptVerdicts = () => {
      try {
        return Object.values((JSON.parse(readFileSync(stateFile(home), 'utf8')) as { results: Record<string, { verdict: string }> }).results).map((r) => r.verdict).sort();
      } catch {
        return [];
      }
    };
    const deadline = Date.now() + 10_000;
    while (!(keptVerdicts().includes('rejected') && providers.seen.some((s) => s.path === '/openai/v1/models')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    // The hanging key's slot is still claimed by the killed run ("not checked yet"): asked again once the claim ran out.
    expect(keptVerdicts()).toEqual(['inconclusive', 'rejected']);
    expect(hook.requests).toHaveLength(0);
    const again = await runCli(['check', '--now', iso(NOW + MIN), '--send'], { home, timeoutMs: 30_000 });
    const third = await runCli(['check', '--now', iso(NOW + 2 * MIN), '--send'], { home, timeoutMs: 30_000 });
    expect(again.code).toBe(1);
    expect(third.code).toBe(1);
    expect(providers.seen.filter((s) => s.path === '/v1/models')).toHaveLength(1); // the kept verdict was reused
    const told = hook.requests.filter((r) => r.body.includes('openai:dead'));
    expect(told).toHaveLength(1);
    expect(readdirSync(join(home, '.local/state/authwatch')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});
