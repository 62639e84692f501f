import type { Logger } from '../core/log.js';
import { registerIfTokenLike } from '../core/scrub.js';
import type { Config } from '../config/schema.js';
import { evaluate } from '../evaluate/evaluate.js';
import { withLive, withReportedEnd, type QuotaPolicy } from '../evaluate/live.js';
import type { LiveRun } from '../live/run.js';
import { openclawJudgedSources, type Policy } from '../evaluate/policy.js';
import { buildReport, type Report } from '../evaluate/report.js';
import { readAllSources } from '../sources/index.js';
import { readDeclared } from '../sources/declared.js';
import { flagExposedFiles } from '../sources/file-exposure.js';
import type { OpenclawCliOptions } from '../sources/openclaw-cli.js';
import { readOpenclawConfig, type OpenclawConfigRead, type ProviderUse, type RequiredProvider } from '../sources/openclaw-config.js';
import { buildRoutes, gatewaySources, routeCoverage, type Route } from '../evaluate/routes.js';
import { modelTargets, withModelChecks } from '../evaluate/route-models.js';
import type { Evaluation } from '../evaluate/evaluate.js';
import { problemProfile, type Profile, type SourceContext } from '../sources/source.js';
import { droppedEntryNote, unknownTypeNote } from '../sources/openclaw-store-format.js';
import { legacyFileNote } from '../sources/openclaw-auth-profiles.js';
import { sourceNames } from '../sources/source-names.js';
import { credentialChanges } from '../evaluate/credential-changes.js';
import { rememberCredentials } from './credential-memory.js';
import type { GatewayInputs, GatewayView } from './gateway-view.js';

interface CheckInputs {
  context: SourceContext;
  config: Config;
  policy: Policy;
  log: Logger;
  /** Whether the run may update what the state dir remembers (a what-if only reads it). */
  remembers: boolean;
  /** Ask `openclaw models status --json` first (`--from-openclaw`); `null`/absent: read files only. */
  fromOpenclaw?: OpenclawCliOptions | null;
  /** Live checks for this run (src/live), when they are on. */
  live?: { run: LiveRun; quota: QuotaPolicy } | null;
  /** The running gateways to read (src/sources/gateway.ts); `null`/absent or none: files only. */
  gateways?: GatewayInputs | null;
}

/** One full check: read every source, judge every profile, add `missing` rows, summarise. */
export async function runCheck(inputs: CheckInputs): Promise<Report> {
  try {
    return await check(inputs);
  } finally {
    // The secrets handed over for the live checks live no longer than the check.
    inputs.live?.run.end();
  }
}

