import type { Logger } from '../core/log.js';
import type { Config } from '../config/schema.js';
import { evaluate } from '../evaluate/evaluate.js';
import { withLive, type QuotaPolicy } from '../evaluate/live.js';
import type { LiveRun } from '../live/run.js';
import { openclawJudgedSources, type Policy } from '../evaluate/policy.js';
import { buildReport, type Report } from '../evaluate/report.js';
import { readAllSources } from '../sources/index.js';
import { readDeclared } from '../sources/declared.js';
import { flagExposedFiles } from '../sources/file-exposure.js';
import type { OpenclawCliOptions } from '../sources/openclaw-cli.js';
import { readOpenclawConfig, type OpenclawConfigRead, type ProviderUse, type RequiredProvider } from '../sources/openclaw-config.js';
import { buildRoutes, gatewaySources } from '../evaluate/routes.js';
import type { Evaluation } from '../evaluate/evaluate.js';
import { problemProfile, type SourceContext } from '../sources/source.js';

export interface CheckInputs {
  context: SourceContext;
  config: Config;
  policy: Policy;
  log: Logger;
  /** Ask `openclaw models status --json` first (`--from-openclaw`); `null`/absent: read files only. */
  fromOpenclaw?: OpenclawCliOptions | null;
  /** Live checks for this run (src/live), when they are on. */
  live?: { run: LiveRun; quota: QuotaPolicy } | null;
}

/** One full check: read every source, judge every profile, add `missing` rows, summarise. */
export async function runCheck({ context: given, config, policy, log, fromOpenclaw, live }: CheckInputs): Promise<Report> {
  // When OpenClaw itself answers, its view replaces the reading of its files; when it cannot
  // (not installed, failing, too slow), the files are read and the visit says why.
  // Loaded only by the runs that ask OpenClaw (--from-openclaw): most checks never do.
  // The live run's hand-over goes to the sources only; the report never sees a secret.
  const context: SourceContext = live ? { ...given, handOverSecret: live.run.handOver } : given;
  const cli = fromOpenclaw ? await (await import('../sources/openclaw-cli.js')).readOpenclawCli(fromOpenclaw) : null;
  if (cli && !cli.ok) log.warn({ error: cli.visit.error }, 'openclaw models status failed; reading the files instead');
  const skip = new Set(cli?.ok ? ['openclaw', 'openclaw-db'] : []);
  const [found, openclawConfig, declared] = await Promise.all([
    readAllSources(context, log, skip),
    readOpenclawConfig(context),
    readDeclared(config.declared, context),
  ]);
  const profiles = flagExposedFiles([...(cli?.ok ? cli.profiles : []), ...found.profiles, ...declared.profiles]);
  const visits = [...(cli ? [cli.visit] : []), ...found.visits, ...declared.visits, openclawConfig.visit];
  if (openclawConfig.problem) {
    profiles.push(
      problemProfile({ id: 'openclaw:config', provider: 'unknown', source: 'openclaw-config', path: openclawConfig.path }, openclawConfig.problem),
    );
  }
  const openclawMode = policy.mode === 'openclaw';
  const kept = profiles.filter((profile) => openclawMode || policy.profiles[profile.id]?.ignore !== true);
  const facts = live ? await live.run.run(kept) : null;
  const evaluations = kept.map((profile) => {
    const fact = facts?.get(profile);
    const evaluation = evaluate(profile, context.now, policy);
    return fact ? withLive(evaluation, fact, context.now, live!.quota) : evaluation;
  });
  const uses = providerUses(openclawConfig, evaluations, openclawMode, openclawMode ? [] : config.require, cli?.ok ? cli.required : []);
  const required: RequiredProvider[] = uses.map((use) => ({ provider: use.provider, reason: use.reason }));
  const routes = buildRoutes({
    mode: policy.mode,
    uses,
    evaluations,
    visits,
    auth: openclawConfig.auth,
    configKeys: openclawConfig.configKeys,
    agent: context.agent,
    now: context.now,
  });
  const routed = new Set(routes.map((route) => route.provider));
  const gateway = (e: Evaluation) => gatewaySources.has(e.profile.source) && e.profile.problem === null;
  const report = buildReport(evaluations, visits, required, context.now, {
    routes,
    // OpenClaw: only the routes (and what could not be read) decide; its own sources only.
    // authwatch: the routes and every row with its own status, but gateway profiles no route
    // uses (unless the config asks for them).
    counts: openclawMode ? (e) => openclawJudgedSources.has(e.profile.source) && (e.profile.problem !== null || e.profile.source === 'required') : undefined,
    unused: (e) => gateway(e) && !routed.has(e.profile.provider.toLowerCase()) && !policy.strictProfiles && policy.profiles[e.profile.id]?.alert !== true,
    covers: openclawMode ? (e) => openclawJudgedSources.has(e.profile.source) : undefined,
  });
  // Asked once: a quiet check does not build a log record per row of a 10,000-profile host.
  if (log.isLevelEnabled('info')) {
    for (const e of report.evaluations) {
      if (e.status !== 'ok') log.info({ profile: e.profile.id, agent: e.profile.agent, status: e.status, detail: e.detail }, 'profile not ok');
    }
  }
  return report;
}

/**
 * The providers in use, each with the reason it is required: OpenClaw's config (under
 * `--policy openclaw` its default model when there is none; authwatch's own policy does not
 * invent that: without openclaw.json every provider a gateway credential is stored for is in
 * use), the authwatch config's `require`, and what `openclaw models status` said is in use.
 */
function providerUses(
  openclawConfig: OpenclawConfigRead,
  evaluations: readonly Evaluation[],
  openclawMode: boolean,
  require: readonly string[],
  fromCli: readonly RequiredProvider[],
): (ProviderUse & { reason: string })[] {
  const stored = [...new Set(evaluations.filter((e) => gatewaySources.has(e.profile.source) && e.profile.problem === null && e.profile.type !== null).map((e) => e.profile.provider.toLowerCase()))];
  const configured =
    openclawConfig.found || openclawMode
      ? openclawConfig.uses.map((use) => ({ ...use, reason: `used by OpenClaw's ${use.role} ${use.model}${openclawConfig.found ? ` in ${openclawConfig.path}` : ' (no openclaw.json)'}` }))
      : stored.map((provider) => ({ provider, model: '', role: 'stored', reason: 'a gateway credential is stored for it' }));
  return [
    ...require.map((provider) => ({ provider, model: '', role: 'required', reason: 'required by the authwatch config' })),
    ...configured,
    ...fromCli.map(({ provider, reason }) => ({ provider, model: '', role: 'in use', reason })),
  ];
}
