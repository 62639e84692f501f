import { formatLocalTime } from '../core/duration.js';
import type { OpenclawAuthConfig, ProviderUse } from '../sources/openclaw-config.js';
import type { AuthStoreFacts, Profile, SourceVisit, UsageFacts } from '../sources/source.js';
import { windowOf, type Window } from './windows.js';
import type { Evaluation } from './evaluate.js';
import { credentialKey, type CredentialChange } from './credential-changes.js';
import type { PolicyMode } from '../config/policy-modes.js';
import type { Status } from './status.js';
import { sourceNames } from '../sources/source-names.js';
import { envRowServesRoutes } from '../sources/provider-env.js';
import { normalizedModelId } from './model-ids.js';
import { blockEvidence, type WindowEvidence } from './block-evidence.js';
import { routeModels, type RouteModel } from './route-models.js';

// A route per provider in use: the profiles the gateway would try, in its order
// (OpenClaw 2026.9.6 dist/order-*.mjs, usage-state-*.mjs, model-auth-availability-*.mjs),
// what keeps each from serving, and the verdict. Pure: profiles (with their usage stats),
// config and `now` in.

/** Sources whose credentials the gateway picks from. */
export const gatewaySources: ReadonlySet<string> = new Set([sourceNames.openclawStore, sourceNames.openclawDb, sourceNames.openclawCli, sourceNames.gateway, sourceNames.env]);
const storeSources: ReadonlySet<string> = new Set([sourceNames.openclawStore, sourceNames.openclawDb, sourceNames.openclawCli, sourceNames.gateway]);

/** A profile's (or config key's) window on a route (windows.ts), and whether it is stale. */
export interface RouteWindow extends Window {
  profile: string;
  /**
   * Stale: the credential was replaced after the failure that opened this window (authwatch saw
   * the change by this time), and the new one has not failed since. `null`: no such change seen.
   */
  credentialChangedAt: number | null;
  /** What the credential's live check says of it (block-evidence.ts); `null`: nothing fresh and relevant. */
  evidence: WindowEvidence | null;
}

export interface RouteStep {
  evaluation: Evaluation;
  /** Why the gateway skips it whatever its window: `expired`, `missing_credential`, `mode_mismatch`, … */
  ineligible: string | null;
  /** The window that keeps it from this route's model, whatever its eligibility. */
  window: RouteWindow | null;
  /** The gateway may select it now: eligible, available, and in no window. */
  selectable: boolean;
  /**
   * Whether the gateway counts it as available whatever its window: `unknown` for a refreshable
   * OAuth login whose access token is stale (OpenClaw's read-only availability is indeterminate).
   */
  readiness: 'ready' | 'unknown' | 'unavailable';
}

export type RouteVerdict = 'serving' | 'on-fallback' | 'unavailable';

export interface Route {
  provider: string;
  /** The OpenClaw agent whose route it is (its own store over the shared one); `null`: the shared store alone. */
  agent: string | null;
  /** The fleet name of the gateway that runs the agent (the config's `gateways`); `null` otherwise. */
  gateway: string | null;
  /** The model refs that use it, with their role (`model anthropic/claude-opus-4-6`). */
  uses: string[];
  /** The models it runs, and whether a live lookup found each at the provider (route-models.ts). */
  models: RouteModel[];
  /** `--policy openclaw`: the harness runtime the route needs and does not have (it is then unavailable). */
  runtime: string | null;
  /** Why a credential is required for it, when more than its own stored credentials put it in use. */
  required: string | null;
  steps: RouteStep[];
  /** Env / config keys the gateway falls back to. */
  keys: { id: string; evaluation: Evaluation | null }[];
  verdict: RouteVerdict;
  /** The profile or key that serves, and its status. */
  serving: { id: string; status: Status } | null;
  /** On fallback: the profile the order starts with, and what keeps it out. */
  fallbackFrom: { profile: string; status: Status; window: RouteWindow | null } | null;
  /** The windows of its profiles and config key. */
  windows: RouteWindow[];
  /** Unavailable: the soonest time a profile comes back by itself; `null` means it needs a login. */
  recoversAt: number | null;
  /** The latest expiry among selectable credentials; `null` when one never expires (or nothing serves). */
  expiresAt: number | null;
  /** What it means for the exit code. */
  status: Status;
}