async function check({ context: given, config, policy, log, remembers, fromOpenclaw, live, gateways }: CheckInputs): Promise<Report> {
  // When OpenClaw itself answers, its view replaces the reading of its files; when it cannot
  // (not installed, failing, too slow), the files are read and the visit says why.
  // Loaded only by the runs that ask OpenClaw (--from-openclaw): most checks never do.
  // The live run's hand-over goes to the sources only; the report never sees a secret.
  const context: SourceContext = live ? { ...given, handOverSecret: live.run.handOver } : given;
  const cli = fromOpenclaw ? await (await import('../sources/openclaw-cli.js')).readOpenclawCli(fromOpenclaw) : null;
  if (cli && !cli.ok) log.warn({ error: cli.visit.error }, 'openclaw models status failed; reading the files instead');
  const skip = new Set<string>(cli?.ok ? [sourceNames.openclawStore, sourceNames.openclawDb] : []);
  // Loaded only when there is a gateway to read.
  const gatewayView = gateways && gateways.targets.length > 0 ? (await import('./gateway-view.js')).readGateways(gateways, log) : null;
  const [found, openclawConfig, declared, gatewayRead] = await Promise.all([
    readAllSources(context, log, skip),
    readOpenclawConfig(context),
    readDeclared(config.declared, context),
    gatewayView,
  ]);
  const fileProfiles = [...(cli?.ok ? cli.profiles : []), ...found.profiles, ...declared.profiles];
  const profiles = flagExposedFiles(gatewayRead ? (await import('./gateway-view.js')).mergeGatewayView(gatewayRead, fileProfiles, log) : fileProfiles);
  // A key pasted as a profile id is a secret like the key: every output and file then hides it.
  // Rows that could not be read too: a malformed entry keeps the id it is stored under.
  for (const profile of profiles) registerIfTokenLike(profile.id);
  const visits = [...(gatewayRead?.visits ?? []), ...(cli ? [cli.visit] : []), ...found.visits, ...declared.visits, openclawConfig.visit];
  if (openclawConfig.problem) {
    profiles.push(
      problemProfile({ id: 'openclaw:config', provider: 'unknown', source: sourceNames.openclawConfig, path: openclawConfig.path }, openclawConfig.problem),
    );
  }
  const openclawMode = policy.mode === 'openclaw';
  // Cron jobs' model overrides are checked by authwatch's own policy only (`models status` does not count them).
  if (!openclawMode && openclawConfig.cronProblem) {
    profiles.push(problemProfile({ id: 'openclaw:cron', provider: 'unknown', source: sourceNames.openclawConfig, path: openclawConfig.path }, openclawConfig.cronProblem));
  }
  const refuses = refusingLegacyOwner(profiles, openclawConfig.agent);
  if (openclawMode) profiles.push(...legacyStoreRefusals(profiles, refuses));
  // A config OpenClaw cannot load (an unset `${VAR}` key, a roster without an owner): neither the CLI nor the gateway runs.
  for (const problem of openclawConfig.loadProblems) {
    profiles.push(problemProfile({ id: 'openclaw:config-load', provider: 'unknown', source: sourceNames.openclawConfig, path: openclawConfig.path }, `${openclawConfig.path}: ${problem}`));
  }
  // Without `--agent`, `models status` refuses a home whose default agent it cannot tell.
  if (openclawMode && context.agent === null && openclawConfig.agentRefusal !== null) {
    profiles.push(problemProfile({ id: 'openclaw:agent', provider: 'unknown', source: sourceNames.openclawConfig, path: openclawConfig.path }, `${openclawConfig.path}: \`openclaw models status\` refuses: ${openclawConfig.agentRefusal} (or pass --agent)`));
  }
  const kept = profiles.filter((profile) => openclawMode || policy.profiles[profile.id]?.ignore !== true);
  const facts = live ? await live.run.run(kept) : null;
  const evaluations = kept.map((profile) => {
    const fact = facts?.get(profile);
    const evaluation = evaluate(withReportedEnd(profile, fact), context.now, policy);
    return fact ? withLive(evaluation, fact, context.now, live!.quota) : evaluation;
  });
  const memory = rememberCredentials(context, evaluations, log, remembers);
  const uses = providerUses(
    openclawMode ? { ...openclawConfig, uses: openclawConfig.statusUses } : openclawConfig,
    openclawMode,
    openclawMode ? [] : config.require,
    [...(cli?.ok ? cli.required : []), ...(gatewayRead?.required ?? [])],
    gatewayRead,
  );
  const built = buildRoutes({
    mode: policy.mode,
    uses,
    evaluations,
    visits,
    auth: openclawConfig.auth,
    configKeys: openclawConfig.configKeys,
    ownedConfigKeys: openclawConfig.ownedConfigKeys,
    // `models status` judges one agent; authwatch every agent the gateway runs (or the one of `--agent`).
    agent: openclawMode ? openclawConfig.agent : context.agent,
    agents: openclawConfig.agentIds,
    changes: credentialChanges(memory),
    now: context.now,
    gateways: gatewayRead?.labels,
  });
  // Each model a route runs, looked up with the credential that serves it (live checks only).
  const routes = live ? await checkModels(live.run, built, context.now, openclawConfig.ownEndpoints) : built;
  // A `missing` row for a provider the config or OpenClaw names: one its stores hold is a row
  // already, and a key in openclaw.json (no row of its own) is a credential too.
  const required = requiredProviders(openclawMode ? routes.filter((route) => route.serving === null) : routes.filter((route) => !route.keys.some((key) => key.evaluation === null)));
  const gateway = (e: Evaluation) => gatewaySources.has(e.profile.source) && e.profile.problem === null;
  const onSomeRoute = routeCoverage(routes);
  const usedByGateway = cliLoginInUse(routes);
  const offRoute = (e: Evaluation) => (gateway(e) && !onSomeRoute(e)) || usedByGateway(e) === false;
  const report = buildReport(evaluations, visits, required, context.now, {
    routes,
    // OpenClaw: only the routes (and what could not be read) decide; its own sources only.
    // authwatch: the routes and every row with its own status, but gateway profiles no route
    // uses (unless the config asks for them).
    // A store entry OpenClaw skips on load does not fail its check either.
    counts: openclawMode
      ? (e) =>
          openclawJudgedSources.has(e.profile.source) &&
          ((e.profile.problem !== null && !e.profile.notes.includes(droppedEntryNote) && (!e.profile.notes.includes(legacyFileNote) || refuses(e.profile.agent))) || e.profile.source === sourceNames.required)
      : (e) => !e.profile.notes.includes(unknownTypeNote),
    unused: (e) => offRoute(e) && !policy.strictProfiles && policy.profiles[e.profile.id]?.alert !== true,
    offRoute,
    covers: openclawMode ? (e) => openclawJudgedSources.has(e.profile.source) : undefined,
  });
  // Asked once: a quiet check does not build a log record per row of a 10,000-profile host.
  // Debug: the daemon checks on every scrape, and says at info only what changed (daemon/runner.ts).
  if (log.isLevelEnabled('debug')) {
    for (const e of report.evaluations) {
      if (e.status !== 'ok') log.debug({ profile: e.profile.id, agent: e.profile.agent, status: e.status, detail: e.detail }, 'profile not ok');
    }
  }
  return report;
}

