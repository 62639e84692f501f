import { isJsonObject, readObject, type JsonObject, type Read } from '../core/json-reader.js';
import { parseJson5Text } from '../core/json5-text.js';
import { join } from 'node:path';
import { openclawConfigPath, primaryStateDir } from './openclaw-paths.js';
import { agentEntries, normalizeAgentId, openclawDefaultAgent } from './openclaw-agents.js';
import { readGatewayDotenv } from './dotenv.js';
import { readCredentialFile } from '../core/files.js';
import { absentVisit, failedVisit, foundVisit, type SourceContext, type SourceVisit } from './source.js';
import { readCronModelJobs, type CronModelJob } from './openclaw-cron.js';

// What OpenClaw 2026.9.6's `models status` reads from openclaw.json to decide which providers
// are in use (list.status-command: primary, fallbacks, image model, utility model, the
// selected agent's overrides) and how it orders their profiles (auth.order, auth.profiles).

/** A model, or a primary with fallbacks. */
type ModelSpec = string | { primary?: string; fallbacks?: string[] };

/** OpenClaw's `DEFAULT_PROVIDER` / `DEFAULT_MODEL` (dist/defaults-*.mjs): used with no model configured. */
const openclawDefaultProvider = 'openai';
const openclawDefaultModel = 'gpt-6-astra';

/** The part of `openclaw.json` that says which providers the agents use: `agents.defaults`'s models. */
interface OpenclawModelDefaults {
  model?: ModelSpec;
  imageModel?: ModelSpec;
}

function readModelSpec(defaults: JsonObject, key: string): ModelSpec | undefined {
  const value = defaults.fields[key];
  if (value === undefined || typeof value === 'string') return value;
  if (!isJsonObject(value)) {
    defaults.problems.expected(defaults.at(key), 'a model name or an object with primary and fallbacks', value);
    return undefined;
  }
  return defaults.object(key, (spec) => ({ primary: spec.string('primary'), fallbacks: spec.strings('fallbacks') }));
}

export function readOpenclawModelDefaults(document: unknown): Read<OpenclawModelDefaults> {
  return readObject(
    document,
    (config) =>
      config.object('agents', (agents) => agents.object('defaults', (defaults) => ({ model: readModelSpec(defaults, 'model'), imageModel: readModelSpec(defaults, 'imageModel') }))) ?? {},
  );
}

export interface RequiredProvider {
  provider: string;
  /** Why it is required, for the `missing` row's detail. */
  reason: string;
}

/** A cron job's model override: the job's id, and whether the ref is one of its fallbacks. */
export interface CronJobRef {
  id: string;
  fallback: boolean;
}

/** One model ref OpenClaw's status counts as a provider use. */
export interface ProviderUse {
  provider: string;
  model: string;
  /** `model`, `fallback`, `image model`, `image fallback`, `utility model`, `default model` (authwatch adds `required`, `stored`, `in use`). */
  role: string;
  /** Why it is in use, for a `missing` row. */
  reason?: string;
  /** The `provider/model` ref that runs, when `model` is not it: an alias, or a ref cut short for display. */
  runs?: string;
  /** The cron job whose model override this is (role `cron job <name>`, or `cron job <name> fallback` for one of its fallbacks). */
  cronJob?: CronJobRef;
}

/** `auth` of openclaw.json: what orders a provider's profiles. */
export interface OpenclawAuthConfig {
  /** `auth.order`, provider ids lower-cased. */
  order: Readonly<Record<string, readonly string[]>>;
  /** `auth.profiles`: profile id → its provider (lower-cased) and mode. */
  profiles: Readonly<Record<string, { provider: string; mode: string | null }>>;
}

