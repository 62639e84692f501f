import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runProcess } from './helpers/cli.js';
import { findOpenclaw } from './parity/harness.js';
import { agentStore, makeHome, writeFiles } from './helpers/home.js';
import { startSink } from './helpers/http-sink.js';
import { liveConfig, startProviders } from './live/providers.js';

// Issue 30 §4: every model the gateway could run is looked up at zero tokens with the
// credential that serves its route. The fake providers answer model lookups as each provider
// documents them (test/live/providers.ts `modelAnswer`): a retired id is the provider's 404.

const NOW = Date.parse('2026-11-24T12:00:00Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const MARKER = 'MODELMARKER4c2b9e';
const secret = (scenario: string, n = '') => `${scenario}.${n}${MARKER}x`;
const apiKey = (provider: string, scenario: string, n = '') => ({ type: 'api_key', provider, key: secret(scenario, n) });
const retired = 'anthropic/claude-3-opus-20240229';

type Check = { verdict: string; httpStatus: number | null; message: string; checkedWith: string } | null;
type Json = {
  exitCode: number;
  providers: { provider: string; agent: string | null; models: { role: string; ref: string; id: string | null; check: Check }[] }[];
};

const openclawJson = (defaults: object) => ({ '.openclaw/openclaw.json': { json: { agents: { defaults } } } });

function homeWith(profiles: Record<string, unknown>, defaults: object, config: object) {
  return makeHome({ [agentStore('main')]: { json: { version: 1, profiles } }, '.config/authwatch/config.json5': { json: config }, ...openclawJson(defaults) });
}

async function check(home: string, now: number, args: string[] = []) {
  const result = await runCli(['check', '--now', iso(now), ...args], { home, timeoutMs: 30_000 });
  expect(result.stderr).not.toContain(MARKER);
  expect(result.stdout).not.toContain(MARKER);
  return result;
}

async function checkJson(home: string, now: number) {
  const result = await check(home, now, ['--json']);
  const json = JSON.parse(result.stdout) as Json;
  const models = Object.fromEntries(json.providers.flatMap((p) => p.models.map((m) => [`${m.role} ${m.ref}`, m.check])));
  return { ...result, json, models };
}

const lookups = (seen: { path: string }[]) => seen.filter((s) => /\/models(\/|$)/.test(s.path) && !/^\/(v1|openai\/v1|v1beta)\/models$/.test(s.path));

describe('the model chain still exists (live model lookups)', () => {
  it('a retired fallback is a finding on its route with the fix, alerted once and resolved when removed; a model that exists says nothing', async () => {
    const providers = await startProviders();
    const hook = await startSink();
    const config = { ...liveConfig(providers.url), channels: [{ type: 'webhook', name: 'hook', url: `${hook.url}/hook` }] };
    const defaults = { model: { primary: 'anthropic/claude-opus-4-6', fallbacks: [retired, 'openai/gpt-6-astra'] } };
    const home = homeWith({ 'anthropic:default': apiKey('anthropic', 'works', '1'), 'openai:default': apiKey('openai', 'works', '2') }, defaults, config);
    const textfile = join(home, 'metrics.prom');

    const first = await checkJson(home, NOW);
    expect(first.models['model anthropic/claude-opus-4-6']).toMatchObject({ verdict: 'exists', httpStatus: 200, checkedWith: 'anthropic:default' });
    expect(first.models[`fallback ${retired}`]).toMatchObject({ verdict: 'missing', httpStatus: 404, message: 'model: claude-3-opus-20240229', checkedWith: 'anthropic:default' });
    expect(first.models['fallback openai/gpt-6-astra']).toMatchObject({ verdict: 'exists', checkedWith: 'openai:default' });
    // A missing fallback fails only when the chain reaches it: a warning (exit 2), not a dead gateway.
    expect(first.json.exitCode).toBe(2);
    expect(first.code).toBe(2);
    // Each model asked once, at its provider's documented path, with the credential's own headers.
    expect(lookups(providers.seen).map((s) => s.path).sort()).toEqual(['/v1/models/claude-3-opus-20240229', '/v1/models/claude-opus-4-6', '/v1/models/gpt-6-astra']);
    const anthropicLookup = providers.seen.find((s) => s.path === '/v1/models/claude-opus-4-6')!;
    expect(anthropicLookup.headers['anthropic-version']).toBe('2023-06-01');
    expect(String(anthropicLookup.headers['x-api-key'])).toContain(MARKER);

    // Alerted once; the table names the finding and the fix.
    const sent = await check(home, NOW + MIN, ['--send', '--textfile', textfile]);
    expect(sent.stdout).toContain(`fallback ${retired} does not exist at anthropic (404: model: claude-3-opus-20240229; checked 1m ago with anthropic:default)`);
    expect(sent.stdout).toContain(`fix: openclaw models fallbacks remove ${retired}`);
    const told = () => hook.requests.filter((r) => r.body.includes('model:anthropic/claude-3-opus-20240229'));
    expect(told()).toHaveLength(1);
    expect(told()[0]!.body).toContain(`openclaw models fallbacks remove ${retired}`);
    const metrics = readFileSync(textfile, 'utf8');
    expect(metrics).toContain(`authwatch_model_exists{agent="main",provider="anthropic",role="fallback",model="${retired}"} 0`);
    expect(metrics).toContain('authwatch_model_exists{agent="main",provider="anthropic",role="model",model="anthropic/claude-opus-4-6"} 1');
    await check(home, NOW + 2 * MIN, ['--send']);
    expect(told(), 'told once, not on every run').toHaveLength(1);
    // Within the interval the kept answers serve: no second lookup.
    expect(lookups(providers.seen)).toHaveLength(3);
    // An hour on, the provider's model API is down: still missing (not resolved, not told again).
    providers.failLookups = true;
    const down = await checkJson(home, NOW + 2 * 3_600_000);
    expect(lookups(providers.seen)).toHaveLength(6);
    expect(down.models[`fallback ${retired}`]).toMatchObject({ verdict: 'missing', httpStatus: 503 });
    expect(down.models[`fallback ${retired}`]!.message).toContain('not found when last answered; the latest lookup was inconclusive: provider unavailable (503)');
    expect(down.models['model anthropic/claude-opus-4-6']).toMatchObject({ verdict: 'inconclusive' });
    await check(home, NOW + 2 * 3_600_000 + MIN, ['--send']);
    expect(told()).toHaveLength(1);
    providers.failLookups = false;

    // Removed from the chain: resolved, and the run is clean again.
    writeFiles(home, openclawJson({ model: { primary: 'anthropic/claude-opus-4-6', fallbacks: ['openai/gpt-6-astra'] } }));
    const fixed = await check(home, NOW + 2 * 3_600_000 + 2 * MIN, ['--send']);
    expect(fixed.code, fixed.stdout).toBe(0);
    expect(told()).toHaveLength(2);
    expect(told()[1]!.body).toMatch(/resolved/i);
    expect(readFileSync(join(home, '.local/state/authwatch/live.json'), 'utf8')).not.toContain(MARKER);
  }, 60_000);

  it('a lookup that fails, a 404 that is not the provider\'s JSON and a model list that fails are inconclusive, never a finding', async () => {
    const providers = await startProviders();
    const hook = await startSink();
    const config = { ...liveConfig(providers.url), channels: [{ type: 'webhook', name: 'hook', url: `${hook.url}/hook` }] };
    const defaults = { model: { primary: 'anthropic/claude-opus-4-6', fallbacks: [retired, 'openai/gpt-retired-1', 'deepseek/deepseek-retired', 'groq/o'] } };
    const home = homeWith(
      { 'anthropic:default': apiKey('anthropic', 'lookupfails', '1'), 'openai:default': apiKey('openai', 'html404', '2'), 'deepseek:default': apiKey('deepseek', 'listfails', '3'), 'groq:default': apiKey('groq', 'bare404', '4') },
      defaults,
      config,
    );
    const run = await checkJson(home, NOW);
    // `groq/o`: a bare "Not Found" whose words happen to hold the id's letter is no answer about it.
    for (const ref of ['model anthropic/claude-opus-4-6', `fallback ${retired}`, 'fallback openai/gpt-retired-1', 'fallback deepseek/deepseek-retired', 'fallback groq/o']) {
      expect({ ref, verdict: run.models[ref]?.verdict }).toEqual({ ref, verdict: 'inconclusive' });
    }
    expect(run.models[`fallback ${retired}`]!.message).toContain('provider unavailable (503)');
    expect(run.models['fallback openai/gpt-retired-1']!.message).toContain('unexpected answer 404');
    expect(run.code, run.stdout).toBe(0);
    // The lookups were made (the credentials' own checks work), and nobody was told anything.
    expect(lookups(providers.seen).map((s) => s.path).sort()).toEqual(['/models', '/openai/v1/models/o', '/v1/models/claude-3-opus-20240229', '/v1/models/claude-opus-4-6', '/v1/models/gpt-retired-1']);
    await check(home, NOW + MIN, ['--send']);
    expect(hook.requests).toHaveLength(0);
  }, 60_000);

  it('per agent: an agent\'s own retired primary and the heartbeat\'s retired model are findings under each agent that runs them (exit 1)', async () => {
    const providers = await startProviders();
    const agents = {
      defaults: { model: { primary: 'anthropic/claude-opus-4-6' }, heartbeat: { every: '30m', model: 'anthropic/claude-3-haiku-20240307' } },
      list: [{ id: 'main', default: true }, { id: 'work', model: 'openai/gpt-retired-2' }],
    };
    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': apiKey('anthropic', 'works', '1'), 'openai:default': apiKey('openai', 'works', '2') } } },
      '.config/authwatch/config.json5': { json: liveConfig(providers.url) },
      '.openclaw/openclaw.json': { json: { agents } },
    });
    // Slow answers: the lookups would overlap if the concurrency cap (2) did not hold them.
    providers.delayMs = 300;
    const result = await check(home, NOW, ['--json']);
    expect(providers.maxInFlight).toBe(2);
    const json = JSON.parse(result.stdout) as Json;
    const found = json.providers.flatMap((p) => p.models.filter((m) => m.check?.verdict === 'missing').map((m) => `${p.agent} ${m.role} ${m.ref}`)).sort();
    expect(found).toEqual(['main heartbeat model anthropic/claude-3-haiku-20240307', 'work heartbeat model anthropic/claude-3-haiku-20240307', 'work model openai/gpt-retired-2']);
    const work = json.providers.find((p) => p.agent === 'work' && p.provider === 'openai')!;
    expect(work.models).toEqual([{ role: 'model', ref: 'openai/gpt-retired-2', id: 'gpt-retired-2', check: expect.objectContaining({ verdict: 'missing', message: "The model 'gpt-retired-2' does not exist", checkedWith: 'openai:default' }) }]);
    expect(result.code).toBe(1);
    // One lookup per credential and model, however many agents run it.
    expect(lookups(providers.seen).map((s) => s.path).sort()).toEqual(['/v1/models/claude-3-haiku-20240307', '/v1/models/claude-opus-4-6', '/v1/models/gpt-retired-2']);
    const table = await check(home, NOW + MIN);
    expect(table.stdout).toContain('fix: openclaw config set agents.defaults.heartbeat.model <a model that exists>');
    expect(table.stdout).toContain("fix: openclaw models set <a model that exists> (for the agent work: its own setting in openclaw.json's agents list, when it has one)");
  }, 30_000);

  it('a provider quoting the key back in its "not found" never gets it into any output, alert or kept file', async () => {
    const providers = await startProviders();
    const hook = await startSink();
    const config = { ...liveConfig(providers.url), channels: [{ type: 'webhook', name: 'hook', url: `${hook.url}/hook` }] };
    const home = homeWith({ 'anthropic:default': apiKey('anthropic', 'echomodel', '1') }, { model: { primary: retired } }, config);
    const textfile = join(home, 'metrics.prom');
    const run = await checkJson(home, NOW);
    expect(run.models[`model ${retired}`]).toMatchObject({ verdict: 'missing', httpStatus: 404 });
    expect(run.models[`model ${retired}`]!.message).toContain('model: claude-3-opus-20240229; you sent');
    await check(home, NOW + MIN, ['--send', '--textfile', textfile, '--log-level', 'trace']);
    expect(hook.requests.length).toBeGreaterThan(0);
    for (const text of [...hook.requests.map((r) => r.body), readFileSync(textfile, 'utf8'), readFileSync(join(home, '.local/state/authwatch/live.json'), 'utf8')]) expect(text).not.toContain(MARKER);
  }, 30_000);

  it('a model list (DeepSeek) tells a listed model from one it no longer has', async () => {
    const providers = await startProviders();
    const defaults = { model: { primary: 'deepseek/deepseek-chat', fallbacks: ['deepseek/deepseek-coder'] } };
    const home = homeWith({ 'deepseek:default': apiKey('deepseek', 'works', '1') }, defaults, liveConfig(providers.url));
    const run = await checkJson(home, NOW);
    expect(run.models['model deepseek/deepseek-chat']).toMatchObject({ verdict: 'exists', httpStatus: 200 });
    expect(run.models['fallback deepseek/deepseek-coder']).toMatchObject({ verdict: 'missing', message: "not in the provider's model list (2 models)" });
    expect(run.code).toBe(2);
  }, 30_000);

  it('OpenRouter: a model\'s endpoints tell one that exists from a retired one; its routers, variants and an idle model are no finding', async () => {
    const providers = await startProviders();
    const defaults = {
      model: { primary: 'openrouter/anthropic/claude-opus-4-6', fallbacks: ['openrouter/meta-llama/llama-2-13b-chat', 'openrouter/auto', 'openrouter/openai/gpt-6-astra:free', 'openrouter/nobody/idle'] },
    };
    const home = homeWith({ 'openrouter:default': apiKey('openrouter', 'works', '1') }, defaults, liveConfig(providers.url));
    const run = await checkJson(home, NOW);
    expect(run.models['model openrouter/anthropic/claude-opus-4-6']).toMatchObject({ verdict: 'exists', httpStatus: 200, checkedWith: 'openrouter:default' });
    expect(run.models['fallback openrouter/meta-llama/llama-2-13b-chat']).toMatchObject({ verdict: 'missing', httpStatus: 404, message: 'Resource not found' });
    expect(run.models['fallback openrouter/auto']).toMatchObject({ verdict: 'not-checkable', message: 'openrouter/auto cannot be looked up by id at openrouter' });
    expect(run.models['fallback openrouter/openai/gpt-6-astra:free']).toMatchObject({ verdict: 'not-checkable' });
    expect(run.models['fallback openrouter/nobody/idle']).toMatchObject({ verdict: 'inconclusive', message: 'listed, but no provider serves it now' });
    expect(lookups(providers.seen).map((s) => s.path).sort()).toEqual([
      '/api/v1/models/anthropic/claude-opus-4-6/endpoints',
      '/api/v1/models/meta-llama/llama-2-13b-chat/endpoints',
      '/api/v1/models/nobody/idle/endpoints',
    ]);
    expect(run.code).toBe(2);
    // A 404 that is not OpenRouter's own error shape (a proxy's) says nothing about the model.
    const proxied = homeWith({ 'openrouter:default': apiKey('openrouter', 'bare404', '2') }, { model: { primary: 'openrouter/meta-llama/llama-2-13b-chat' } }, liveConfig(providers.url));
    const bare = await checkJson(proxied, NOW);
    expect(bare.models['model openrouter/meta-llama/llama-2-13b-chat']).toMatchObject({ verdict: 'inconclusive' });
    expect(bare.code).toBe(0);
  }, 30_000);

  it('a credential kind with no model list is "not checkable", and nothing is sent for it', async () => {
    const providers = await startProviders();
    const defaults = { model: { primary: 'anthropic/claude-opus-4-6' } };
    const oauth = { type: 'oauth', provider: 'anthropic', access: secret('works'), refresh: `refresh-${MARKER}`, expires: NOW + 30 * 86_400_000 };
    const home = homeWith({ 'anthropic:login': oauth }, defaults, liveConfig(providers.url));
    const run = await checkJson(home, NOW);
    expect(run.models['model anthropic/claude-opus-4-6']).toMatchObject({ verdict: 'not-checkable', checkedWith: 'anthropic:login' });
    expect(run.models['model anthropic/claude-opus-4-6']!.message).toBe('no zero-token model list known for anthropic oauth');
    expect(lookups(providers.seen)).toEqual([]);
    expect(run.code).toBe(0);
    // A key written into openclaw.json serves the route: the live checks never hold it.
    const keyed = makeHome({
      '.config/authwatch/config.json5': { json: liveConfig(providers.url) },
      '.openclaw/openclaw.json': { json: { agents: { defaults: { model: { primary: 'openai/gpt-retired-3' } } }, models: { providers: { openai: { apiKey: secret('works', 'cfg') } } } } },
    });
    const config = await checkJson(keyed, NOW);
    expect(config.models['model openai/gpt-retired-3']).toMatchObject({ verdict: 'not-checkable', message: 'served by a key the live checks do not hold (openclaw.json)' });
    expect(lookups(providers.seen)).toEqual([]);
    // A provider the gateway sends to a base URL of its own (a proxy, a local server) has models of its own.
    const proxied = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': apiKey('anthropic', 'works', '1') } } },
      '.config/authwatch/config.json5': { json: liveConfig(providers.url) },
      '.openclaw/openclaw.json': { json: { agents: { defaults: { model: { primary: 'anthropic/house-model-7b' } } }, models: { providers: { anthropic: { baseUrl: 'http://127.0.0.1:9/v1', models: [] } } } } },
    });
    const own = await checkJson(proxied, NOW);
    expect(own.models['model anthropic/house-model-7b']).toMatchObject({ verdict: 'not-checkable', message: 'the gateway sends anthropic to its own base URL (models.providers.anthropic.baseUrl in openclaw.json)' });
    expect(lookups(providers.seen)).toEqual([]);
    expect(own.code).toBe(0);
  }, 30_000);

  it('without live checks nothing is looked up', async () => {
    const providers = await startProviders();
    const home = homeWith({ 'anthropic:default': apiKey('anthropic', 'works', '1') }, { model: { primary: retired } }, {});
    const run = await checkJson(home, NOW);
    expect(run.models[`model ${retired}`]).toBeNull();
    expect(providers.seen).toEqual([]);
    expect(run.code).toBe(0);
  }, 30_000);
});

