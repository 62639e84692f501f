import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate/evaluate.js';
import { policyFromConfig } from '../src/evaluate/policy.js';
import { buildReport } from '../src/evaluate/report.js';
import { buildRoutes, describeRoute, routeCoverage, type RouteInputs } from '../src/evaluate/routes.js';
import { defaultConfig } from '../src/config/defaults.js';
import type { Config } from '../src/config/schema.js';
import { makeProfile, type Profile, type UsageFacts } from '../src/sources/source.js';
import { HOUR, NOW } from './helpers/clock.js';

const path = '/h/.openclaw/state/openclaw.sqlite';
const profile = (id: string, fields: Partial<Profile> = {}) => makeProfile({ id, provider: id.split(':')[0]!, source: 'openclaw-db', type: 'token', path, ...fields });
const policy = (mode: 'authwatch' | 'openclaw' = 'authwatch') => policyFromConfig(defaultConfig() as Config, undefined, mode);

/** `usage` as the store's usageStats: each profile of the store gets its own entry, as the store readers give it. */
function routesOf(profiles: Profile[], usage: Record<string, UsageFacts> = {}, order: Record<string, string[]> = {}, mode: 'authwatch' | 'openclaw' = 'authwatch', extra: Partial<RouteInputs> = {}) {
  const withUsage = profiles.map((p) => (p.path === path && Object.hasOwn(usage, p.id) ? { ...p, usage: usage[p.id]! } : p));
  const evaluations = withUsage.map((p) => evaluate(p, NOW, policy(mode)));
  const inlineKeys = Object.fromEntries(Object.entries(usage).filter(([id]) => id.startsWith('inline-api-key:')));
  return buildRoutes({
    mode,
    uses: [{ provider: 'anthropic', model: 'anthropic/claude-opus-4-6', role: 'model' }],
    evaluations,
    visits: [{ name: 'openclaw-db', path, found: true, ok: true, error: null, authStore: { order, inlineKeys } }],
    auth: { order: {}, profiles: {} },
    configKeys: new Set(),
    agent: null,
    changes: new Map(),
    now: NOW,
    ...extra,
  });
}

