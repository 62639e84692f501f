/**
 * The parity table: homes on which `authwatch check --policy openclaw` must exit exactly like
 * the real `openclaw models status --check` (issue 18). Each home is a description; the
 * harness (build.ts) turns it into a temp HOME. Times are relative to the moment the home is
 * built, because the real CLI reads the real clock; every window keeps hours of margin from
 * OpenClaw's boundaries (24h expiring window, expiry at now) so two runs seconds apart agree.
 *
 * Kinds:
 * - `cli`:  made by the real CLI itself (`models auth paste-token`, `models set`, …).
 * - `rows`: hand-written state-DB rows (`config_machine_state`: `authProfiles.store`,
 *           `authProfiles.state`, `auth.sharedStore`), exactly as OpenClaw 2026.9.6 stores them.
 * - `legacy`: pre-state-DB layouts (`auth-profiles.json`, `~/.clawdbot`) and legacy entry shapes
 *           OpenClaw normalises when it loads a store.
 * No expected answer is written here: the real CLI's answers are recorded in expected.json.
 */
import { fileURLToPath } from 'node:url';
import type { FileSpec } from '../helpers/home.js';

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Every planted secret carries this marker; authwatch's output must never contain it. */
export const SECRET = 'PARITYSECRET';

export interface StoreRows {
  /** `authProfiles.store`: `{version:1, profiles}` (plus `order` in older writers). */
  store: { version: 1; profiles: Record<string, unknown>; order?: Record<string, string[]> };
  /** `authProfiles.state`: `order`, `lastGood`, `usageStats`. */
  state?: { version: 1; order?: Record<string, string[]>; lastGood?: Record<string, string>; usageStats?: Record<string, unknown> };
}

export interface CliStep {
  args: string[];
  stdin?: string;
}

export interface Home {
  name: string;
  kind: 'cli' | 'rows' | 'legacy';
  /** Which case of the reference or of OpenClaw's own tests this home stands for. */
  covers: string;
  /** `~/.openclaw/openclaw.json`; omitted = no config file at all. */
  config?: unknown;
  /** State-DB rows in `~/.openclaw/state/openclaw.sqlite`. */
  rows?: (now: number) => StoreRows;
  /** Other files relative to HOME. */
  files?: (now: number) => Record<string, FileSpec>;
  /** Real CLI commands run (in order) to make the home, after files and rows. */
  cli?: (now: number) => CliStep[];
  /** Run both programs with `--agent <id>` (OpenClaw applies per-agent overrides only then). */
  agent?: string;
  /**
   * The agents the home's gateway runs (issue 26 §1): besides the run above, each is checked
   * with `--agent` by both programs, and authwatch's default policy (no `--agent`) must exit as
   * the worst of the real CLI's per-agent exits.
   */
  agents?: string[];
  /** Extra environment for both programs. */
  env?: Record<string, string>;
  /** Set OPENCLAW_STATE_DIR=$HOME/.openclaw (default true; false for the ~/.clawdbot home). */
  stateDirEnv?: boolean;
}

const opus = 'anthropic/claude-opus-4-6';
const model = (primary: string, extra: Record<string, unknown> = {}) => ({ agents: { defaults: { model: { primary, ...extra } } } });
const withAuth = (config: ReturnType<typeof model>, auth: unknown) => ({ ...config, auth });