const openclaw = findOpenclaw();

describe.runIf(openclaw !== null)('a chain written by the real OpenClaw CLI, and its fix', () => {
  it('`openclaw models fallbacks add` takes a retired model unchecked; authwatch finds it; `openclaw models fallbacks remove` resolves it', async () => {
    const providers = await startProviders();
    const hook = await startSink();
    const config = { ...liveConfig(providers.url), channels: [{ type: 'webhook', name: 'hook', url: `${hook.url}/hook` }] };
    const home = makeHome({ '.config/authwatch/config.json5': { json: config } });
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TZ: 'UTC', NO_COLOR: '1', OPENCLAW_OFFLINE: '1', OPENCLAW_NO_AUTO_UPDATE: '1', OPENCLAW_NO_RESPAWN: '1', DO_NOT_TRACK: '1' };
    const cli = async (args: string[], stdin = '') => {
      const result = await runProcess(openclaw!, args, { env, stdin, timeoutMs: 600_000 });
      expect(result.code, `openclaw ${args.join(' ')}: ${result.stderr.slice(-400)}`).toBe(0);
    };
    // The key goes into OpenClaw's state database, where the gateway reads it.
    await cli(['models', 'auth', 'paste-api-key', '--provider', 'anthropic'], `${secret('works', '1')}\n`);
    await cli(['models', 'set', 'anthropic/claude-opus-4-6']);
    await cli(['models', 'fallbacks', 'add', retired]);
    const found = await check(home, NOW, ['--send']);
    expect(found.code, found.stdout).toBe(2);
    expect(found.stdout).toContain('with anthropic:manual');
    expect(found.stdout).toContain(`fix: openclaw models fallbacks remove ${retired}`);
    const told = () => hook.requests.filter((r) => r.body.includes('model:anthropic/claude-3-opus-20240229'));
    expect(told()).toHaveLength(1);
    // The fix authwatch names, run as it says.
    await cli(['models', 'fallbacks', 'remove', retired]);
    const fixed = await check(home, NOW + MIN, ['--send']);
    expect(fixed.code, fixed.stdout).toBe(0);
    expect(told()).toHaveLength(2);
    expect(told()[1]!.body).toMatch(/resolved/i);
  }, 1_800_000);
});
