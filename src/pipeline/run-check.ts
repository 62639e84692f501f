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
import { readOpenclawConfig, type RequiredProvider } from '../sources/openclaw-config.js';
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
  const required: RequiredProvider[] = [
    ...(openclawMode ? [] : config.require.map((provider) => ({ provider, reason: 'required by the authwatch config' }))),
    ...openclawConfig.required,
    ...(cli?.ok ? cli.required : []),
  ];
  const facts = live ? await live.run.run(profiles) : null;
  const evaluations = profiles.map((profile) => {
    const fact = facts?.get(profile);
    const evaluation = evaluate(profile, context.now, policy);
    return fact ? withLive(evaluation, fact, context.now, live!.quota) : evaluation;
  });
  const report = buildReport(evaluations, visits, required, context.now, openclawMode ? openclawJudgedSources : undefined);
  // Asked once: a quiet check does not build a log record per row of a 10,000-profile host.
  if (log.isLevelEnabled('info')) {
    for (const e of report.evaluations) {
      if (e.status !== 'ok') log.info({ profile: e.profile.id, agent: e.profile.agent, status: e.status, detail: e.detail }, 'profile not ok');
    }
  }
  return report;
}