export interface RouteInputs {
  mode: PolicyMode;
  /** The providers a route owner uses, given those its stores hold a credential for (or the same for every owner). */
  uses: readonly ProviderUse[] | ((owner: string | null, stored: readonly string[]) => readonly ProviderUse[]);
  evaluations: readonly Evaluation[];
  visits: readonly SourceVisit[];
  auth: OpenclawAuthConfig;
  configKeys: ReadonlySet<string>;
  /** Config keys given as `${VAR}` or a SecretRef: the route's required source, its profiles not consulted. */
  ownedConfigKeys?: ReadonlySet<string>;
  /** The one OpenClaw agent to judge (`--agent`, `--policy openclaw`); `null`: every agent the gateway runs. */
  agent: string | null;
  /** The agents the gateway runs (openclaw.json's roster, or its implicit `main`): each is judged, also without a store of its own. */
  agents?: readonly string[];
  /** Credential changes authwatch saw, by credentialKey (credential-changes.ts). */
  changes: ReadonlyMap<string, CredentialChange>;
  now: number;
  /** The `gateway` label of each agent a gateway of the config's `gateways` runs. */
  gateways?: ReadonlyMap<string, string>;
}

/** The credentials in a window still open (whatever model it is scoped to), for the credential memory. */
export function evaluationsInWindow(evaluations: readonly Evaluation[], now: number): Evaluation[] {
  return evaluations.filter((e) => e.profile.usage !== null && windowOf(e.profile.provider, e.profile.usage, now) !== null);
}

/**
 * A window opened by a failure before the credential was replaced: the gateway skips a
 * credential it has not tried. Without `lastFailureAt` the window cannot be dated.
 */
function staleSince(change: CredentialChange | undefined, stats: UsageFacts | null): number | null {
  const failedAt = stats?.lastFailureAt;
  return change !== undefined && failedAt !== undefined && failedAt <= change.changedAfter ? change.changedAt : null;
}

/**
 * `anthropic:work disabled: billing until 18:40`, and `, stale: set before its credential changed (seen 17:02)`;
 * with live evidence, `anthropic:work works, but the gateway skips it until 18:40: billing disabled set 11:05; live check 11:30: usage now 3 % (5h window)`
 * or `…; block confirmed by the live check 11:30: usage 100 % (5h window) until 16:00`.
 */
export function describeWindow(u: RouteWindow): string {
  const stale = u.credentialChangedAt === null ? '' : `, stale: set before its credential changed (seen ${formatLocalTime(u.credentialChangedAt)})`;
  const checked = u.evidence && `live check ${formatLocalTime(u.evidence.observedAt)}`;
  if (u.evidence?.verdict === 'works') {
    const set = u.since === null ? '' : ` set ${formatLocalTime(u.since)}`;
    return `${u.profile} works, but the gateway skips it until ${formatLocalTime(u.until)}: ${u.reason ? `${u.reason} ` : ''}${u.kind}${u.model ? ` (${u.model})` : ''}${set}; ${checked}: ${u.evidence.says}${stale}`;
  }
  const confirmed = u.evidence ? `; block confirmed by the ${checked}: ${u.evidence.says}` : '';
  return `${u.profile} ${u.kind}${u.reason ? `: ${u.reason}` : ''}${u.model ? ` (${u.model})` : ''} until ${formatLocalTime(u.until)}${stale}${confirmed}`;
}

/** OpenClaw's stored-credential eligibility (`evaluateStoredCredentialEligibility` and the order's checks). */
function ineligibility(profile: Profile, auth: OpenclawAuthConfig, now: number): string | null {
  if (profile.verdict !== null) return profile.verdict.status === 'missing' ? 'invalid_expires' : 'expired';
  if (profile.secret === 'absent') return 'missing_credential';
  const configured = auth.profiles[profile.id];
  if (configured) {
    if (configured.provider !== profile.provider.toLowerCase()) return 'provider_mismatch';
    if (configured.mode !== null && configured.mode !== profile.type && !(configured.mode === 'oauth' && profile.type === 'token')) return 'mode_mismatch';
  }
  if (profile.type === 'token' && profile.expiresAt !== null && profile.expiresAt <= now) return 'expired';
  return null;
}

