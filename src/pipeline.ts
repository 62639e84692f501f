import type { Logger } from './log.js';
import type { Config } from './config/schema.js';
import { evaluate } from './evaluate/evaluate.js';
import { openclawJudgedSources, type Policy } from './evaluate/policy.js';
import { buildReport, type Report } from './evaluate/report.js';
import { readAllSources } from './sources/index.js';
import { readOpenclawConfig, type RequiredProvider } from './sources/openclaw-config.js';
import { problemProfile, type SourceContext } from './sources/source.js';

export interface CheckInputs {
  context: SourceContext;
  config: Config;
  policy: Policy;
  log: Logger;
}

/** One full check: read every source, judge every profile, add `missing` rows, summarise. */
export async function runCheck({ context, config, policy, log }: CheckInputs): Promise<Report> {
  const [found, openclawConfig] = await Promise.all([readAllSources(context, log), readOpenclawConfig(context)]);
  const profiles = [...found.profiles];
  if (openclawConfig.problem) {
    profiles.push(
      problemProfile({ id: 'openclaw:config', provider: 'unknown', source: 'openclaw-config', path: openclawConfig.path }, openclawConfig.problem),
    );
  }
  const openclawMode = policy.mode === 'openclaw';
  const required: RequiredProvider[] = [
    ...(openclawMode ? [] : config.require.map((provider) => ({ provider, reason: 'required by the authwatch config' }))),
    ...openclawConfig.required,
  ];
  const evaluations = profiles.map((profile) => evaluate(profile, context.now, policy));
  const report = buildReport(evaluations, [...found.visits, openclawConfig.visit], required, context.now, openclawMode ? openclawJudgedSources : undefined);
  for (const e of report.evaluations) {
    if (e.status !== 'ok') log.info({ profile: e.profile.id, agent: e.profile.agent, status: e.status, detail: e.detail }, 'profile not ok');
  }
  return report;
}
