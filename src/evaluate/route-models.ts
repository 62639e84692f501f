import { describeSpan } from '../core/duration.js';
import { makeProfile, type Profile } from '../sources/source.js';
import type { CronJobRef, ProviderUse } from '../sources/openclaw-config.js';
import type { Evaluation } from './evaluate.js';
import { normalizedModelId } from './model-ids.js';
import type { Status } from './status.js';

// Whether each model a route runs still exists at its provider (issue 30 §4): the models a
// route's uses name, the credential that would serve them, and what a zero-token model lookup
// (src/live) said. Pure.

type ModelVerdict = 'exists' | 'missing' | 'inconclusive' | 'not-checkable';

/** What a model lookup saw, and when. */
export interface ModelFact {
  verdict: ModelVerdict;
  /** When it was asked (or found not askable), epoch ms. */
  observedAt: number;
  httpStatus: number | null;
  /** The provider's words (scrubbed), or why nothing was asked. */
  message: string;
  /** When the provider last listed the model, epoch ms. */
  lastSeenAt: number | null;
  /** The profile or key whose credential asked. */
  checkedWith: string;
}

/** One model a route runs. */
export interface RouteModel {
  /** `model`, `fallback`, `image model`, `image fallback`, `utility model`, `heartbeat model`, `default model`. */
  role: string;
  /** As the config writes it (`anthropic/claude-opus-4-6`, an alias). */
  ref: string;
  /** The id the gateway sends the provider (OpenClaw's normalisation); `null`: not known (a bare name outside the primary). */
  id: string | null;
  /** `null`: not looked up (live checks off, or no credential serves the route). */
  check: ModelFact | null;
  /** Set for a cron job's model override. */
  cronJob?: CronJobRef;
}

/** The models of a route's uses, once per role and id. */
export function routeModels(provider: string, uses: readonly ProviderUse[]): RouteModel[] {
  const models: RouteModel[] = [];
  for (const use of uses) {
    if (!use.model) continue;
    const runs = (use.runs ?? use.model).trim();
    const slash = runs.indexOf('/');
    // A bare name (no alias) takes the default provider for the primary only; elsewhere OpenClaw
    // gives it the agent's own default provider, which a lookup under this route could get wrong.
    const primary = use.role === 'model' || use.role === 'default model';
    const id = slash > 0 || primary ? normalizedModelId(provider, runs.slice(slash + 1)) : null;
    if (!models.some((m) => m.role === use.role && m.id === id && m.ref === use.model)) models.push({ role: use.role, ref: use.model, id, check: null, ...(use.cronJob ? { cronJob: use.cronJob } : {}) });
  }
  return models;
}

/** What of a route (routes.ts) the model checks read: routes.ts builds its models with `routeModels`. */
interface ModelRoute {
  provider: string;
  agent: string | null;
  models: RouteModel[];
  serving: { id: string } | null;
  steps: readonly { evaluation: Evaluation }[];
  keys: readonly { id: string; evaluation: Evaluation | null }[];
}

/** A model the lookup can ask about: the id, with the credential that would serve its route. */
export interface ModelTarget {
  profile: Profile;
  model: string;
}

/** The profile (stored, or an env key's row) that serves the route; `null` for a key in openclaw.json or none. */
function servingProfile(route: ModelRoute): Profile | null {
  const id = route.serving?.id;
  if (id === undefined) return null;
  const step = route.steps.find((s) => s.evaluation.profile.id === id);
  return step?.evaluation.profile ?? route.keys.find((k) => k.id === id)?.evaluation?.profile ?? null;
}

/**
 * Why a route's models cannot be looked up whatever its credential: the gateway sends the
 * provider to a base URL of its own (a proxy, a local server with models of its own), not
 * where the lookup asks.
 */
function routeUncheckable(route: ModelRoute, ownEndpoints: ReadonlySet<string>): string | null {
  return ownEndpoints.has(route.provider) ? `the gateway sends ${route.provider} to its own base URL (models.providers.${route.provider}.baseUrl in openclaw.json)` : null;
}

/** What to look up: each route's models with a known id, by the credential that serves the route. */
export function modelTargets(routes: readonly ModelRoute[], ownEndpoints: ReadonlySet<string>): ModelTarget[] {
  const targets: ModelTarget[] = [];
  for (const route of routes) {
    if (routeUncheckable(route, ownEndpoints) !== null) continue;
    const profile = servingProfile(route);
    if (!profile) continue;
    for (const model of route.models) if (model.id !== null && !targets.some((t) => t.profile === profile && t.model === model.id)) targets.push({ profile, model: model.id });
  }
  return targets;
}

/**
 * The routes with their models' lookups: `facts(profile, model)` is what the lookup said, if it
 * ran. A route served by a key in openclaw.json has no credential the live checks hold.
 */