/**
 * OpenClaw's read-only availability (`resolveStoredCredentialReadOnlyAvailability`): a live OAuth
 * access token is ready; a stale one with a refresh token is indeterminate (openai's is ready:
 * it can refresh read-only); without one it is unavailable.
 */
function openclawReadiness(e: Evaluation, now: number): RouteStep['readiness'] {
  const { profile } = e;
  if (profile.type !== 'oauth') return 'ready';
  if (profile.expiresAt !== null && profile.expiresAt > now && profile.secret === 'present') return 'ready';
  if (!profile.refreshable) return 'unavailable';
  return profile.provider === 'openai' ? 'ready' : 'unknown';
}

const typeScore = (type: Profile['type']) => (type === 'oauth' ? 0 : type === 'token' ? 1 : type === 'api_key' ? 2 : 3);

/** What each auth store says beside its credentials (order, config keys' windows), by the path it was read from. */
function storeFacts(visits: readonly SourceVisit[]): Map<string, AuthStoreFacts> {
  const byPath = new Map<string, AuthStoreFacts>();
  for (const visit of visits) if (visit.authStore && visit.path !== null) byPath.set(visit.path, visit.authStore);
  return byPath;
}

const storeOf = (facts: Map<string, AuthStoreFacts>, e: Evaluation) => (e.profile.path === null ? undefined : facts.get(e.profile.path));

// The loops over a route's profiles live in the small functions below, not in buildRoute: V8
// optimises a function whose loops run long, and buildRoute whole took it far longer to compile
// than a 10,000-profile check then ran in it (docs/performance.md).

/** Each id's first evaluation (the owner's own profiles come first). */
function firstOfEachId(stored: readonly Evaluation[]): Map<string, Evaluation> {
  const byId = new Map<string, Evaluation>();
  for (const e of stored) if (!byId.has(e.profile.id)) byId.set(e.profile.id, e);
  return byId;
}

/**
 * The ids the gateway goes through, and whether an explicit order (the store's, else the
 * config's) gave them; without one: auth.profiles, else every stored profile.
 */
function baseOrder(provider: string, stored: readonly Evaluation[], byId: ReadonlyMap<string, Evaluation>, auth: OpenclawAuthConfig, facts: Map<string, AuthStoreFacts>): { ids: readonly string[]; explicit: boolean } {
  let storeOrder: readonly string[] | undefined;
  for (const e of stored) {
    storeOrder = storeOf(facts, e)?.order[provider];
    if (storeOrder !== undefined) break;
  }
  // A store may order a provider it holds no profile of (an empty order too).
  if (stored.length === 0) for (const f of facts.values()) storeOrder ??= f.order[provider];
  const explicit = storeOrder ?? auth.order[provider];
  const configured = Object.keys(auth.profiles).filter((id) => auth.profiles[id]!.provider === provider);
  const ids = explicit ?? (configured.length > 0 ? configured : [...byId.keys()]);
  // An order naming none of the stored profiles is no order at all.
  if (ids.length > 0 && ids.every((id) => !byId.has(id)) && (storeOrder !== undefined || configured.length > 0)) return { ids: [...byId.keys()], explicit: false };
  return { ids, explicit: explicit !== undefined };
}

/** A step per stored profile of `ids`, each id once: what keeps it out, and whether it could serve now. */
function routeSteps(provider: string, model: string | null, ids: readonly string[], byId: ReadonlyMap<string, Evaluation>, input: RouteInputs): RouteStep[] {
  const { now, auth, mode } = input;
  const steps: RouteStep[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    const evaluation = byId.get(id);
    if (!evaluation || seen.has(id)) continue;
    seen.add(id);
    const ineligible = ineligibility(evaluation.profile, auth, now);
    const { usage } = evaluation.profile;
    const open = ineligible ? null : windowOf(provider, usage, now, model);
    const window = open && { profile: id, ...open, credentialChangedAt: staleSince(input.changes.get(credentialKey(evaluation)), usage), evidence: blockEvidence(open, evaluation.live, now) };
    const readiness = ineligible !== null ? 'unavailable' : mode === 'openclaw' ? openclawReadiness(evaluation, now) : evaluation.status === 'ok' || evaluation.status === 'expiring' ? 'ready' : 'unavailable';
    steps.push({ evaluation, ineligible, window, selectable: readiness !== 'unavailable' && window === null, readiness });
  }
  return steps;
}