export interface OpenclawConfigRead {
  /** Whether openclaw.json exists (without it OpenClaw runs its default model). */
  found: boolean;
  /** The selected agent's uses (`--agent`, else the config's default agent). */
  uses: ProviderUse[];
  /**
   * The uses as `openclaw models status` counts them: an agent's own model and fallbacks only
   * with `--agent` (list.status-command: `agentId` is set only for an explicit `--agent`).
   */
  statusUses: ProviderUse[];
  /** The agent ids openclaw.json lists (OpenClaw's `listAgentIds`: what `--agent` may name; `main` without a roster). */
  agentIds: string[];
  /** Why `openclaw models status` without `--agent` refuses to pick an agent (`null`: it picks `agent`). */
  agentRefusal: string | null;
  /** That agent's id. */
  agent: string;
  /** Whether a primary model is set for it (else `uses` starts with OpenClaw's default model). */
  modelConfigured: boolean;
  /** The uses of another agent (its own model overrides). */
  usesOf: (agent: string) => ProviderUse[];
  auth: OpenclawAuthConfig;
  /** Providers with a non-empty `models.providers.<id>.apiKey` (a key in the config). */
  configKeys: ReadonlySet<string>;
  /** Providers openclaw.json sends to a base URL of its own (`models.providers.<id>.baseUrl`): a proxy or a local server, with models of its own. */
  ownEndpoints: ReadonlySet<string>;
  /** Of those, the ones given as a `${VAR}` template or a SecretRef: they own the route (profiles are not consulted). */
  ownedConfigKeys: ReadonlySet<string>;
  /** Why OpenClaw cannot load this config (an unset `${VAR}` key, a roster without an owner), each with its fix. */
  loadProblems: string[];
  /** Why the cron jobs' model overrides (state DB `cron_jobs`) could not be read, naming the file; `null` when read or absent. */
  cronProblem: string | null;
  visit: SourceVisit;
  path: string;
  problem: string | null;
}

/** OpenClaw's `normalizeProviderId`: trimmed and lower-cased. */
const normalizeProviderId = (provider: string) => provider.trim().toLowerCase();

/**
 * `anthropic/claude-opus-4-6` → `anthropic`; a bare model name gets OpenClaw's default
 * provider, or the provider of the alias it names (`agents.defaults.models.<ref>.alias`).
 */
