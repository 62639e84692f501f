import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { agentStore, makeHome, type FileSpec } from './helpers/home.js';
import { liveConfig, startProviders } from './live/providers.js';

// Live checks never cry wolf (issue 26 §3): a healthy refreshable login whose access token is
// due for renewal, a CDN challenge page, a refusal that is not the provider's words are never
// "rejected"; a ChatGPT login is asked with its account id; the stale alert watches conclusive
// answers only; overlapping runs ask once. The fake providers answer as the real ones do.

const NOW = Date.parse('2026-11-24T12:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const MARKER = 'TRUTHMARKER5e1d8b';
const secret = (scenario: string, n = '') => `${scenario}.${n}${MARKER}x`;
const oauth = (provider: string, scenario: string, expires = NOW + 30 * 86_400_000, extra: object = {}) => ({ type: 'oauth', provider, access: secret(scenario), refresh: `refresh-${MARKER}`, expires, ...extra });

function homeWith(profiles: Record<string, unknown>, config: object, files: Record<string, FileSpec> = {}) {
  return makeHome({ [agentStore('main')]: { json: { version: 1, profiles } }, '.config/authwatch/config.json5': { json: config }, ...files });
}

type Live = { verdict: string; httpStatus: number | null; message: string; lastConclusiveAt: string | null };
async function check(home: string, now = NOW, args: string[] = []) {
  const result = await runCli(['check', '--json', '--now', iso(now), ...args], { home, timeoutMs: 30_000 });
  expect(result.stderr).not.toContain(MARKER);
  expect(result.stdout).not.toContain(MARKER);
  const json = JSON.parse(result.stdout) as { exitCode: number; profiles: { id: string; status: string; detail: string; live?: Live }[] };
  return { ...result, json, byId: Object.fromEntries(json.profiles.map((p) => [p.id, p])) };
}

describe('a refreshable login whose access token is due for renewal', () => {
  it('is not asked about with its stale token, and is not called dead (OpenClaw, Claude Code)', async () => {
    const providers = await startProviders();
    const claudeCode = { claudeAiOauth: { accessToken: secret('dead', 'cc'), refreshToken: `r-${MARKER}`, expiresAt: NOW - 3 * HOUR, scopes: ['user:inference', 'user:profile'], subscriptionType: 'max' } };
    const home = homeWith({ 'anthropic:default': oauth('anthropic', 'dead', NOW - 3 * HOUR) }, liveConfig(providers.url), { '.claude/.credentials.json': { json: claudeCode } });
    const run = await check(home);
    expect(providers.seen, 'no stale access token is sent').toEqual([]);
    for (const profile of run.json.profiles.filter((p) => p.live)) {
      expect(profile.live).toMatchObject({ verdict: 'inconclusive', message: 'not checked: access token due for renewal (the login renews it on its next use)' });
      expect(profile.status).not.toBe('expired');
    }
    expect(run.json.profiles.filter((p) => p.live)).toHaveLength(2);
    expect(run.code, run.stderr).toBe(0);
  }, 30_000);

  it('a 401 "token expired" before its stored expiry is inconclusive; a revoked login is rejected', async () => {
    const providers = await startProviders();
    const home = homeWith(
      {
        'anthropic:default': oauth('anthropic', 'dead'),
        'openai-codex:default': oauth('openai-codex', 'expired'),
        'anthropic:gone': oauth('anthropic', 'revoked'),
      },
      liveConfig(providers.url),
    );
    const run = await check(home);
    expect(run.byId['anthropic:default']).toMatchObject({ status: 'ok', live: { verdict: 'inconclusive', httpStatus: 401 } });
    expect(run.byId['anthropic:default']!.live!.message).toContain('due for renewal');
    expect(run.byId['openai-codex:default']).toMatchObject({ status: 'ok', live: { verdict: 'inconclusive', httpStatus: 401 } });
    expect(run.byId['anthropic:gone']).toMatchObject({ status: 'expired', live: { verdict: 'rejected', httpStatus: 403, message: 'OAuth token has been revoked. Please obtain a new token.' } });
  }, 30_000);
});

describe('a refusal that is not the provider saying the credential is dead', () => {
  it('a Cloudflare challenge page and a proxy 403 page are inconclusive; "account deactivated" is rejected', async () => {
    const providers = await startProviders();
    const home = homeWith(
      {
        'openai-codex:challenged': oauth('openai-codex', 'challenge'),
        'openai-codex:proxied': oauth('openai-codex', 'html403'),
        'openai-codex:gone': oauth('openai-codex', 'forbidden'),
      },
      liveConfig(providers.url),
    );
    const run = await check(home);
    expect(run.byId['openai-codex:challenged']).toMatchObject({ status: 'ok', live: { verdict: 'inconclusive', httpStatus: 403 } });
    expect(run.byId['openai-codex:challenged']!.live!.message).toContain('cf-mitigated: challenge');
    expect(run.byId['openai-codex:proxied']).toMatchObject({ status: 'ok', live: { verdict: 'inconclusive', httpStatus: 403 } });
    expect(run.byId['openai-codex:gone']).toMatchObject({ status: 'expired', live: { verdict: 'rejected', message: 'account deactivated' } });
  }, 30_000);
});

describe('a ChatGPT login in OpenClaw', () => {
  it('is asked with its account id as ChatGPT-Account-Id, under its legacy id and under openai', async () => {
    const providers = await startProviders();
    const home = homeWith(
      {
        'openai-codex:default': oauth('openai-codex', 'works', NOW + HOUR, { accountId: 'acct-legacy-1' }),
        'openai:chatgpt': { ...oauth('openai', 'works', NOW + HOUR, { accountId: 'acct-new-2' }), access: secret('works', '2') },
      },
      liveConfig(providers.url),
    );
    const run = await check(home);
    expect(run.byId['openai-codex:default']!.live!.verdict).toBe('works');
    expect(run.byId['openai:chatgpt']!.live!.verdict).toBe('works');
    const sent = providers.seen.filter((seen) => seen.path === '/backend-api/wham/usage').map((seen) => seen.headers['chatgpt-account-id']);
    expect(sent.sort()).toEqual(['acct-legacy-1', 'acct-new-2']);
  }, 30_000);
});

describe('the stale alert', () => {
  it('watches the last conclusive answer: inconclusive ones move the checked time, not that', async () => {
    const providers = await startProviders();
    const home = homeWith({ 'openrouter:k': { type: 'api_key', provider: 'openrouter', key: secret('works') } }, liveConfig(providers.url));
    const textfile = join(home, 'metrics.prom');
    const labels = '{profile="openrouter:k",provider="openrouter",source="openclaw",agent="main"}';
    await runCli(['check', '--now', iso(NOW), '--send', '--textfile', textfile], { home });
    // Later the provider cannot be reached (the same key: a new one would be a new credential).
    const later = NOW + 2 * HOUR;
    pointLiveChecksAt(home, 'http://127.0.0.1:9');
    await runCli(['check', '--now', iso(later), '--send', '--textfile', textfile], { home });
    const text = readFileSync(textfile, 'utf8');
    expect(text).toContain(`authwatch_credential_live_checked_timestamp_seconds${labels} ${later / 1000}`);
    expect(text).toContain(`authwatch_credential_live_conclusive_timestamp_seconds${labels} ${NOW / 1000}`);
    const run = await check(home, later);
    expect(run.byId['openrouter:k']!.live).toMatchObject({ verdict: 'inconclusive', lastConclusiveAt: iso(NOW) });
  }, 60_000);
});

describe('overlapping runs', () => {
  it('ask once per credential: the slot is claimed before asking', async () => {
    const providers = await startProviders();
    providers.delayMs = 1500; // every run is under way while the first one asks
    const home = homeWith({ 'openrouter:k': { type: 'api_key', provider: 'openrouter', key: secret('works') }, 'anthropic:oauth': oauth('anthropic', 'works') }, liveConfig(providers.url));
    const runs = await Promise.all(Array.from({ length: 4 }, () => check(home)));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const perPath = providers.seen.reduce<Record<string, number>>((counts, seen) => ({ ...counts, [seen.path]: (counts[seen.path] ?? 0) + 1 }), {});
    expect(perPath).toEqual({ '/api/v1/key': 1, '/api/oauth/usage': 1 });
  }, 60_000);
});

/** Points every live provider of the home's config at `url`. */
function pointLiveChecksAt(home: string, url: string): void {
  const path = join(home, '.config/authwatch/config.json5');
  const config = JSON.parse(readFileSync(path, 'utf8')) as ReturnType<typeof liveConfig>;
  for (const provider of Object.values(config.live.providers)) provider.baseUrl = url;
  writeFileSync(path, JSON.stringify(config));
}