/**
 * The eligible steps in OpenClaw's round-robin order (without an explicit one): OAuth, then
 * tokens, then keys; an expired OAuth login after the others of its type; least recently used first.
 */
function ranked(eligible: RouteStep[], explicitOrder: boolean, now: number): RouteStep[] {
  if (explicitOrder) return eligible;
  const lastUsed = (s: RouteStep) => s.evaluation.profile.usage?.lastUsed ?? 0;
  const expiredLogin = (s: RouteStep) => Number(s.evaluation.profile.type === 'oauth' && (s.evaluation.profile.expiresAt ?? Infinity) <= now);
  return eligible.toSorted((a, b) => typeScore(a.evaluation.profile.type) - typeScore(b.evaluation.profile.type) || expiredLogin(a) - expiredLogin(b) || lastUsed(a) - lastUsed(b));
}

/** The order the gateway tries the eligible steps in: ranked, those out of their window first, then the others soonest back first. */
function tryOrder(steps: readonly RouteStep[], explicitOrder: boolean, now: number): { head: RouteStep | undefined; allInWindow: boolean; ordered: RouteStep[] } {
  const order = ranked(steps.filter((s) => s.ineligible === null), explicitOrder, now);
  const waiting = order.filter((s) => s.window).toSorted((a, b) => a.window!.until - b.window!.until);
  // OpenClaw's "all-cooldown": every available profile (not those unavailable anyway) is in its window.
  const available = order.filter((s) => s.readiness !== 'unavailable');
  return { head: order[0], allInWindow: available.length > 0 && available.every((s) => s.window), ordered: [...order.filter((s) => !s.window), ...waiting] };
}

/** The route's windows (its profiles' and the config key's), and when the credentials among them that are ok come back. */
function windowsOf(steps: readonly RouteStep[], inline: RouteWindow | null): { windows: RouteWindow[]; recoveries: number[] } {
  const windows: RouteWindow[] = [];
  const recoveries: number[] = [];
  for (const s of steps) {
    if (!s.window) continue;
    windows.push(s.window);
    if (s.evaluation.status === 'ok' || s.evaluation.status === 'expiring') recoveries.push(s.window.until);
  }
  if (inline) {
    windows.push(inline);
    recoveries.push(inline.until);
  }
  return { windows, recoveries };
}

/** When the selectable credentials run dry: the latest expiry; `null` when one never expires (or renews itself, but for `--policy openclaw`), or none is selectable. */
function runsDryAt(selectable: readonly Evaluation[], mode: PolicyMode): number | null {
  let latest = -Infinity;
  for (const e of selectable) {
    const expiry = e.profile.refreshable && mode !== 'openclaw' ? null : e.expiresAt;
    if (expiry === null) return null;
    latest = Math.max(latest, expiry);
  }
  return selectable.length === 0 ? null : latest;
}

/**
 * Whether an env or config key may serve the route (provider-model-route-auth-*.mjs
 * `selectProviderModelAuthSources`): an explicit order (store or `auth.order`, an empty one
 * too) with no available profile is rejected before any fallback, and so (`--policy openclaw`)
 * is a route whose every available profile is in its window ("all-cooldown"); an ambient env key
 * is no fallback once the order holds any eligible profile; a key in openclaw.json is.
 */
function keyMayServe(key: Route['keys'][number], steps: readonly RouteStep[], explicitOrder: boolean, mode: PolicyMode, allInWindow: boolean): boolean {
  const eligible = steps.filter((s) => s.ineligible === null);
  if (explicitOrder && !eligible.some((s) => s.readiness !== 'unavailable')) return false;
  if (mode === 'openclaw' && allInWindow) return false;
  const ambient = key.evaluation !== null;
  return !ambient || eligible.length === 0;
}