export function withModelChecks<R extends ModelRoute>(routes: readonly R[], facts: (profile: Profile, model: string) => ModelFact | undefined, now: number, ownEndpoints: ReadonlySet<string>): R[] {
  return routes.map((route) => {
    const profile = servingProfile(route);
    if (route.serving === null) return route;
    const why = routeUncheckable(route, ownEndpoints) ?? (profile ? null : 'served by a key the live checks do not hold (openclaw.json)');
    if (why !== null || !profile) {
      const check: ModelFact = { verdict: 'not-checkable', observedAt: now, httpStatus: null, message: why ?? '', lastSeenAt: null, checkedWith: route.serving.id };
      return { ...route, models: route.models.map((m) => ({ ...m, check })) };
    }
    return { ...route, models: route.models.map((m) => ({ ...m, check: (m.id !== null ? facts(profile, m.id) : undefined) ?? null })) };
  });
}

const fallbackRoles = new Set(['fallback', 'image fallback']);

/** The one command that takes a model that does not exist out of the config. */
export function modelFix(route: Pick<ModelRoute, 'provider' | 'agent'>, model: RouteModel): string {
  const ref = model.ref.includes('/') ? model.ref : `${route.provider}/${model.ref}`;
  const instead = '<a model that exists>';
  const agent = route.agent !== null && route.agent !== 'main' ? ` (for the agent ${route.agent}: its own setting in openclaw.json's agents list, when it has one)` : '';
  // A cron job's override is the job's own setting (`openclaw cron edit`), whichever agent runs it.
  if (model.cronJob) return model.cronJob.fallback ? `openclaw cron edit ${model.cronJob.id} --fallbacks <its fallbacks without ${ref}> (or --clear-fallbacks)` : `openclaw cron edit ${model.cronJob.id} --model ${instead} (or --clear-model: the agent's own model)`;
  switch (model.role) {
    case 'fallback':
      return `openclaw models fallbacks remove ${ref}${agent}`;
    case 'image fallback':
      return `openclaw models image-fallbacks remove ${ref}`;
    case 'image model':
      return `openclaw models set-image ${instead}`;
    case 'utility model':
      return `openclaw config set agents.defaults.utilityModel ${instead}${agent}`;
    case 'heartbeat model':
      return `openclaw config set agents.defaults.heartbeat.model ${instead}${agent}`;
    default:
      return `openclaw models set ${instead}${agent}`;
  }
}

/** `fallback anthropic/claude-3-opus does not exist (404: model: claude-3-opus, checked 5m ago with anthropic:default)` */
export function describeMissing(route: Pick<ModelRoute, 'provider'>, model: RouteModel, now: number): string {
  const check = model.check!;
  // A list's 200 is no news; a lookup's 404 is the answer.
  const code = check.httpStatus === null || check.httpStatus === 200 ? '' : String(check.httpStatus);
  const said = [code, check.message].filter(Boolean).join(': ') || 'not found';
  const ago = now - check.observedAt < 60_000 ? 'just now' : describeSpan(Math.min(0, check.observedAt - now));
  // The id the gateway sends, when OpenClaw's normalisation made it differ from the ref.
  const as = model.id !== null && model.id !== model.ref.slice(model.ref.indexOf('/') + 1) ? ` (as ${model.id})` : '';
  return `${model.role} ${model.ref} does not exist at ${route.provider}${as} (${said}; checked ${ago} with ${check.checkedWith})`;
}

/**
 * An alert row per model a route runs that the provider says does not exist: keyed
 * `model:<provider>/<id>` under the route's agent, told once, resolved when the config no
 * longer names it or the provider lists it again. A primary that does not exist fails every
 * turn (`missing`); a fallback only when it is reached (`expiring`, a warning).
 */
export function missingModelRows(routes: readonly ModelRoute[], now: number): Evaluation[] {
  const rows: Evaluation[] = [];
  for (const route of routes) {
    for (const model of route.models) {
      if (model.check?.verdict !== 'missing') continue;
      // A cron job's own model fails each of its runs; one of its fallbacks only when reached.
      const status: Status = fallbackRoles.has(model.role) || model.cronJob?.fallback === true ? 'expiring' : 'missing';
      const id = `model:${route.provider}/${model.id ?? model.ref}`;
      if (rows.some((row) => row.profile.id === id && row.profile.agent === route.agent)) continue;
      rows.push({
        profile: makeProfile({ id, provider: route.provider, source: 'route', type: null, secret: 'absent', agent: route.agent }),
        status,
        expiresAt: null,
        remainingMs: null,
        detail: `${describeMissing(route, model, now)}; fix: ${modelFix(route, model)}`,
        unused: false,
      });
    }
  }
  return rows;
}