describe('routes', () => {
  it("a profile's row and its route decide its window by one rule (OpenClaw's usage-state: openrouter never cools down; a block counts)", () => {
    const routeAndRow = (p: Profile, usage: UsageFacts, provider: string) => {
      const [route] = routesOf([p], { [p.id]: usage }, {}, 'authwatch', { uses: [{ provider, model: `${provider}/some-model`, role: 'model' }] });
      return { verdict: route!.verdict, windows: route!.windows.map((w) => w.kind), window: route!.windows[0], row: evaluate({ ...p, usage }, NOW, policy()).detail };
    };
    expect(routeAndRow(profile('openrouter:default', { type: 'api_key' }), { cooldownUntil: NOW + HOUR, cooldownReason: 'rate_limit' }, 'openrouter')).toEqual({ verdict: 'serving', windows: [], window: undefined, row: 'no expiry' });
    // The window's facts come from the same rule: its reason, its model scope, and when the failure that opened it was recorded (block-evidence weighs the live answer against that).
    const blocked = routeAndRow(profile('anthropic:default', { type: 'api_key' }), { blockedUntil: NOW + HOUR, blockedReason: 'policy', lastFailureAt: NOW - HOUR }, 'anthropic');
    expect(blocked).toMatchObject({ verdict: 'unavailable', windows: ['blocked'], window: { reason: 'policy', model: null, since: NOW - HOUR, evidence: null } });
    expect(blocked.row).toMatch(/^no expiry; blocked until \d{4}-\d{2}-\d{2} \d{2}:\d{2} [+-]\d{2}:\d{2} \(policy\)$/);
    // A rate-limit cooldown of another model keeps the route's model in service; the row says it, scoped, as `models status` counts it.
    const otherModel = routeAndRow(profile('anthropic:default', { type: 'api_key' }), { cooldownUntil: NOW + HOUR, cooldownReason: 'rate_limit', cooldownModel: 'claude-haiku-4-5' }, 'anthropic');
    expect(otherModel).toMatchObject({ verdict: 'serving', windows: [] });
    expect(otherModel.row).toMatch(/^no expiry; in cooldown until .* for claude-haiku-4-5 \(rate_limit\)$/);
    const ownModel = routeAndRow(profile('anthropic:default', { type: 'api_key' }), { cooldownUntil: NOW + HOUR, cooldownReason: 'rate_limit', cooldownModel: 'some-model' }, 'anthropic');
    expect(ownModel).toMatchObject({ verdict: 'unavailable', window: { kind: 'cooldown', reason: 'rate_limit', model: 'some-model', since: null } });
  });

  it('an env key does not rescue a route whose order holds an eligible profile, in cooldown or not (selectProviderModelAuthSources: ambient keys only without one)', () => {
    const env = makeProfile({ id: 'env:ANTHROPIC_API_KEY', provider: 'anthropic', source: 'env', type: 'api_key' });
    const cooling = { 'anthropic:default': { cooldownUntil: NOW + HOUR, cooldownReason: 'billing' } };
    expect(routesOf([profile('anthropic:default'), env], cooling, {}, 'openclaw')[0]).toMatchObject({ verdict: 'unavailable', serving: null, status: 'missing' });
    expect(routesOf([profile('anthropic:default'), env], cooling)[0]).toMatchObject({ verdict: 'unavailable', serving: null, recoversAt: NOW + HOUR });
    // An expired token is no eligible profile: then the env key serves.
    expect(routesOf([profile('anthropic:default', { expiresAt: NOW - HOUR }), env], {}, {}, 'openclaw')[0]).toMatchObject({ serving: { id: 'env:ANTHROPIC_API_KEY' } });
  });

  it('an explicit order (an empty one too) with no available profile is rejected before any key; a literal openclaw.json key rescues an implicit one', () => {
    const env = makeProfile({ id: 'env:ANTHROPIC_API_KEY', provider: 'anthropic', source: 'env', type: 'api_key' });
    for (const mode of ['openclaw', 'authwatch'] as const) {
      expect(routesOf([env], {}, { anthropic: [] }, mode)[0], mode).toMatchObject({ verdict: 'unavailable', serving: null });
      expect(routesOf([profile('anthropic:default', { expiresAt: NOW - HOUR }), env], {}, { anthropic: ['anthropic:default'] }, mode)[0], mode).toMatchObject({ serving: null });
      expect(routesOf([profile('anthropic:default', { expiresAt: NOW - HOUR })], {}, {}, mode, { configKeys: new Set(['anthropic']) })[0], mode).toMatchObject({ serving: { id: 'config:models.providers.anthropic.apiKey' } });
    }
  });

  it('a ${VAR} or SecretRef config key owns the route: profiles are not consulted, only its inline-api-key window keeps it out', () => {
    const expired = profile('anthropic:default', { expiresAt: NOW - HOUR });
    const owned = { configKeys: new Set(['anthropic']), ownedConfigKeys: new Set(['anthropic']) };
    for (const mode of ['openclaw', 'authwatch'] as const) {
      const route = routesOf([expired], {}, { anthropic: ['anthropic:default'] }, mode, owned)[0]!;
      expect(route, mode).toMatchObject({ verdict: 'serving', serving: { id: 'config:models.providers.anthropic.apiKey' }, steps: [] });
      const cooling = { 'inline-api-key:anthropic': { cooldownUntil: NOW + HOUR, cooldownReason: 'billing' } };
      expect(routesOf([expired], cooling, {}, mode, owned)[0], mode).toMatchObject({ verdict: 'unavailable', recoversAt: NOW + HOUR });
    }
  });

  it('--policy openclaw: a refreshable OAuth login with a stale access token is indeterminate: selected, so the route is unavailable, unless a ready profile follows; no env key steps in', () => {
    const env = makeProfile({ id: 'env:ANTHROPIC_API_KEY', provider: 'anthropic', source: 'env', type: 'api_key' });
    const stale = profile('anthropic:me', { type: 'oauth', refreshable: true, secret: 'present', expiresAt: NOW - HOUR });
    // models status selects it and cannot confirm it: the route is one it cannot serve.
    const selected = routesOf([stale, env], {}, {}, 'openclaw')[0]!;
    expect(selected).toMatchObject({ verdict: 'unavailable', serving: null, status: 'missing' });
    expect(selected.steps[0]).toMatchObject({ evaluation: { profile: { id: 'anthropic:me' } }, selectable: true, readiness: 'unknown' });
    expect(routesOf([stale, profile('anthropic:key', { type: 'api_key' })], {}, { anthropic: ['anthropic:me', 'anthropic:key'] }, 'openclaw')[0]).toMatchObject({ serving: { id: 'anthropic:key' }, status: 'ok' });
    // Without a refresh token it is unavailable, and an explicit order with nothing else is rejected.
    const dead = profile('anthropic:me', { type: 'oauth', refreshable: false, secret: 'present', expiresAt: NOW - HOUR });
    expect(routesOf([dead, env], {}, { anthropic: ['anthropic:me'] }, 'openclaw')[0]).toMatchObject({ verdict: 'unavailable' });
  });

  it('--policy openclaw: an openai text model needs the codex runtime (unavailable whatever the key); an openai image model does not', () => {
    const env = makeProfile({ id: 'env:OPENAI_API_KEY', provider: 'openai', source: 'env', type: 'api_key' });
    const [text] = routesOf([env], {}, {}, 'openclaw', { uses: [{ provider: 'openai', model: 'openai/gpt-6-astra', role: 'default model' }] });
    expect(text).toMatchObject({ verdict: 'unavailable', serving: null, status: 'missing' });
    expect(describeRoute(text!)).toBe('unavailable, needs the codex runtime, which no bundled OpenClaw plugin provides');
    expect(routesOf([env], {}, {}, 'openclaw', { uses: [{ provider: 'openai', model: 'openai/gpt-image-2', role: 'image model' }] })[0]!.status).toBe('ok');
    expect(routesOf([env], {}, {}, 'authwatch', { uses: [{ provider: 'openai', model: 'openai/gpt-6-astra', role: 'model' }] })[0]!.verdict).toBe('serving');
  });

  it('--policy openclaw: an image-only route counts availability, not the profile expiring (a text use does)', () => {
    const expiring = [profile('anthropic:t', { expiresAt: NOW + 2 * HOUR })];
    expect(routesOf(expiring, {}, {}, 'openclaw', { uses: [{ provider: 'anthropic', model: 'anthropic/x', role: 'image fallback' }] })[0]!.status).toBe('ok');
    expect(routesOf(expiring, {}, {}, 'openclaw')[0]!.status).toBe('expiring');
  });

  it('the only profile disabled for billing: unavailable until it recovers, exit 1', () => {
    const [route] = routesOf([profile('anthropic:work')], { 'anthropic:work': { disabledUntil: NOW + HOUR, disabledReason: 'billing' } });
    expect(route).toMatchObject({ verdict: 'unavailable', recoversAt: NOW + HOUR, status: 'missing', serving: null });
    expect(route!.windows).toEqual([{ profile: 'anthropic:work', kind: 'disabled', reason: 'billing', model: null, until: NOW + HOUR, since: null, credentialChangedAt: null, evidence: null }]);
    expect(describeRoute(route!)).toMatch(/^unavailable, recovers .*\(anthropic:work disabled: billing until /);
  });

  it('a billing disable earned before the credential was replaced is stale; one the new credential earned is not', () => {
    const disabled = (lastFailureAt?: number) => ({ 'anthropic:work': { disabledUntil: NOW + HOUR, disabledReason: 'billing', ...(lastFailureAt === undefined ? {} : { lastFailureAt }) } });
    // authwatch last saw the old key at NOW - 30 min, the new one at NOW - 15 min.
    const changes = new Map([[`openclaw-db ${path} -/anthropic:work`, { changedAt: NOW - 15 * 60_000, changedAfter: NOW - 30 * 60_000 }]]);
    const stale = routesOf([profile('anthropic:work')], disabled(NOW - 2 * HOUR), {}, 'authwatch', { changes })[0]!;
    expect(stale.windows[0]!.credentialChangedAt).toBe(NOW - 15 * 60_000);
    expect(stale).toMatchObject({ verdict: 'unavailable', status: 'missing' });
    expect(describeRoute(stale)).toMatch(/anthropic:work disabled: billing until [^,]+, stale: set before its credential changed \(seen 2026-11-24 11:45 \+00:00\)\)$/);
    // The failure came after the old key was last seen: it may be the new key's own.
    expect(routesOf([profile('anthropic:work')], disabled(NOW - 20 * 60_000), {}, 'authwatch', { changes })[0]!.windows[0]!.credentialChangedAt).toBeNull();
    // A window with no failure time cannot be dated; no change seen: nothing to say.
    expect(routesOf([profile('anthropic:work')], disabled(), {}, 'authwatch', { changes })[0]!.windows[0]!.credentialChangedAt).toBeNull();
    expect(routesOf([profile('anthropic:work')], disabled(NOW - 2 * HOUR))[0]!.windows[0]!.credentialChangedAt).toBeNull();
  });

  it('recovers when the soonest window of a live credential ends: an expired login in a shorter window does not count', () => {
    const usage = { 'anthropic:old': { cooldownUntil: NOW + HOUR, cooldownReason: 'rate_limit' }, 'anthropic:live': { cooldownUntil: NOW + 3 * HOUR, cooldownReason: 'rate_limit' } };
    // An OAuth login past its expiry with no refresh token is still tried (only a token is skipped as expired).
    const [route] = routesOf([profile('anthropic:old', { type: 'oauth', expiresAt: NOW - HOUR }), profile('anthropic:live', { expiresAt: NOW + 30 * 24 * HOUR })], usage, { anthropic: ['anthropic:old', 'anthropic:live'] });
    expect(route!.steps.map((s) => [s.evaluation.status, s.ineligible, s.window?.until])).toEqual([['expired', null, NOW + HOUR], ['ok', null, NOW + 3 * HOUR]]);
    expect(route).toMatchObject({ verdict: 'unavailable', recoversAt: NOW + 3 * HOUR });
  });

  it('runs dry at the latest expiry of the usable credentials; never while a refreshable login serves, but for --policy openclaw', () => {
    const token = profile('anthropic:token', { expiresAt: NOW + 10 * 24 * HOUR });
    const later = profile('anthropic:later', { expiresAt: NOW + 20 * 24 * HOUR });
    const login = profile('anthropic:login', { type: 'oauth', refreshable: true, expiresAt: NOW + 5 * 24 * HOUR });
    expect(routesOf([token, later])[0]!.expiresAt).toBe(NOW + 20 * 24 * HOUR);
    expect(routesOf([token, login])[0]!.expiresAt).toBeNull();
    expect(routesOf([token, login], {}, {}, 'openclaw')[0]!.expiresAt).toBe(NOW + 10 * 24 * HOUR);
  });

  it('explicit order whose first profile is in cooldown: on fallback, naming both', () => {
    const [route] = routesOf([profile('anthropic:work'), profile('anthropic:default', { type: 'api_key' })], { 'anthropic:work': { cooldownUntil: NOW + HOUR, cooldownReason: 'overloaded' } }, { anthropic: ['anthropic:work', 'anthropic:default'] });
    expect(route).toMatchObject({ verdict: 'on-fallback', serving: { id: 'anthropic:default', status: 'ok' }, fallbackFrom: { profile: 'anthropic:work' }, status: 'expiring' });
    expect(describeRoute(route!)).toMatch(/^on fallback anthropic:default \(anthropic:work cooldown: overloaded until /);
  });

  it('type ranking then lastUsed without an order; a model-scoped cooldown of another model does not count', () => {
    const [route] = routesOf(
      [profile('anthropic:key', { type: 'api_key' }), profile('anthropic:b'), profile('anthropic:a')],
      { 'anthropic:a': { lastUsed: 5 }, 'anthropic:b': { lastUsed: 1, cooldownUntil: NOW + HOUR, cooldownReason: 'rate_limit', cooldownModel: 'other-model' } },
    );
    expect(route!.steps.map((s) => s.evaluation.profile.id)).toEqual(['anthropic:b', 'anthropic:a', 'anthropic:key']);
    expect(route).toMatchObject({ verdict: 'serving', serving: { id: 'anthropic:b' } });
  });

  it('openrouter never cools down; an expired token is ineligible and the env key serves', () => {
    const [open] = routesOf([profile('openrouter:x', { type: 'api_key' })], { 'openrouter:x': { cooldownUntil: NOW + HOUR } }, {}, 'authwatch', {
      uses: [{ provider: 'openrouter', model: 'openrouter/x', role: 'model' }],
    });
    expect(open!.verdict).toBe('serving');
    const env = makeProfile({ id: 'env:ANTHROPIC_API_KEY', provider: 'anthropic', source: 'env', type: 'api_key' });
    const [route] = routesOf([profile('anthropic:old', { expiresAt: NOW - HOUR }), env], {}, {}, 'openclaw');
    expect(route!.steps[0]!.ineligible).toBe('expired');
    expect(route).toMatchObject({ verdict: 'serving', serving: { id: 'env:ANTHROPIC_API_KEY' }, status: 'ok' });
  });

  it('--policy openclaw: only the selected profile counts; an expired OAuth access token is not available', () => {
    const oauth = profile('anthropic:o', { type: 'oauth', refreshable: true, expiresAt: NOW - HOUR });
    expect(routesOf([oauth], {}, {}, 'openclaw')[0]!.status).toBe('missing');
    expect(routesOf([oauth, profile('anthropic:t', { expiresAt: NOW + 100 * HOUR })], {}, {}, 'openclaw')[0]!.status).toBe('ok');
    expect(routesOf([profile('anthropic:t', { expiresAt: NOW + 2 * HOUR })], {}, {}, 'openclaw')[0]!.status).toBe('expiring');
    // A config key in its inline-api-key cooldown does not serve.
    const [inline] = routesOf([], { 'inline-api-key:anthropic': { cooldownUntil: NOW + HOUR } }, {}, 'openclaw', { configKeys: new Set(['anthropic']) });
    expect(inline).toMatchObject({ verdict: 'unavailable', recoversAt: NOW + HOUR });
  });

  it('time left: the latest expiry among usable credentials', () => {
    const [route] = routesOf([profile('anthropic:a', { expiresAt: NOW + 2 * HOUR }), profile('anthropic:b', { expiresAt: NOW + 5 * HOUR })]);
    expect(route!.expiresAt).toBe(NOW + 5 * HOUR);
  });

  it('a report: unused rows are marked and set no exit code; route rows carry what profiles do not say', () => {
    const evaluations = [profile('openai:old', { expiresAt: NOW - HOUR }), profile('anthropic:work')].map((p) => evaluate(p, NOW, policy()));
    const routes = routesOf([profile('anthropic:work')], { 'anthropic:work': { disabledUntil: NOW + HOUR, disabledReason: 'billing' } });
    const report = buildReport(evaluations, [], [], NOW, { routes, unused: (e) => e.profile.provider === 'openai' });
    expect(report.evaluations[0]).toMatchObject({ unused: true, status: 'expired' });
    expect(report.exitCode).toBe(1);
    expect(report.alertRows.map((e) => e.profile.id)).toEqual(['anthropic:work', 'route:anthropic']);
    const quiet = buildReport(evaluations, [], [], NOW, { routes: routesOf([profile('anthropic:work')]), unused: (e) => e.profile.provider === 'openai' });
    expect(quiet.exitCode).toBe(0);
  });

  it('per agent: its own profiles first (an id it shares with main is its own), then main, shared and env ones; never another agent\'s', () => {
    const store = (agent: string | null) => `/h/.openclaw/agents/${agent ?? 'shared'}/agent/auth-profiles.json`;
    const at = (id: string, agent: string | null, fields: Partial<Profile> = {}) => makeProfile({ id, provider: id.split(':')[0]!, source: 'openclaw', type: 'api_key', agent, path: store(agent), ...fields });
    const profiles = [
      at('anthropic:default', 'main'),
      at('anthropic:shared', null),
      makeProfile({ id: 'env:ANTHROPIC_API_KEY', provider: 'anthropic', source: 'env', type: 'api_key' }),
      at('anthropic:other', 'other'),
      at('anthropic:default', 'work', { type: 'token' }),
      at('openai:work', 'work'),
    ];
    const routes = routesOf(profiles, {}, {}, 'authwatch', { uses: (owner, stored) => stored.map((provider) => ({ provider, model: '', role: `stored by ${owner}` })) });
    const of = (agent: string, provider = 'anthropic') => routes.find((r) => r.agent === agent && r.provider === provider)!;
    const steps = (agent: string) => of(agent).steps.map((s) => `${s.evaluation.profile.id}@${s.evaluation.profile.agent}`);
    expect(steps('work')).toEqual(['anthropic:default@work', 'anthropic:shared@null']);
    expect(of('work').keys.map((k) => k.id)).toEqual(['env:ANTHROPIC_API_KEY']);
    expect(steps('main')).toEqual(['anthropic:default@main', 'anthropic:shared@null']);
    expect(steps('other')).toEqual(['anthropic:other@other', 'anthropic:default@main', 'anthropic:shared@null']);
    expect(routes.filter((r) => r.provider === 'openai').map((r) => r.agent)).toEqual(['work']);
    // Without agents the shared store owns the route; a Claude Code login is no gateway credential.
    const claude = makeProfile({ id: 'anthropic:claude-cli', provider: 'anthropic', source: 'claude-code', type: 'oauth' });
    expect(routesOf([claude, profile('anthropic:db')])[0]!.steps.map((s) => s.evaluation.profile.id)).toEqual(['anthropic:db']);
    const covered = routeCoverage(routes.filter((r) => r.agent !== 'work'));
    expect(profiles.map((p) => covered(evaluate(p, NOW, policy())))).toEqual([true, true, true, true, false, false]);
  });
});

describe('routes: model-scoped windows', () => {
  it('compare with the model id the gateway calls (google/gemini-3-flash runs as gemini-3-flash-preview; anthropic opus-4.6 as claude-opus-4-6)', () => {
    const gemini = makeProfile({ id: 'google:default', provider: 'google', source: 'openclaw-db', type: 'api_key', path });
    const window = { 'google:default': { cooldownUntil: NOW + HOUR, cooldownReason: 'rate_limit', cooldownModel: 'gemini-3-flash-preview' } };
    const uses = [{ provider: 'google', model: 'google/gemini-3-flash', role: 'model' }];
    expect(routesOf([gemini], window, {}, 'openclaw', { uses })[0]).toMatchObject({ verdict: 'unavailable' });
    const opus = { 'anthropic:default': { cooldownUntil: NOW + HOUR, cooldownReason: 'rate_limit', cooldownModel: 'claude-opus-4-6' } };
    expect(routesOf([profile('anthropic:default')], opus, {}, 'openclaw', { uses: [{ provider: 'anthropic', model: 'anthropic/opus-4.6', role: 'model' }] })[0]).toMatchObject({ verdict: 'unavailable' });
  });
});

describe('routes: every agent the gateway runs (issue 26 §1)', () => {
  const workDb = '/h/.openclaw/agents/work/agent/openclaw-agent.sqlite';
  const visits = [
    { name: 'openclaw-db', path, found: true, ok: true, error: null, authStore: { order: {}, inlineKeys: {} } },
    { name: 'openclaw-db', path: workDb, found: true, ok: true, error: null, authStore: { order: {}, inlineKeys: {} } },
  ];
  const judge = (profiles: Profile[], uses: RouteInputs['uses'], agents: string[]) => {
    const evaluations = profiles.map((p) => evaluate(p, NOW, policy()));
    const routes = buildRoutes({ mode: 'authwatch', uses, evaluations, visits, auth: { order: {}, profiles: {} }, configKeys: new Set(), agent: null, agents, changes: new Map(), now: NOW });
    const covered = routeCoverage(routes);
    return { routes, report: buildReport(evaluations, visits, [], NOW, { routes, unused: (e) => !covered(e) }) };
  };

  const byAgent = (owner: string | null) => (owner === 'work' ? [{ provider: 'openai', model: 'openai/gpt-5.4', role: 'model' }] : [{ provider: 'anthropic', model: 'anthropic/claude-opus-4-6', role: 'model' }]);

  it("the main agent's expired shared-store token is judged once another agent has a store (and a model) of its own: exit 1, not 0", () => {
    const mainToken = profile('anthropic:manual', { expiresAt: NOW - HOUR });
    const workKey = profile('openai:manual', { type: 'api_key', agent: 'work', path: workDb });
    const { routes, report } = judge([mainToken, workKey], byAgent, ['main', 'work']);
    expect(routes.map((r) => `${r.agent}/${r.provider} ${r.verdict}`)).toEqual(['main/anthropic unavailable', 'work/openai serving']);
    expect(report.exitCode).toBe(1);
  });

  it("a second agent whose own model's provider has no credential is named (its route is missing)", () => {
    const mainToken = profile('anthropic:manual', { expiresAt: NOW + 30 * 24 * HOUR });
    const { routes, report } = judge([mainToken], byAgent, ['main', 'work']);
    expect(routes.map((r) => `${r.agent}/${r.provider} ${r.verdict}`)).toEqual(['main/anthropic serving', 'work/openai unavailable']);
    expect(report.exitCode).toBe(1);
  });

  it('one agent and no per-agent store: one route owner, the shared store', () => {
    const { routes } = judge([profile('anthropic:manual')], [{ provider: 'anthropic', model: 'anthropic/claude-opus-4-6', role: 'model' }], ['main']);
    expect(routes.map((r) => r.agent)).toEqual([null]);
  });
});