function buildRoute(provider: string, agent: string | null, uses: readonly ProviderUse[], input: RouteInputs, facts: Map<string, AuthStoreFacts>, stored: readonly Evaluation[], keys: Route['keys']): Route {
  const { now, mode } = input;
  const firstUse = uses[0];
  const model = firstUse?.model ? normalizedModelId(provider, firstUse.model.slice(firstUse.model.indexOf('/') + 1)) : null;
  // A `${VAR}` / SecretRef config key owns the route (model-auth-availability `directPolicy`:
  // `required`); only its `inline-api-key:<provider>` window can keep it out.
  const byId = firstOfEachId(input.ownedConfigKeys?.has(provider) ? [] : stored);
  const base = baseOrder(provider, stored, byId, input.auth, facts);
  const steps = routeSteps(provider, model, base.ids, byId, input);
  const { head, allInWindow, ordered } = tryOrder(steps, base.explicit, now);
  // OpenClaw's `selectReadyProfile`: an indeterminate first choice yields to a ready one behind it.
  const firstSelectable = ordered.find((s) => s.selectable) ?? null;
  const servingStep = firstSelectable?.readiness === 'unknown' ? (ordered.find((s) => s.selectable && s.readiness === 'ready') ?? firstSelectable) : firstSelectable;
  const inlineId = `inline-api-key:${provider}`;
  const inlineUsage = input.configKeys.has(provider) ? [...facts.values()].find((f) => Object.hasOwn(f.inlineKeys, inlineId))?.inlineKeys[inlineId] : undefined;
  const inlineWindow = inlineUsage ? windowOf(provider, inlineUsage, now, model) : null;
  const inline = inlineWindow && { profile: inlineId, ...inlineWindow, credentialChangedAt: null, evidence: null };
  const owned = input.ownedConfigKeys?.has(provider) === true;
  const selectableKeys = keys.filter((k) => (k.evaluation ? !owned && k.evaluation.status === 'ok' : inline === null) && (owned || keyMayServe(k, steps, base.explicit, mode, allInWindow)));
  const servingKey = servingStep ? null : (selectableKeys[0] ?? null);
  const runtime = mode === 'openclaw' ? runtimeMissing(provider, uses) : null;
  const serving = runtime !== null
    ? null
    : servingStep
    ? { id: servingStep.evaluation.profile.id, status: servingStep.evaluation.status }
    : servingKey
      ? { id: servingKey.id, status: servingKey.evaluation?.status ?? ('ok' as Status) }
      : null;
  const { windows, recoveries } = windowsOf(steps, inline);
  const onFallback = serving !== null && head !== undefined && head !== servingStep;
  const selectable = [...ordered.filter((s) => s.selectable).map((s) => s.evaluation), ...selectableKeys.flatMap((k) => (k.evaluation ? [k.evaluation] : []))];
  const picked: RouteVerdict = serving === null ? 'unavailable' : onFallback ? 'on-fallback' : 'serving';
  const status = routeStatus(mode, picked, servingStep, selectable, steps, uses, serving);
  // `models status` counts a route whose selected profile is not healthy (expired, missing, or an
  // OAuth login it cannot confirm read-only) as one it cannot serve: so does its drop-in.
  const cliDown = mode === 'openclaw' && status === 'missing';
  const verdict: RouteVerdict = cliDown ? 'unavailable' : picked;
  return {
    provider,
    agent,
    gateway: (agent !== null && input.gateways?.get(agent)) || null,
    uses: uses.map((u) => `${u.role} ${u.model}`.trim()),
    models: routeModels(provider, uses),
    runtime,
    required: uses.find((u) => u.role !== 'stored')?.reason ?? null,
    steps: [...ordered, ...steps.filter((s) => s.ineligible !== null)],
    keys,
    verdict,
    serving: cliDown ? null : serving,
    fallbackFrom: onFallback && !cliDown ? { profile: head.evaluation.profile.id, status: head.evaluation.status, window: head.window } : null,
    windows,
    recoversAt: serving === null && recoveries.length > 0 ? Math.min(...recoveries) : null,
    expiresAt: runsDryAt(selectable, mode),
    status,
  };
}

const imageRoles = new Set(['image model', 'image fallback']);
const textRoles = new Set(['model', 'fallback', 'default model']);

/**
 * OpenClaw 2026.9.6 runs a text model (primary or fallback) of `openai` on the Codex harness
 * runtime, and no bundled plugin provides it: `models status` reports that route unavailable
 * whatever key is set (list.status-command-*.mjs `resolveCodexRuntimeAvailability`).
 */