export function providerOfModelRef(ref: string, aliases: ReadonlyMap<string, string> = new Map()): string | null {
  const trimmed = ref.trim();
  if (!trimmed) return null;
  const slash = trimmed.indexOf('/');
  if (slash > 0) return normalizeProviderId(trimmed.slice(0, slash));
  const aliased = aliases.get(trimmed.toLowerCase());
  return aliased ?? openclawDefaultProvider;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
const primaryOf = (spec: unknown): string | undefined =>
  typeof spec === 'string' ? spec.trim() || undefined : isJsonObject(spec) && typeof spec.primary === 'string' ? spec.primary.trim() || undefined : undefined;
const fallbacksOf = (spec: unknown): string[] => (isJsonObject(spec) ? strings(spec.fallbacks) : []);

/** OpenClaw's `resolveSelectedModelFallbacksOverride`: an agent's own model replaces the default fallbacks. */
function agentFallbacksOverride(spec: unknown): string[] | undefined {
  if (!spec) return undefined;
  if (typeof spec === 'string') return primaryOf(spec) ? [] : undefined;
  if (!isJsonObject(spec)) return undefined;
  if (!Object.hasOwn(spec, 'fallbacks')) return Object.hasOwn(spec, 'primary') && primaryOf(spec) ? [] : undefined;
  return Array.isArray(spec.fallbacks) ? strings(spec.fallbacks) : undefined;
}

/** The heartbeat's own model: the agent's `heartbeat.model`, else `agents.defaults.heartbeat.model`. */
function heartbeatModelOf(entry: Record<string, unknown> | undefined, defaults: Record<string, unknown>): string | undefined {
  const of = (owner: Record<string, unknown> | undefined) => (owner && isJsonObject(owner.heartbeat) && typeof owner.heartbeat.model === 'string' ? owner.heartbeat.model.trim() || undefined : undefined);
  return of(entry) ?? of(defaults);
}


/** The bundled plugins' `modelCatalog.providers.<id>.defaultUtilityModel` (2026.9.6 dist/extensions/{anthropic,openai}/openclaw.plugin.json). */
const defaultUtilityModels: Readonly<Record<string, string>> = { anthropic: 'claude-haiku-4-5', openai: 'gpt-5.6-luna' };

/**
 * An agent without a `utilityModel` setting uses its own primary's provider's default utility
 * model (utility-model-*.mjs `resolveUtilityModelRefForAgent`, also for `models status` without `--agent`).
 */
function automaticUtilityModel(primary: string, aliases: ReadonlyMap<string, string>): string | undefined {
  const provider = providerOfModelRef(primary, aliases);
  const model = provider ? defaultUtilityModels[provider] : undefined;
  return model && `${provider}/${model}`;
}

/** Whether openclaw.json has an agent roster (`agents.entries` or `agents.list`), even an empty one. */
const hasRoster = (agents: Record<string, unknown>) => agents.entries !== undefined || agents.list !== undefined;

/**
 * OpenClaw's config validation: several agents need `agents.ownership: "explicit"` or exactly
 * one `default: true` ("multi-agent rosters require …"); without, neither the CLI (even with
 * `--agent`) nor the gateway loads the config.
 */
function rosterProblems(agents: Record<string, unknown>, entries: Map<string, Record<string, unknown>>): string[] {
  if (entries.size < 2 || agents.ownership === 'explicit') return [];
  if ([...entries.values()].filter((entry) => entry.default === true).length === 1) return [];
  return ['several agents and neither agents.ownership "explicit" nor one agent with default: true: OpenClaw refuses this config (add agents.ownership: "explicit" and agents.defaults.systemAgent.agentId, or run `openclaw doctor`)'];
}

/** OpenClaw's `listAgentIds`: the roster's ids, or the implicit `main` when there is no roster. */
function listAgentIds(agents: Record<string, unknown>, entries: Map<string, Record<string, unknown>>): string[] {
  return entries.size === 0 && !hasRoster(agents) ? [openclawDefaultAgent] : [...entries.keys()];
}

/**
 * The agent `openclaw models status` inspects without `--agent` (shared-*.mjs
 * `resolveModelsTargetAgent` → agent-scope-config `resolveAmbientOwnerAgentId`):
 * `agents.defaults.systemAgent.agentId` (the CLI writes it), else the one agent marked
 * `default: true` (not under `ownership: "explicit"`), else the sole agent; else the CLI
 * refuses (`AGENT_SELECTION_REQUIRED`), and so does an owner the roster does not list.
 */
function defaultAgentOf(document: unknown): { agent: string } | { refusal: string } {
  const config = isJsonObject(document) ? document : {};
  const agents = isJsonObject(config.agents) ? config.agents : {};
  const entries = agentEntries(agents);
  const ids = listAgentIds(agents, entries);
  const defaults = isJsonObject(agents.defaults) ? agents.defaults : {};
  const system = isJsonObject(defaults.systemAgent) && typeof defaults.systemAgent.agentId === 'string' ? defaults.systemAgent.agentId.trim() : '';
  const marked = agents.ownership === 'explicit' ? [] : [...entries].filter(([, entry]) => entry.default === true).map(([id]) => id);
  const sole = entries.size === 0 ? (hasRoster(agents) ? undefined : openclawDefaultAgent) : entries.size === 1 ? [...entries.keys()][0] : undefined;
  const chosen = system ? normalizeAgentId(system) : marked.length === 1 ? marked[0] : sole;
  if (chosen === undefined) {
    return { refusal: ids.length === 0 ? 'no agents are configured' : `several agents are configured (${ids.join(', ')}) and none is the default: set agents.defaults.systemAgent.agentId` };
  }
  if (!ids.includes(chosen)) return { refusal: `agents.defaults.systemAgent.agentId names ${JSON.stringify(chosen)}, which the agent list does not have` };
  return { agent: chosen };
}

/** The agent `models status` inspects: `--agent`, else the default agent (or `main` when the CLI would refuse). */
function selectedAgentId(document: unknown, requested: string | null): string {
  if (requested) return normalizeAgentId(requested);
  const chosen = defaultAgentOf(document);
  return 'agent' in chosen ? chosen.agent : openclawDefaultAgent;
}

/** A whole `${VAR}` template (OpenClaw's env substitution), the variable's name captured. */
const envTemplate = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/;

/** `models.providers.<id>.apiKey` of each provider entry. */
function configApiKeys(config: Record<string, unknown>): [string, unknown][] {
  const models = isJsonObject(config.models) && isJsonObject(config.models.providers) ? config.models.providers : {};
  return Object.entries(models).flatMap(([provider, entry]) => (isJsonObject(entry) && entry.apiKey !== undefined ? [[provider, entry.apiKey] as [string, unknown]] : []));
}

/** The `${VAR}` config keys whose variable the environment does not set: OpenClaw then fails to load its config. */
function unresolvedTemplates(document: unknown, env: Readonly<Record<string, string | undefined>>): string[] {
  const config = isJsonObject(document) ? document : {};
  return configApiKeys(config).flatMap(([provider, apiKey]) => {
    const name = typeof apiKey === 'string' ? envTemplate.exec(apiKey)?.[1] : undefined;
    return name && !env[name] ? [`models.providers.${provider}.apiKey names \${${name}}, which is not set: set it where the gateway runs (or in ~/.openclaw/.env)`] : [];
  });
}

/**
 * What `${VAR}` is resolved against: the process, then `<stateDir>/.env` (never over a set
 * variable), then openclaw.json's own `env` (its strings and `env.vars`).
 */
async function environmentOf(context: SourceContext, document: unknown): Promise<Readonly<Record<string, string | undefined>>> {
  const file = await readGatewayDotenv(join(primaryStateDir(context), '.env'));
  const config = isJsonObject(document) && isJsonObject(document.env) ? document.env : {};
  const own = { ...config, ...(isJsonObject(config.vars) ? config.vars : {}) };
  const fromConfig = Object.fromEntries(Object.entries(own).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  return { ...fromConfig, ...(file.kind === 'ok' ? Object.fromEntries(file.values) : {}), ...context.env };
}

/** Provider uses and auth ordering from a parsed openclaw.json; lenient where OpenClaw is. */
export function providerUsesOf(document: unknown, agent: string | null, statusView = false, cron: readonly CronModelJob[] = []): { uses: ProviderUse[]; agent: string; modelConfigured: boolean; auth: OpenclawAuthConfig; configKeys: Set<string>; ownedConfigKeys: Set<string>; ownEndpoints: Set<string> } {
  const config = isJsonObject(document) ? document : {};
  const agents = isJsonObject(config.agents) ? config.agents : {};
  const defaults = isJsonObject(agents.defaults) ? agents.defaults : {};
  const entries = agentEntries(agents);
  const selected = selectedAgentId(document, agent);
  const entry = entries.get(selected);
  // `models status` without `--agent` counts the defaults' models, but the inspected agent's
  // utility model (list.status-command: `readUtilityModelSetting(cfg, workspaceAgentId)`).
  const own = statusView && agent === null ? undefined : entry;
  const aliases = new Map<string, string>();
  const aliasTargets = new Map<string, string>();
  if (isJsonObject(defaults.models)) {
    for (const [ref, entry] of Object.entries(defaults.models)) {
      const slash = ref.indexOf('/');
      if (slash > 0 && isJsonObject(entry) && typeof entry.alias === 'string') {
        aliases.set(entry.alias.trim().toLowerCase(), normalizeProviderId(ref.slice(0, slash)));
        aliasTargets.set(entry.alias.trim().toLowerCase(), ref.trim());
      }
    }
  }
  const primary = primaryOf(own?.model) ?? primaryOf(defaults.model) ?? `${openclawDefaultProvider}/${openclawDefaultModel}`;
  const fallbacks = agentFallbacksOverride(own?.model) ?? fallbacksOf(defaults.model);
  const utility = typeof entry?.utilityModel === 'string' ? entry.utilityModel : typeof defaults.utilityModel === 'string' ? defaults.utilityModel : undefined;
  const configuredPrimary = primaryOf(entry?.model) ?? primaryOf(defaults.model);
  const heartbeat = heartbeatModelOf(entry, defaults);
  const automaticUtility = utility === undefined && configuredPrimary ? automaticUtilityModel(configuredPrimary, aliases) : undefined;
  // The model overrides of the enabled cron jobs this agent runs (a job without an agent runs on
  // the default agent); `models status` does not count them.
  const defaultAgent = defaultAgentOf(document);
  const runsJob = (job: CronModelJob) => (job.agent ?? ('agent' in defaultAgent ? defaultAgent.agent : openclawDefaultAgent)) === selected;
  const cronRefs = statusView ? [] : cron.filter(runsJob).flatMap((job) => [
    ...(job.model ? [{ ref: job.model, role: `cron job ${job.name}`, cronJob: { id: job.id, fallback: false } }] : []),
    ...job.fallbacks.map((ref) => ({ ref, role: `cron job ${job.name} fallback`, cronJob: { id: job.id, fallback: true } })),
  ]);
  const refs: { ref: string; role: string; cronJob?: CronJobRef }[] = [
    { ref: primary, role: primaryOf(own?.model) || primaryOf(defaults.model) ? 'model' : 'default model' },
    ...fallbacks.map((ref) => ({ ref, role: 'fallback' })),
    ...(primaryOf(defaults.imageModel) ? [{ ref: primaryOf(defaults.imageModel)!, role: 'image model' }] : []),
    ...fallbacksOf(defaults.imageModel).map((ref) => ({ ref, role: 'image fallback' })),
    ...(utility?.trim() ? [{ ref: utility, role: 'utility model' }] : []),
    // The heartbeat runs its own model (heartbeat-runner `resolveHeartbeatModelRef`: the agent's
    // `heartbeat.model`, else the defaults'); `models status` does not count it. A bare name
    // takes the agent's default provider there, not OpenClaw's: only a full ref or an alias counts.
    ...(!statusView && heartbeat && (heartbeat.includes('/') || aliasTargets.has(heartbeat.toLowerCase())) ? [{ ref: heartbeat, role: 'heartbeat model' }] : []),
  ];
  // The automatic one (the agent's own primary's provider) only adds a provider the models above
  // do not use already; without a configured primary it is the default model's, in use already.
  if (automaticUtility && !refs.some(({ ref }) => providerOfModelRef(ref, aliases) === providerOfModelRef(automaticUtility, aliases))) refs.push({ ref: automaticUtility, role: 'utility model' });
  refs.push(...cronRefs);
  const uses: ProviderUse[] = [];
  for (const { ref, role, cronJob } of refs) {
    const provider = providerOfModelRef(ref, aliases);
    const shown = ref.trim().slice(0, 80);
    const runs = ref.includes('/') ? ref.trim() : aliasTargets.get(ref.trim().toLowerCase());
    if (provider) uses.push({ provider, model: shown, role, ...(runs !== undefined && runs !== shown ? { runs } : {}), ...(cronJob ? { cronJob } : {}) });
  }
  const auth = isJsonObject(config.auth) ? config.auth : {};
  const order: Record<string, string[]> = {};
  if (isJsonObject(auth.order)) for (const [provider, ids] of Object.entries(auth.order)) order[normalizeProviderId(provider)] = strings(ids);
  const profiles: Record<string, { provider: string; mode: string | null }> = {};
  if (isJsonObject(auth.profiles)) {
    for (const [id, entry] of Object.entries(auth.profiles)) {
      if (isJsonObject(entry) && typeof entry.provider === 'string' && id !== '__proto__') {
        profiles[id] = { provider: normalizeProviderId(entry.provider), mode: typeof entry.mode === 'string' ? entry.mode : null };
      }
    }
  }
  const configKeys = new Set<string>();
  const ownedConfigKeys = new Set<string>();
  for (const [provider, apiKey] of configApiKeys(config)) {
    const secretRef = isJsonObject(apiKey) && typeof apiKey.source === 'string' && typeof apiKey.id === 'string';
    const template = typeof apiKey === 'string' && envTemplate.test(apiKey);
    if (!secretRef && !(typeof apiKey === 'string' && apiKey.trim())) continue;
    configKeys.add(normalizeProviderId(provider));
    // loader-runtime `resolveProviderConfigSecretInput`: a template or SecretRef is a ref, and a
    // ref makes the key the route's required source (model-auth-availability `directPolicy`).
    if (secretRef || template) ownedConfigKeys.add(normalizeProviderId(provider));
  }
  const models = isJsonObject(config.models) && isJsonObject(config.models.providers) ? config.models.providers : {};
  const ownEndpoints = new Set(Object.entries(models).flatMap(([provider, entry]) => (isJsonObject(entry) && typeof entry.baseUrl === 'string' && entry.baseUrl.trim() ? [normalizeProviderId(provider)] : [])));
  return { uses, agent: selected, modelConfigured: Boolean(primaryOf(own?.model) || primaryOf(defaults.model)), auth: { order, profiles }, configKeys, ownedConfigKeys, ownEndpoints };
}

/** The uses of a home without openclaw.json: OpenClaw's default model. */
const defaultUses = (): ProviderUse[] => [{ provider: openclawDefaultProvider, model: `${openclawDefaultProvider}/${openclawDefaultModel}`, role: 'default model' }];
const noAuth: OpenclawAuthConfig = { order: {}, profiles: {} };

/** Providers in use by OpenClaw's selected agent, and how it orders their profiles. */
export async function readOpenclawConfig(context: SourceContext): Promise<OpenclawConfigRead> {
  const name = 'openclaw-config';
  const path = openclawConfigPath(context);
  const fail = (message: string): OpenclawConfigRead => ({
    found: true,
    uses: [],
    statusUses: [],
    agentIds: [],
    agentRefusal: null,
    agent: context.agent ?? openclawDefaultAgent,
    modelConfigured: false,
    usesOf: () => [],
    auth: noAuth,
    configKeys: new Set(),
    ownedConfigKeys: new Set(),
    ownEndpoints: new Set(),
    loadProblems: [],
    cronProblem: null,
    visit: failedVisit(name, path, `${path}: ${message}`),
    path,
    problem: `${path}: ${message}`,
  });
  const file = await readCredentialFile(path);
  if (file.kind === 'absent') {
    return { found: false, uses: defaultUses(), statusUses: defaultUses(), agentIds: [], agentRefusal: null, agent: context.agent ?? openclawDefaultAgent, modelConfigured: false, usesOf: defaultUses, auth: noAuth, configKeys: new Set(), ownedConfigKeys: new Set(), ownEndpoints: new Set(), loadProblems: [], cronProblem: null, visit: absentVisit(name, path), path, problem: null };
  }
  if (file.kind === 'error') return fail(file.message);
  const json = await parseJson5Text(file.text);
  if (!json.ok) return fail(json.message);
  const defaults = readOpenclawModelDefaults(json.value);
  if (!defaults.ok) return fail(`unexpected content: ${defaults.problems.join('; ')}`);
  const document = json.value;
  const agents = isJsonObject(document) && isJsonObject(document.agents) ? document.agents : {};
  const defaultAgent = defaultAgentOf(document);
  // Cron jobs' models serve only the live model lookups: the state DB's jobs are read only when
  // live checks can run (a check's sources get the hand-over then), not on every check.
  const cron = context.handOverSecret ? await readCronModelJobs(context, isJsonObject(document) && isJsonObject(document.cron) ? document.cron.store : undefined) : { jobs: [], problem: null };
  return {
    found: true,
    ...providerUsesOf(document, context.agent, false, cron.jobs),
    statusUses: providerUsesOf(document, context.agent, true).uses,
    cronProblem: cron.problem,
    agentIds: listAgentIds(agents, agentEntries(agents)),
    agentRefusal: 'refusal' in defaultAgent ? defaultAgent.refusal : null,
    loadProblems: [...unresolvedTemplates(document, await environmentOf(context, document)), ...rosterProblems(agents, agentEntries(agents))],
    usesOf: (agent) => providerUsesOf(document, agent, false, cron.jobs).uses,
    visit: foundVisit(name, path),
    path,
    problem: null,
  };
}