const tok = (provider: string, name: string) => `sk-${provider}-${SECRET}-${name}-${'0'.repeat(24)}`;
const token = (expires?: number, provider = 'anthropic') => ({ type: 'token', provider, token: tok(provider, 'token'), ...(expires !== undefined ? { expires } : {}) });
const apiKey = (provider = 'anthropic') => ({ type: 'api_key', provider, key: tok(provider, 'key') });
const oauth = (expires: number, provider = 'anthropic', refresh = true) => ({
  type: 'oauth',
  provider,
  access: tok(provider, 'access'),
  ...(refresh ? { refresh: tok(provider, 'refresh') } : {}),
  expires,
});
const fence = (state: 'pending' | 'failed', provider = 'anthropic') => {
  const claim = 'ab'.repeat(16);
  const failed = state === 'failed' ? 'failed:' : '';
  return {
    type: 'oauth',
    provider,
    access: `openclaw-oauth-refresh-fence:v1:${claim}:${failed}access:${'1'.repeat(64)}`,
    refresh: `openclaw-oauth-refresh-fence:v1:${claim}:${failed}refresh:${'2'.repeat(64)}`,
    expires: 1,
  };
};
const store = (profiles: Record<string, unknown>, state?: StoreRows['state']): StoreRows => ({ store: { version: 1, profiles }, ...(state ? { state } : {}) });
const stats = (usageStats: Record<string, unknown>, extra: Omit<NonNullable<StoreRows['state']>, 'version' | 'usageStats'> = {}) => ({ version: 1 as const, usageStats, ...extra });
/** The official external deepseek plugin as npm serves it (test/fixtures/openclaw-plugins/README.md), installed by the real CLI offline. */
const deepseekPlugin = fileURLToPath(new URL('../fixtures/openclaw-plugins/openclaw-deepseek-provider-2026.9.5.tgz', import.meta.url));
const installDeepseek: CliStep = { args: ['plugins', 'install', deepseekPlugin, '--force', '--accept-capabilities'] };
const agentJson = (agent: string) => `.openclaw/agents/${agent}/agent/auth-profiles.json`;