function runtimeMissing(provider: string, uses: readonly ProviderUse[]): string | null {
  return provider === 'openai' && uses.some((u) => textRoles.has(u.role)) ? 'needs the codex runtime, which no bundled OpenClaw plugin provides' : null;
}

function routeStatus(
  mode: PolicyMode,
  verdict: RouteVerdict,
  servingStep: RouteStep | null,
  selectable: readonly Evaluation[],
  steps: readonly RouteStep[],
  uses: readonly ProviderUse[],
  serving: Route['serving'],
): Status {
  if (mode === 'openclaw') {
    // `checkStatus`: only the selected profile's health counts; a key with no profile is ok.
    // Image models are checked for availability alone, without a selected profile.
    if (verdict === 'unavailable') return 'missing';
    const imageOnly = uses.length > 0 && uses.every((u) => imageRoles.has(u.role));
    const health = imageOnly ? 'ok' : (servingStep?.evaluation.status ?? 'ok');
    return health === 'expiring' ? 'expiring' : health === 'ok' ? 'ok' : 'missing';
  }
  if (verdict === 'unavailable') return steps.some((s) => s.evaluation.status === 'expired') ? 'expired' : 'missing';
  // Serving, but not as configured: a warning, like a credential about to expire.
  if (verdict === 'on-fallback') return 'expiring';
  // A key in openclaw.json serves without a row of its own: it is ok as long as it is not in a window.
  return serving?.status === 'ok' || selectable.some((e) => e.status === 'ok') ? 'ok' : 'expiring';
}

/**
 * Whether `owner`'s gateway sees a stored profile. OpenClaw 2026.9.6 loads an agent's store over
 * the shared one (dist/store-*.mjs `loadRuntimeAuthProfileStore`: `mergeAuthProfileStores(main,
 * agent)`, the main store being the state DB or `agents/main/agent`): an agent sees its own
 * profiles, the shared ones and main's, never another agent's. Env keys are every agent's.
 */
function seenBy(owner: string | null, e: Evaluation): boolean {
  const { agent, source } = e.profile;
  if (source === sourceNames.env) return true;
  return storeSources.has(source) && (agent === null || agent === owner || (owner !== null && agent === 'main'));
}

/**
 * The route owners: the one agent asked for, else every agent the gateway runs and every agent
 * with profiles of its own (issue 26: an agent that only inherits the shared store is judged
 * too); a home with one agent and no per-agent store has one owner, the shared store (`null`).
 */
function routeOwners(input: RouteInputs): (string | null)[] {
  if (input.agent !== null) return [input.agent];
  const withStore = new Set<string>();
  for (const e of input.evaluations) if (storeSources.has(e.profile.source) && e.profile.agent !== null) withStore.add(e.profile.agent);
  const agents = new Set([...(input.agents ?? []), ...withStore]);
  return withStore.size === 0 && agents.size <= 1 ? [null] : [...agents].toSorted();
}

const judged = (e: Evaluation) => e.profile.problem === null && e.profile.type !== null;

/** Appends `value` to the list under `key`. */
function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The profiles a route may use, by agent, and those others may share (env keys, the shared and main stores). */
function byOwner(evaluations: readonly Evaluation[]): { byAgent: Map<string | null, Evaluation[]>; shareable: Evaluation[] } {
  const byAgent = new Map<string | null, Evaluation[]>();
  const shareable: Evaluation[] = [];
  for (const e of evaluations) {
    if (!judged(e)) continue;
    addTo(byAgent, e.profile.agent, e);
    if (e.profile.source === sourceNames.env || e.profile.agent === null || e.profile.agent === 'main') shareable.push(e);
  }
  return { byAgent, shareable };
}

/** What `owner` sees, its own profiles first: an id it shares with the main store is its own one. */
function seenByOwner(owner: string | null, { byAgent, shareable }: ReturnType<typeof byOwner>): Evaluation[] {
  const own = (byAgent.get(owner) ?? []).filter((e) => seenBy(owner, e));
  return [...own, ...shareable.filter((e) => e.profile.agent !== owner && seenBy(owner, e))];
}