async function checkModels(run: LiveRun, routes: Route[], now: number, ownEndpoints: ReadonlySet<string>): Promise<Route[]> {
  const targets = modelTargets(routes, ownEndpoints);
  const facts = targets.length === 0 ? new Map() : await run.models(targets);
  const byTarget = new Map([...facts].map(([target, fact]) => [`${target.model}\u0000${targetKey(target.profile)}`, fact]));
  return withModelChecks(routes, (profile, model) => byTarget.get(`${model}\u0000${targetKey(profile)}`), now, ownEndpoints);
}

const targetKey = (profile: Profile) => `${profile.source}\u0000${profile.agent ?? ''}\u0000${profile.id}`;

const cliLoginSources: ReadonlySet<string> = new Set([sourceNames.claudeCode, sourceNames.codex, sourceNames.geminiCli, sourceNames.qwenCli, sourceNames.minimaxCli]);

/**
 * Whether a CLI login (Claude Code, Codex, Gemini, …) serves a provider the gateway's routes
 * use: `undefined` for any other row, and for every row while no gateway route is known (then
 * the logins are what authwatch watches). A Codex login is an `openai` one, as OpenClaw
 * 2026.9 files it (codex.ts).
 */
function cliLoginInUse(routes: readonly Route[]): (e: Evaluation) => boolean | undefined {
  const providers = new Set(routes.map((route) => route.provider));
  if (providers.size === 0) return () => undefined;
  return (e) => {
    if (!cliLoginSources.has(e.profile.source) || e.profile.problem !== null) return undefined;
    const provider = e.profile.provider.toLowerCase();
    return providers.has(provider);
  };
}

/**
 * OpenClaw 2026.9 refuses `models status` while a JSON profile store (`auth-profiles.json`,
 * also under ~/.clawdbot) still holds credentials: "requires legacy credential migration".
 */