export const homes: Home[] = [
  // §1: providers in use and the default model
  { name: 'no-config-no-credentials', kind: 'rows', covers: '§1.1 no openclaw.json: the default model openai/… is in use' },
  { name: 'no-config-openai-env-key', kind: 'rows', covers: '§1.1 default model with OPENAI_API_KEY (codex runtime route)', env: { OPENAI_API_KEY: tok('openai', 'env') } },
  { name: 'no-config-anthropic-token', kind: 'rows', covers: '§1.1 a good profile of a provider nobody uses, default model missing', rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }) },
  { name: 'bare-model-name', kind: 'rows', covers: '§1.1 a bare model name gets the default provider openai', config: model('claude-opus-4-6'), rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }) },
  { name: 'provider-id-upper-case', kind: 'rows', covers: '§1.1 provider ids are lower-cased', config: model('Anthropic/claude-opus-4-6'), rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }) },
  { name: 'model-provider-missing', kind: 'rows', covers: '§1.2 not available → missing', config: model('google/gemini-2.5-pro'), rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }) },
  { name: 'model-provider-unknown', kind: 'rows', covers: '§1.2 a provider no bundled plugin knows (mistral in 2026.9.6) → indeterminate', config: model('mistral/mistral-large-latest'), rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }) },

  // per-profile health (auth-health, credential-state)
  { name: 'token-static', kind: 'rows', covers: 'auth-health: token without expires is static', config: model(opus), rows: () => store({ 'anthropic:default': token() }) },
  { name: 'api-key-static', kind: 'rows', covers: 'auth-health: api_key is static', config: model(opus), rows: () => store({ 'anthropic:default': apiKey() }) },
  { name: 'token-30d', kind: 'rows', covers: 'auth-health: ok', config: model(opus), rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }) },
  { name: 'token-expiring-3h', kind: 'rows', covers: 'auth-health: expiring inside 24h → exit 2', config: model(opus), rows: (now) => store({ 'anthropic:default': token(now + 3 * HOUR) }) },
  { name: 'token-expired', kind: 'rows', covers: 'auth-health: expired → missing → exit 1', config: model(opus), rows: (now) => store({ 'anthropic:default': token(now - HOUR) }) },
  { name: 'token-expires-zero', kind: 'rows', covers: 'credential-state: expires 0 is invalid', config: model(opus), rows: () => store({ 'anthropic:default': token(0) }) },
  { name: 'token-no-secret', kind: 'rows', covers: 'credential-state: no secret → missing', config: model(opus), rows: (now) => store({ 'anthropic:default': { type: 'token', provider: 'anthropic', expires: now + 30 * DAY } }) },
  { name: 'oauth-10d', kind: 'rows', covers: 'auth-health: OAuth ok', config: model(opus), rows: (now) => store({ 'anthropic:me@example.com': oauth(now + 10 * DAY) }) },
  { name: 'oauth-refreshable-3h', kind: 'rows', covers: 'auth-health: expiring applies to refreshable OAuth too', config: model(opus), rows: (now) => store({ 'anthropic:me@example.com': oauth(now + 3 * HOUR) }) },
  { name: 'oauth-expired-with-refresh', kind: 'rows', covers: 'auth-health: expired OAuth even with a refresh token', config: model(opus), rows: (now) => store({ 'anthropic:me@example.com': oauth(now - HOUR) }) },
  { name: 'oauth-expired-no-refresh', kind: 'rows', covers: 'credential-state: expired OAuth without refresh', config: model(opus), rows: (now) => store({ 'anthropic:me@example.com': oauth(now - HOUR, 'anthropic', false) }) },
  { name: 'fence-failed', kind: 'rows', covers: 'oauth-refresh-marker: failed fence counts as expired', config: model(opus), rows: () => store({ 'anthropic:me@example.com': fence('failed') }) },
  { name: 'fence-pending', kind: 'rows', covers: 'oauth-refresh-marker: pending fence', config: model(opus), rows: () => store({ 'anthropic:me@example.com': fence('pending') }) },
  {
    name: 'fence-mismatched-claims',
    kind: 'rows',
    covers: 'oauth-refresh-marker: markers with different claim ids are no fence',
    config: model(opus),
    rows: () => {
      const f = fence('failed');
      return store({ 'anthropic:me@example.com': { ...f, refresh: f.refresh.replace('abab', 'cdcd') } });
    },
  },

  // §1.2: only the selected profile counts
  { name: 'dead-and-good-same-provider', kind: 'rows', covers: '§1 one dead and one good profile → 0', config: model(opus), rows: (now) => store({ 'anthropic:old': token(now - HOUR), 'anthropic:work': token(now + 30 * DAY) }) },
  { name: 'dead-profile-unused-provider', kind: 'rows', covers: '§1 a dead profile of a provider nobody uses → 0', config: model(opus), rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY), 'mistral:default': token(now - HOUR, 'mistral') }) },
  { name: 'setup-token-beside-expiring-oauth', kind: 'rows', covers: '§1 an ok setup-token beside a refreshable OAuth expiring in 3h', config: model(opus), rows: (now) => store({ 'anthropic:default': token(), 'anthropic:me@example.com': oauth(now + 3 * HOUR) }) },
  { name: 'type-ranking-oauth-before-key', kind: 'rows', covers: '§2.4 oauth ranks before api_key', config: model(opus), rows: (now) => store({ 'anthropic:key': apiKey(), 'anthropic:me@example.com': oauth(now + 3 * HOUR) }) },
  {
    name: 'last-used-oldest-first',
    kind: 'rows',
    covers: '§2.4 same type: lastUsed oldest first',
    config: model(opus),
    rows: (now) => store({ 'anthropic:a': token(now + 30 * DAY), 'anthropic:b': token(now + 3 * HOUR) }, stats({ 'anthropic:a': { lastUsed: now - HOUR }, 'anthropic:b': { lastUsed: now - 10 * DAY } })),
  },

  // env rescue
  { name: 'env-anthropic-beside-expired-token', kind: 'rows', covers: '§1 ANTHROPIC_API_KEY next to an expired token → 0', config: model(opus), env: { ANTHROPIC_API_KEY: tok('ant', 'env') }, rows: (now) => store({ 'anthropic:default': token(now - HOUR) }) },
  { name: 'env-anthropic-only', kind: 'rows', covers: 'env key alone', config: model(opus), env: { ANTHROPIC_API_KEY: tok('ant', 'env') } },
  { name: 'dotenv-anthropic', kind: 'rows', covers: 'key in ~/.openclaw/.env', config: model(opus), files: () => ({ '.openclaw/.env': `ANTHROPIC_API_KEY=${tok('ant', 'dotenv')}\n` }) },
  { name: 'env-google-api-key', kind: 'rows', covers: 'GOOGLE_API_KEY alone satisfies google', config: model('google/gemini-2.5-pro'), env: { GOOGLE_API_KEY: tok('google', 'env') } },
  { name: 'env-gemini-api-key', kind: 'rows', covers: 'GEMINI_API_KEY satisfies google', config: model('google/gemini-2.5-pro'), env: { GEMINI_API_KEY: tok('gemini', 'env') } },
  { name: 'env-minimax-api-key', kind: 'rows', covers: 'MINIMAX_API_KEY satisfies minimax', config: model('minimax/MiniMax-M2.5'), env: { MINIMAX_API_KEY: tok('minimax', 'env') } },
  // issue 30 §5: key pools (src/agents/live-auth-keys.ts) are rotation keys, never a route's own key
  {
    name: 'env-pool-keys-only',
    kind: 'rows',
    covers: 'OPENCLAW_LIVE_ANTHROPIC_KEYS and ANTHROPIC_API_KEY_2 without ANTHROPIC_API_KEY: no key for the route',
    config: model(opus),
    env: { OPENCLAW_LIVE_ANTHROPIC_KEYS: `${tok('ant', 'pool1')},${tok('ant', 'pool2')}`, ANTHROPIC_API_KEY_2: tok('ant', 'pool3') },
  },
  { name: 'env-pool-live-single-only', kind: 'rows', covers: 'OPENCLAW_LIVE_ANTHROPIC_KEY alone: no key for the route', config: model(opus), env: { OPENCLAW_LIVE_ANTHROPIC_KEY: tok('ant', 'live') } },
  {
    name: 'env-pool-beside-primary',
    kind: 'rows',
    covers: 'ANTHROPIC_API_KEY with a pool beside it: the primary key serves',
    config: model(opus),
    env: { ANTHROPIC_API_KEY: tok('ant', 'env'), ANTHROPIC_API_KEY_2: tok('ant', 'pool3') },
    files: () => ({ '.openclaw/.env': `OPENCLAW_LIVE_ANTHROPIC_KEYS=${tok('ant', 'pool1')}\n` }),
  },
  { name: 'env-groq-external-plugin', kind: 'rows', covers: 'GROQ_API_KEY, declared by the official external groq plugin (not installed)', config: model('groq/llama-3.3-70b-versatile'), env: { GROQ_API_KEY: tok('groq', 'env') } },
  {
    name: 'env-deepseek-plugin-installed',
    kind: 'cli',
    covers: 'DEEPSEEK_API_KEY with the external deepseek plugin installed by `openclaw plugins install` (its installed plugin index row)',
    config: model('deepseek/deepseek-chat'),
    env: { DEEPSEEK_API_KEY: tok('deepseek', 'env') },
    cli: () => [installDeepseek],
  },
  {
    name: 'env-deepseek-plugin-disabled',
    kind: 'cli',
    covers: 'the external deepseek plugin installed, then `openclaw plugins disable deepseek`: models status still reads its env key',
    config: model('deepseek/deepseek-chat'),
    env: { DEEPSEEK_API_KEY: tok('deepseek', 'env') },
    cli: () => [installDeepseek, { args: ['plugins', 'disable', 'deepseek'] }],
  },
  { name: 'env-deepseek-pool-only', kind: 'rows', covers: 'DEEPSEEK_API_KEYS alone (external plugin, not installed)', config: model('deepseek/deepseek-chat'), env: { DEEPSEEK_API_KEYS: tok('deepseek', 'pool') } },
  { name: 'env-wrong-provider-key', kind: 'rows', covers: 'an env key of another provider does not help', config: model('google/gemini-2.5-pro'), env: { ANTHROPIC_API_KEY: tok('ant', 'env') } },
  {
    name: 'config-inline-api-key',
    kind: 'rows',
    covers: 'a config key (models.providers.<p>.apiKey) makes the provider available',
    config: { ...model('mistral/mistral-large-latest'), models: { providers: { mistral: { baseUrl: 'https://api.mistral.ai/v1', apiKey: tok('mistral', 'inline'), models: [] } } } },
  },
  {
    name: 'secret-ref-env-unset',
    kind: 'rows',
    covers: 'credential-state: an env SecretRef whose variable is unset',
    config: model(opus),
    rows: () => store({ 'anthropic:default': { type: 'api_key', provider: 'anthropic', keyRef: { source: 'env', provider: 'default', id: 'PARITY_ANTHROPIC_KEY' } } }),
  },
  {
    name: 'secret-ref-env-set',
    kind: 'rows',
    covers: 'credential-state: an env SecretRef whose variable is set',
    config: model(opus),
    env: { PARITY_ANTHROPIC_KEY: tok('ant', 'ref') },
    rows: () => store({ 'anthropic:default': { type: 'api_key', provider: 'anthropic', keyRef: { source: 'env', provider: 'default', id: 'PARITY_ANTHROPIC_KEY' } } }),
  },

  // usageStats: cooldown / disabled / blocked
  { name: 'only-profile-cooldown', kind: 'rows', covers: '§1 a profile in cooldown that is the only one → unavailable', config: model(opus), rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }, stats({ 'anthropic:default': { cooldownUntil: now + 2 * HOUR, cooldownReason: 'rate_limit', errorCount: 3 } })) },
  { name: 'cooldown-over', kind: 'rows', covers: '§2.1 expired cooldown windows are cleared', config: model(opus), rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }, stats({ 'anthropic:default': { cooldownUntil: now - HOUR, cooldownReason: 'rate_limit' } })) },
  { name: 'only-profile-disabled-billing', kind: 'rows', covers: 'disabled for billing, the only profile', config: model(opus), rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }, stats({ 'anthropic:default': { disabledUntil: now + 5 * HOUR, disabledReason: 'billing' } })) },
  {
    name: 'disabled-billing-with-fallback-profile',
    kind: 'rows',
    covers: 'on fallback: first profile disabled, a later one serves',
    config: model(opus),
    rows: (now) => store({ 'anthropic:work': token(now + 30 * DAY), 'anthropic:home': token(now + 3 * HOUR) }, stats({ 'anthropic:work': { disabledUntil: now + 5 * HOUR, disabledReason: 'billing' } }, { order: { anthropic: ['anthropic:work', 'anthropic:home'] } })),
  },
  { name: 'disabled-auth-permanent', kind: 'rows', covers: 'disabledReason auth_permanent', config: model(opus), rows: (now) => store({ 'anthropic:default': apiKey() }, stats({ 'anthropic:default': { disabledUntil: now + 50 * MIN, disabledReason: 'auth_permanent' } })) },
  { name: 'blocked-only-profile', kind: 'rows', covers: 'blockedUntil on the only profile', config: model(opus), rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }, stats({ 'anthropic:default': { blockedUntil: now + 2 * HOUR, blockedReason: 'rate_limit', blockedSource: 'provider' } })) },
  {
    name: 'blocked-other-model',
    kind: 'rows',
    covers: 'blockedScope model for another model does not block',
    config: model(opus),
    rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }, stats({ 'anthropic:default': { blockedUntil: now + 2 * HOUR, blockedReason: 'rate_limit', blockedScope: 'model', blockedModel: 'claude-sonnet-4-5' } })),
  },
  {
    name: 'cooldown-other-model',
    kind: 'rows',
    covers: 'rate_limit cooldown scoped to cooldownModel',
    config: model(opus),
    rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }, stats({ 'anthropic:default': { cooldownUntil: now + 2 * HOUR, cooldownReason: 'rate_limit', cooldownModel: 'claude-sonnet-4-5' } })),
  },
  { name: 'openrouter-never-cools-down', kind: 'rows', covers: 'openrouter is never cooled down', config: model('openrouter/anthropic/claude-opus-4.6'), rows: (now) => store({ 'openrouter:default': apiKey('openrouter') }, stats({ 'openrouter:default': { cooldownUntil: now + 2 * HOUR, cooldownReason: 'rate_limit' } })) },
  { name: 'cooldown-rescued-by-env', kind: 'rows', covers: 'every profile in cooldown, env key present', config: model(opus), env: { ANTHROPIC_API_KEY: tok('ant', 'env') }, rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }, stats({ 'anthropic:default': { cooldownUntil: now + 2 * HOUR, cooldownReason: 'billing' } })) },
  {
    name: 'inline-api-key-cooldown',
    kind: 'rows',
    covers: 'config-inline keys are tracked as inline-api-key:<provider>',
    config: { ...model('mistral/mistral-large-latest'), models: { providers: { mistral: { baseUrl: 'https://api.mistral.ai/v1', apiKey: tok('mistral', 'inline'), models: [] } } } },
    rows: (now) => store({}, stats({ 'inline-api-key:mistral': { cooldownUntil: now + 2 * HOUR, cooldownReason: 'rate_limit' } })),
  },

  // order
  {
    name: 'store-order-expiring-first',
    kind: 'rows',
    covers: '§2.2 store order[provider] wins',
    config: model(opus),
    rows: (now) => store({ 'anthropic:a': token(now + 30 * DAY), 'anthropic:b': token(now + 3 * HOUR) }, stats({}, { order: { anthropic: ['anthropic:b', 'anthropic:a'] } })),
  },
  {
    name: 'config-auth-order',
    kind: 'rows',
    covers: '§2.2 config auth.order[provider] when the store has none',
    config: withAuth(model(opus), { order: { anthropic: ['anthropic:b', 'anthropic:a'] } }),
    rows: (now) => store({ 'anthropic:a': token(now + 30 * DAY), 'anthropic:b': token(now + 3 * HOUR) }),
  },
  {
    name: 'store-order-beats-config-order',
    kind: 'rows',
    covers: '§2.2 store order before config order',
    config: withAuth(model(opus), { order: { anthropic: ['anthropic:b', 'anthropic:a'] } }),
    rows: (now) => store({ 'anthropic:a': token(now + 30 * DAY), 'anthropic:b': token(now + 3 * HOUR) }, stats({}, { order: { anthropic: ['anthropic:a', 'anthropic:b'] } })),
  },
  {
    name: 'order-names-no-stored-profile',
    kind: 'rows',
    covers: '§2.2 an explicit order naming no stored id falls back to the stored profiles',
    config: withAuth(model(opus), { order: { anthropic: ['anthropic:gone'] } }),
    rows: (now) => store({ 'anthropic:a': token(now + 3 * HOUR) }),
  },
  {
    name: 'config-auth-profiles-list',
    kind: 'rows',
    covers: '§2.2 config auth.profiles as the base list',
    config: withAuth(model(opus), { profiles: { 'anthropic:b': { provider: 'anthropic', mode: 'token' } } }),
    rows: (now) => store({ 'anthropic:a': token(now + 30 * DAY), 'anthropic:b': token(now + 3 * HOUR) }),
  },

  // uses: fallbacks, imageModel, utilityModel, per-agent overrides
  { name: 'fallback-provider-missing', kind: 'rows', covers: '§1.1 fallbacks are uses', config: model(opus, { fallbacks: ['openrouter/anthropic/claude-opus-4.6'] }), rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }) },
  { name: 'fallback-provider-expiring', kind: 'rows', covers: '§1.1 an expiring fallback → 2', config: model(opus, { fallbacks: ['google/gemini-2.5-pro'] }), rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY), 'google:default': token(now + 3 * HOUR, 'google') }) },
  {
    name: 'image-model-missing',
    kind: 'rows',
    covers: '§1.1 imageModel primary is a use',
    config: { agents: { defaults: { model: { primary: opus }, imageModel: { primary: 'google/gemini-2.5-flash-image' } } } },
    rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }),
  },
  {
    name: 'image-fallback-expiring',
    kind: 'rows',
    covers: '§1.1 imageModel fallbacks are uses',
    config: { agents: { defaults: { model: { primary: opus }, imageModel: { primary: opus, fallbacks: ['google/gemini-2.5-flash-image'] } } } },
    rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY), 'google:default': token(now + 3 * HOUR, 'google') }),
  },
  {
    name: 'utility-model-missing',
    kind: 'rows',
    covers: '§1.1 agents.defaults.utilityModel is a use',
    config: { agents: { defaults: { model: { primary: opus }, utilityModel: 'google/gemini-2.5-flash' } } },
    rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }),
  },
  {
    name: 'utility-model-disabled',
    kind: 'rows',
    covers: 'an empty utilityModel disables it',
    config: { agents: { defaults: { model: { primary: 'mistral/mistral-large-latest' }, utilityModel: '' } } },
    rows: () => store({ 'mistral:default': apiKey('mistral') }),
  },
  {
    name: 'agent-override-model',
    kind: 'rows',
    covers: '§1.1 per-agent model override for the selected agent (--agent main)',
    agent: 'main',
    config: { agents: { defaults: { model: { primary: opus } }, list: [{ id: 'main', default: true, model: 'google/gemini-2.5-pro' }] } },
    rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }),
  },
  {
    name: 'agent-override-not-selected',
    kind: 'rows',
    covers: 'the same per-agent override without --agent: the defaults are in use',
    config: { agents: { defaults: { model: { primary: opus } }, list: [{ id: 'main', default: true, model: 'google/gemini-2.5-pro' }] } },
    rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }),
  },
  {
    name: 'agent-override-fallbacks',
    kind: 'rows',
    covers: '§1.1 per-agent fallbacks override (--agent main)',
    agent: 'main',
    config: { agents: { defaults: { model: { primary: opus, fallbacks: ['google/gemini-2.5-pro'] } }, list: [{ id: 'main', default: true, model: { primary: opus, fallbacks: [] } }] } },
    rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }),
  },

  // legacy layouts and normalisation
  {
    name: 'legacy-json-store-only',
    kind: 'legacy',
    covers: 'auth-profiles.json without a state DB (OpenClaw refuses: migration required)',
    config: model(opus),
    files: (now) => ({ [agentJson('main')]: { json: { version: 1, profiles: { 'anthropic:default': token(now + 30 * DAY) } } } }),
  },
  {
    name: 'legacy-json-beside-state-db',
    kind: 'legacy',
    covers: 'a stale auth-profiles.json next to the state DB',
    config: model(opus),
    rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }),
    files: (now) => ({ [agentJson('main')]: { json: { version: 1, profiles: { 'anthropic:default': token(now - HOUR) } } } }),
  },
  {
    name: 'legacy-json-of-another-agent',
    kind: 'legacy',
    covers: "issue 32: a JSON store of an agent models status does not inspect is no refusal (only the inspected agent's and the shared main ones)",
    config: model(opus),
    rows: (now) => store({ 'anthropic:default': token(now + 30 * DAY) }),
    files: (now) => ({ [agentJson('other')]: { json: { version: 1, profiles: { 'anthropic:default': token(now - HOUR) } } } }),
  },
  {
    name: 'legacy-clawdbot-dir',
    kind: 'legacy',
    covers: 'the pre-rename ~/.clawdbot state dir and nothing else',
    stateDirEnv: false,
    files: (now) => ({
      '.clawdbot/clawdbot.json': { json: model(opus) },
      '.clawdbot/agents/main/agent/auth-profiles.json': { json: { version: 1, profiles: { 'anthropic:default': token(now + 30 * DAY) } } },
    }),
  },
  {
    // `openclaw doctor --fix` would write these too, but offline it runs for minutes (it tries an
    // update repair), so the legacy shapes go straight into the state-DB row: the same loader
    // normalises them on every load.
    name: 'store-row-legacy-shapes',
    kind: 'legacy',
    covers: 'persisted normalisation on load: mode as type, type apiKey, a secret object as a ref, unknown type and no-provider entries dropped',
    config: model(opus, { fallbacks: ['openrouter/anthropic/claude-opus-4.6', 'google/gemini-2.5-pro'] }),
    env: { PARITY_GOOGLE_KEY: tok('google', 'ref') },
    rows: (now) =>
      store({
        'anthropic:default': { mode: 'token', provider: 'anthropic', token: tok('ant', 'mode'), expires: now + 3 * HOUR },
        'openrouter:default': { type: 'apiKey', provider: 'openrouter', key: tok('openrouter', 'apikey') },
        'google:default': { type: 'api_key', provider: 'google', key: { source: 'env', provider: 'default', id: 'PARITY_GOOGLE_KEY' } },
        'groq:default': { type: 'password', provider: 'groq', key: tok('groq', 'bad') },
        'nobody:default': { type: 'api_key', key: tok('x', 'noprovider') },
      }),
  },
  {
    name: 'store-row-unknown-type-only',
    kind: 'legacy',
    covers: 'the only profile has an unknown type: dropped on load, the provider is missing',
    config: model(opus),
    rows: (now) => store({ 'anthropic:default': { type: 'session', provider: 'anthropic', token: tok('ant', 'session'), expires: now + 30 * DAY } }),
  },
  {
    name: 'setup-replacement-inactive',
    kind: 'rows',
    covers: 'setup.replacement === true marks an inactive setup credential',
    config: model(opus),
    rows: (now) => store({ 'anthropic:default': { ...token(now + 30 * DAY), setup: { replacement: true } } }),
  },

  // made by the real CLI (each CLI write also waits for a gateway that is not there: keep them few)
  {
    name: 'cli-paste-token-3h',
    kind: 'cli',
    covers: 'paste-token --expires-in 3h into a home whose config names the model',
    config: model(opus),
    cli: () => [{ args: ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--expires-in', '3h'], stdin: `sk-ant-oat01-${SECRET}-${'a'.repeat(80)}\n` }],
  },
  {
    name: 'cli-paste-token-no-model',
    kind: 'cli',
    covers: 'paste-token alone: the default model stays openai',
    cli: () => [{ args: ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--expires-in', '30d'], stdin: `sk-ant-oat01-${SECRET}-${'b'.repeat(80)}\n` }],
  },
  {
    name: 'cli-api-key-fallback-google-env',
    kind: 'cli',
    covers: 'paste-api-key, with a fallback provider rescued by GOOGLE_API_KEY',
    config: model(opus, { fallbacks: ['google/gemini-2.5-pro'] }),
    env: { GOOGLE_API_KEY: tok('google', 'env') },
    cli: () => [{ args: ['models', 'auth', 'paste-api-key', '--provider', 'anthropic'], stdin: `sk-ant-api03-${SECRET}-${'e'.repeat(60)}\n` }],
  },

  // several agents, made by the real CLI (issue 26 §1): `agents add` writes an explicit roster
  // with systemAgent main; `--agent work` stores go to agents/work/agent/openclaw-agent.sqlite
  {
    name: 'cli-agents-main-expired-work-own-key',
    kind: 'cli',
    covers: "issue 26: main's token (state DB) expired, work has its own model and key: main must not be 'unused'",
    config: model(opus),
    agents: ['main', 'work'],
    cli: () => [
      { args: ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--expires-in', '1s'], stdin: `sk-ant-oat01-${SECRET}-${'c'.repeat(80)}\n` },
      { args: ['agents', 'add', 'work', '--non-interactive', '--workspace', '{HOME}/ws-work', '--model', 'google/gemini-2.5-pro'] },
      { args: ['models', 'auth', 'paste-api-key', '--provider', 'google', '--agent', 'work'], stdin: `AIza${SECRET}${'g'.repeat(30)}\n` },
    ],
  },
  {
    name: 'cli-agents-work-model-no-credential',
    kind: 'cli',
    covers: "issue 26: a second agent whose own model's provider has no credential is named",
    config: model(opus),
    agents: ['main', 'work'],
    cli: () => [
      { args: ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--expires-in', '30d'], stdin: `sk-ant-oat01-${SECRET}-${'d'.repeat(80)}\n` },
      { args: ['agents', 'add', 'work', '--non-interactive', '--workspace', '{HOME}/ws-work', '--model', 'google/gemini-2.5-pro'] },
    ],
  },
  {
    name: 'cli-agents-work-own-agent-dir',
    kind: 'cli',
    covers: "issue 32: `agents add work --agent-dir`: work's store lives in its own agentDir (resolveEffectiveAgentDir), not agents/work/agent",
    config: model(opus),
    agents: ['main', 'work'],
    cli: () => [
      { args: ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--expires-in', '30d'], stdin: `sk-ant-oat01-${SECRET}-${'i'.repeat(80)}\n` },
      { args: ['agents', 'add', 'work', '--non-interactive', '--workspace', '{HOME}/ws-work', '--agent-dir', '{HOME}/elsewhere/work-agent', '--model', 'google/gemini-2.5-pro'] },
      { args: ['models', 'auth', 'paste-api-key', '--provider', 'google', '--agent', 'work'], stdin: `AIza${SECRET}${'j'.repeat(30)}\n` },
    ],
  },
  {
    name: 'cli-agents-work-own-anthropic-key',
    kind: 'cli',
    covers: 'issue 26: both agents on anthropic; work has its own key, main a token expiring in 3h',
    config: model(opus),
    agents: ['main', 'work'],
    cli: () => [
      { args: ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--expires-in', '3h'], stdin: `sk-ant-oat01-${SECRET}-${'f'.repeat(80)}\n` },
      { args: ['agents', 'add', 'work', '--non-interactive', '--workspace', '{HOME}/ws-work'] },
      { args: ['models', 'auth', 'paste-api-key', '--provider', 'anthropic', '--agent', 'work', '--profile-id', 'anthropic:work'], stdin: `sk-ant-api03-${SECRET}-${'h'.repeat(60)}\n` },
    ],
  },
];