/** The stored profiles and the env keys an owner sees, by provider. */
function byProvider(seen: readonly Evaluation[], mode: PolicyMode): { stored: Map<string, Evaluation[]>; env: Map<string, Evaluation[]>; providers: string[] } {
  const stored = new Map<string, Evaluation[]>();
  const env = new Map<string, Evaluation[]>();
  const providers = new Set<string>();
  for (const e of seen) {
    // A pool's rotation key serves only after the route's own key; an external plugin's key only through that plugin.
    if (e.profile.source === sourceNames.env && !envRowServesRoutes(e.profile, mode)) continue;
    const provider = e.profile.provider.toLowerCase();
    addTo(e.profile.source === sourceNames.env ? env : stored, provider, e);
    providers.add(provider);
  }
  return { stored, env, providers: [...providers] };
}

/** The routes of the providers in use, per owner (agent), in first-use order. */
export function buildRoutes(input: RouteInputs): Route[] {
  const facts = storeFacts(input.visits);
  // Each owner looks at its own profiles and at those others may share with it, not at every
  // agent's: the work grows with the profiles, not with profiles × agents. The loops are in the
  // functions above, for the reason given at firstOfEachId.
  const owned = byOwner(input.evaluations);
  return routeOwners(input).flatMap((owner) => {
    const { stored, env, providers } = byProvider(seenByOwner(owner, owned), input.mode);
    const uses = typeof input.uses === 'function' ? input.uses(owner, providers) : input.uses;
    const usesBy = new Map<string, ProviderUse[]>();
    for (const use of uses) addTo(usesBy, use.provider, use);
    return [...usesBy].map(([provider, providerUses]) => {
      const keys: Route['keys'] = [
        ...(env.get(provider) ?? []).map((e) => ({ id: e.profile.id, evaluation: e })),
        ...(input.configKeys.has(provider) ? [{ id: `config:models.providers.${provider}.apiKey`, evaluation: null }] : []),
      ];
      return buildRoute(provider, owner, providerUses, input, facts, stored.get(provider) ?? [], keys);
    });
  });
}

/**
 * Whether some route considers `e` (a profile its owner sees, of a provider it uses), asked of
 * every profile: the routes are indexed by provider once, and the profile's own agent is asked first.
 */
export function routeCoverage(routes: readonly Route[]): (e: Evaluation) => boolean {
  const owners = new Map<string, Set<string | null>>();
  for (const route of routes) owners.set(route.provider, (owners.get(route.provider) ?? new Set()).add(route.agent));
  return (e) => {
    const of = owners.get(e.profile.provider.toLowerCase());
    if (!of) return false;
    if (of.has(e.profile.agent) && seenBy(e.profile.agent, e)) return true;
    for (const owner of of) if (seenBy(owner, e)) return true;
    return false;
  };
}

/**
 * Whether the gateway skips a credential that works by the live evidence, where it matters: on
 * a route not served as configured (on fallback, unavailable). A working credential waiting
 * behind the one that serves is no news. The metric and the notice both ask this.
 */
export const skipsWorkingCredential = (route: Route, u: RouteWindow): boolean => route.verdict !== 'serving' && u.evidence?.verdict === 'works';

/** One line for people: `on fallback anthropic:default (anthropic:work disabled: billing until 18:40)`. */
export function describeRoute(route: Route): string {
  const serving = route.serving ? `${route.serving.id}${route.serving.status === 'ok' ? '' : ` (${route.serving.status})`}` : '';
  switch (route.verdict) {
    case 'serving':
      return `serving ${serving}${route.expiresAt !== null ? `, runs dry ${formatLocalTime(route.expiresAt)}` : ''}`;
    case 'on-fallback': {
      const from = route.fallbackFrom!;
      return `on fallback ${serving} (${from.window ? describeWindow(from.window) : `${from.profile} ${from.status}`})`;
    }
    case 'unavailable': {
      if (route.runtime !== null) return `unavailable, ${route.runtime}`;
      const why = route.windows.length > 0 ? route.windows.map(describeWindow).join(', ') : route.steps.map((s) => `${s.evaluation.profile.id} ${s.ineligible ?? s.evaluation.status}`).join(', ');
      const when = route.recoversAt !== null ? `recovers ${formatLocalTime(route.recoversAt)}` : 'needs login';
      return `unavailable, ${when}${why ? ` (${why})` : ''}`;
    }
  }
}
