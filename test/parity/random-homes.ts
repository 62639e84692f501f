/**
 * Random but realistic homes (issue 32): each seed turns the shapes the real OpenClaw 2026.9.6
 * CLI writes (paste-token's `anthropic:manual` token, paste-api-key's key, an OAuth login, the
 * explicit roster with `systemAgent` that `agents add` writes) into a home, then varies what
 * operators and the gateway change: agents and ownership, per-agent models, orders (store and
 * `auth.order`, empty ones too), windows (model-scoped or not), env and config keys (literal or
 * `${VAR}`), refs, expiries (invalid ones too) and models. Same seed, same home.
 */
import { DAY, HOUR, MIN, SECRET, type Home, type StoreRows } from './homes.js';

/** mulberry32: a small seeded PRNG, so a seed names a home for good. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const opus = 'anthropic/claude-opus-4-6';
const models = [opus, opus, opus, 'google/gemini-2.5-pro', 'openrouter/anthropic/claude-opus-4.6'];
const tok = (provider: string, name: string) => `sk-${provider}-${SECRET}-${name}-${'0'.repeat(24)}`;

export function randomHome(seed: number): Home {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const chance = (p: number) => random() < p;
  const notes: string[] = [];

  // Profiles as the CLI writes them (by offsets from now), some varied past what the CLI writes.
  type Offset = number | 'none' | 'zero' | 'string' | 'huge';
  const tokenExpiry: Offset = pick<Offset>([30 * DAY, 30 * DAY, 3 * HOUR, -HOUR, 'none', 'zero', 'string', 'huge']);
  const profiles: Record<string, (now: number) => unknown> = {};
  const expiry = (offset: Offset, now: number) =>
    offset === 'none' ? {} : offset === 'zero' ? { expires: 0 } : offset === 'string' ? { expires: String(now + DAY) } : offset === 'huge' ? { expires: 1e17 } : { expires: now + offset };
  if (chance(0.8)) {
    profiles['anthropic:manual'] = (now) => ({ type: 'token', provider: 'anthropic', token: tok('ant', 'token'), ...expiry(tokenExpiry, now) });
    notes.push(`token ${tokenExpiry}`);
  }
  if (chance(0.4)) {
    const offset = pick([10 * DAY, 3 * HOUR, -HOUR]);
    const refresh = chance(0.7);
    profiles['anthropic:me@example.com'] = (now) => ({ type: 'oauth', provider: 'anthropic', access: tok('ant', 'access'), ...(refresh ? { refresh: tok('ant', 'refresh') } : {}), expires: now + offset });
    notes.push(`oauth ${offset}${refresh ? ' refreshable' : ''}`);
  }
  if (chance(0.4)) {
    profiles['anthropic:work'] = () => ({ type: 'api_key', provider: 'anthropic', key: tok('ant', 'key') });
    notes.push('api key');
  }
  if (chance(0.3)) {
    profiles['google:manual'] = () => ({ type: 'api_key', provider: 'google', key: `AIza${SECRET}${'g'.repeat(30)}` });
    notes.push('google key');
  }
  const ids = Object.keys(profiles);

  // Windows: a cooldown (model-scoped or not) or a billing disable on one profile.
  const usageStats: Record<string, (now: number) => unknown> = {};
  if (ids.length > 0 && chance(0.35)) {
    const id = pick(ids);
    const kind = pick(['rate_limit-opus', 'rate_limit-other', 'billing', 'auth']);
    usageStats[id] = (now) =>
      kind === 'billing'
        ? { disabledUntil: now + 2 * HOUR, disabledReason: 'billing', lastFailureAt: now - MIN }
        : { cooldownUntil: now + 2 * HOUR, cooldownReason: kind === 'auth' ? 'auth' : 'rate_limit', ...(kind.startsWith('rate_limit') ? { cooldownModel: kind.endsWith('opus') ? 'claude-opus-4-6' : 'claude-haiku-4-5' } : {}), lastFailureAt: now - MIN };
    notes.push(`${id} ${kind}`);
  }

  // Orders: the store's, the config's, an empty one.
  const orderChoice = pick(['none', 'none', 'store', 'config', 'config-empty', 'store-reversed']);
  const anthropicIds = ids.filter((id) => id.startsWith('anthropic:'));
  const storeOrder = orderChoice === 'store' ? { anthropic: anthropicIds } : orderChoice === 'store-reversed' ? { anthropic: [...anthropicIds].reverse() } : undefined;
  const authOrder = orderChoice === 'config' ? { anthropic: anthropicIds.slice(0, 1) } : orderChoice === 'config-empty' ? { anthropic: [] } : undefined;
  if (orderChoice !== 'none') notes.push(`order ${orderChoice}`);

  // Models and agents: none, one, or the roster `agents add` writes (with or without its systemAgent).
  const primary = pick(models);
  const fallbacks = chance(0.3) ? [pick(models.filter((m) => m !== primary))] : [];
  const agentsChoice = pick(['none', 'none', 'added', 'added', 'added-no-system', 'list-default', 'list-two']);
  const workModel = chance(0.5) ? pick(models) : undefined;
  const defaults: Record<string, unknown> = { model: { primary, ...(fallbacks.length ? { fallbacks } : {}) } };
  if (chance(0.15)) defaults.utilityModel = pick(['google/gemini-2.5-flash', '']);
  let agents: Record<string, unknown> = { defaults };
  let agentIds: string[] | undefined;
  if (agentsChoice === 'added' || agentsChoice === 'added-no-system') {
    if (agentsChoice === 'added') defaults.systemAgent = { agentId: 'main' };
    agents = { defaults, ownership: 'explicit', entries: { main: {}, work: { name: 'work', ...(workModel ? { model: workModel } : {}) } } };
    agentIds = ['main', 'work'];
  } else if (agentsChoice === 'list-default' || agentsChoice === 'list-two') {
    agents = { defaults, list: [{ id: 'main', ...(agentsChoice === 'list-default' ? { default: true } : {}) }, { id: 'work', ...(workModel ? { model: workModel } : {}) }] };
    agentIds = ['main', 'work'];
  }
  notes.push(`model ${primary}${fallbacks.length ? ` +${fallbacks[0]}` : ''}, agents ${agentsChoice}${workModel && agentIds ? ` (work ${workModel})` : ''}`);

  // Keys: an env key (ambient), a config key (literal or a ${VAR} template), an empty env var hiding .env.
  const env: Record<string, string> = {};
  const config: Record<string, unknown> = { agents };
  const authProfiles = Object.fromEntries(ids.filter(() => chance(0.6)).map((id) => [id, { provider: id.split(':')[0], mode: String((profiles[id]!(0) as { type: string }).type) }]));
  if (Object.keys(authProfiles).length || authOrder) config.auth = { ...(Object.keys(authProfiles).length ? { profiles: authProfiles } : {}), ...(authOrder ? { order: authOrder } : {}) };
  if (chance(0.3)) {
    env.ANTHROPIC_API_KEY = tok('ant', 'env');
    notes.push('env key');
  }
  const configKey = pick(['none', 'none', 'none', 'literal', 'template', 'template-unset']);
  if (configKey !== 'none') {
    const apiKey = configKey === 'literal' ? tok('ant', 'inline') : '${PARITY_ANTHROPIC_KEY}';
    if (configKey === 'template') env.PARITY_ANTHROPIC_KEY = tok('ant', 'tmpl');
    config.models = { providers: { anthropic: { baseUrl: 'https://api.anthropic.com', apiKey, models: [] } } };
    notes.push(`config key ${configKey}`);
  }
  // `~/.openclaw/.env` holds a google key; the process may set the variable, or set it empty (which hides the file's).
  const dotenv = chance(0.2);
  if (dotenv) notes.push('.env google key');
  if (chance(0.2)) {
    env.GOOGLE_API_KEY = chance(0.6) ? '' : `AIza${SECRET}${'e'.repeat(30)}`;
    notes.push(`GOOGLE_API_KEY ${env.GOOGLE_API_KEY ? 'set' : 'empty'}`);
  }

  const rows = (now: number): StoreRows => ({
    store: { version: 1, profiles: Object.fromEntries(ids.map((id) => [id, profiles[id]!(now)])), ...(storeOrder ? { order: storeOrder } : {}) },
    ...(Object.keys(usageStats).length ? { state: { version: 1 as const, usageStats: Object.fromEntries(Object.entries(usageStats).map(([id, f]) => [id, f(now)])) } } : {}),
  });
  return {
    name: `random-${seed}`,
    kind: 'rows',
    covers: notes.join('; '),
    config,
    rows,
    ...(Object.keys(env).length ? { env } : {}),
    ...(dotenv ? { files: () => ({ '.openclaw/.env': { text: `GOOGLE_API_KEY=AIza${SECRET}${'d'.repeat(30)}\n` } }) } : {}),
    ...(agentIds ? { agents: agentIds } : {}),
  };
}