function legacyStoreRefusals(profiles: readonly Profile[], refuses: (agent: string | null) => boolean): Profile[] {
  const paths = new Set<string>();
  for (const p of profiles) if (p.source === 'openclaw' && p.problem === null && p.secret !== 'absent' && p.path !== null && refuses(p.agent)) paths.add(p.path);
  return [...paths].map((path) =>
    problemProfile(
      { id: 'openclaw:legacy-store', provider: 'unknown', source: 'openclaw', path },
      `${path}: OpenClaw 2026.9 refuses \`openclaw models status\` until this legacy store is migrated; run \`openclaw doctor --fix\``,
    ),
  );
}

/**
 * Whether a legacy JSON file of `agent` makes `models status` refuse: only the inspected
 * agent's files and the shared main ones count, and not while that agent's own database holds
 * credentials (legacy-source-diagnostic `assertAuthProfileMigrationReady`,
 * `hasMigratedAuthProfileCredentials`: a JSON file next to a populated store is leftover bytes).
 */
function refusingLegacyOwner(profiles: readonly Profile[], inspected: string): (agent: string | null) => boolean {
  const owners = new Set<string | null>([inspected, 'main', null]);
  const migrated = new Set(profiles.filter((p) => p.source === sourceNames.openclawDb && p.agent !== null && p.problem === null).map((p) => p.agent));
  return (agent) => owners.has(agent) && !migrated.has(agent);
}

type Use = ProviderUse & { reason: string };

/**
 * The providers a route owner uses, each with the reason: the authwatch config's `require`,
 * OpenClaw's config for that agent (under `--policy openclaw` its default model when none is
 * set; authwatch's own policy does not invent that: with no model configured, every provider
 * the agent's stores hold a gateway credential for is in use), and what `openclaw models
 * status` said is in use; for an agent a running gateway reports, the models the gateway says it uses.
 */
function providerUses(openclawConfig: OpenclawConfigRead, openclawMode: boolean, require: readonly string[], fromCli: readonly RequiredProvider[], gateway: GatewayView | null) {
  return (owner: string | null, stored: readonly string[]): Use[] => {
    // An agent the running gateway reports uses what the gateway says it uses (its config may not be on this host).
    const reported = owner !== null ? gateway?.uses.get(owner) : undefined;
    if (reported) {
      return [
        ...require.map((provider) => ({ provider, model: '', role: 'required', reason: 'required by the authwatch config' })),
        ...reported.map((use) => ({ ...use, reason: use.reason ?? `used by ${use.model}` })),
        ...fromCli.map(({ provider, reason }) => ({ provider, model: '', role: 'in use', reason })),
      ];
    }
    const own = owner === null || owner === openclawConfig.agent ? openclawConfig.uses : openclawConfig.usesOf(owner);
    const where = openclawConfig.found ? ` in ${openclawConfig.path}` : ' (no openclaw.json)';
    const configured = own.filter((use) => openclawMode || use.role !== 'default model').map((use) => ({ ...use, reason: `used by OpenClaw's ${use.role} ${use.model}${where}` }));
    const modelless = !openclawMode && !configured.some((use) => use.role === 'model');
    return [
      ...require.map((provider) => ({ provider, model: '', role: 'required', reason: 'required by the authwatch config' })),
      ...configured,
      ...(modelless ? stored.map((provider) => ({ provider, model: '', role: 'stored', reason: 'a gateway credential is stored for it' })) : []),
      ...fromCli.map(({ provider, reason }) => ({ provider, model: '', role: 'in use', reason })),
    ];
  };
}

/** The providers of the routes' configured uses, once each, with the first reason. */
function requiredProviders(routes: readonly Route[]): RequiredProvider[] {
  const required = new Map<string, string>();
  for (const route of routes) if (route.required !== null && !required.has(route.provider)) required.set(route.provider, route.required);
  return [...required].map(([provider, reason]) => ({ provider, reason }));
}
