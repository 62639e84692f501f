import type { DeliveryResult } from '../alerts/deliver.js';
import type { Config } from '../config/schema.js';
import { hostName } from '../config/host-name.js';
import { durationHint, parseDuration } from '../core/duration.js';
import { AuthwatchError, ExitCode } from '../core/errors.js';
import { policyModes, type PolicyMode } from '../config/policy-modes.js';
import { policyFromConfig } from '../evaluate/policy.js';
import type { Report } from '../evaluate/report.js';
import type { Machine } from '../outputs/metric-families.js';
import { formatNames, formats, formatsUsage, renderJson, type FormatName } from '../outputs/formats.js';
import type { SourceContext } from '../sources/source.js';
import { primaryStateDir, unreadProfileHomes, withOpenclawProfile } from '../sources/openclaw-paths.js';
import { channelRuns, heartbeatRuns, recordRun, type RunNotes } from '../pipeline/last-run.js';
import type { HeartbeatSession, RunEnd } from '../alerts/heartbeats.js';
import { runCheck } from '../pipeline/run-check.js';
import { prepareLive } from '../live/prepare.js';
import { urlForMessages } from '../core/scrub.js';
import { defaultDeadlineMs, resolveDeadline, withDeadline, type Step } from './deadline.js';
import type { OptionValues } from './args.js';
import { commonOptions, commonSetup, oneOf, parseCommandArgs, resolvePush, resolveWarn, type CommonSetup } from './options.js';
import { writeStderr, writeStdout } from './stdout.js';
import { isTerminal } from '../core/terminal.js';

const checkUsage = `Usage: authwatch check [options]

Discovers every model-provider credential on this host, prints each one's status and exits
0 all ok, 1 expired/missing/unreadable, 2 expiring soon, 3 the check could not run.

Options:
  --json               print one JSON document instead of the table (same as --format json)
  --format FORMAT      what to print:
${formatsUsage('                         ')}
  --live               also ask the providers' zero-token endpoints whether each credential
                       works (one request per credential per live.interval; as \`live: true\`)
  --from-openclaw      ask \`openclaw models status --json\` first (falls back to the files)
  --policy POLICY      authwatch (default) or openclaw: exit codes exactly like
                       \`openclaw models status --check\`
  --config FILE        config file (default $AUTHWATCH_CONFIG or ~/.config/authwatch/config.json5)
  --warn DURATION      warning window, e.g. 24h (default), 3d
  --agent ID           only this OpenClaw agent's profile store
  --openclaw-profile NAME
                       the gateway of \`openclaw --profile NAME\` (~/.openclaw-NAME), as that
                       flag picks it (unless $OPENCLAW_STATE_DIR / $OPENCLAW_CONFIG_PATH say)
  --now ISO-8601       judge as if it were this time (also $AUTHWATCH_NOW): a what-if that says
                       which alerts it would send, sends none and leaves the alert state alone
  --send               with --now: deliver the alerts and remember them all the same
  --no-alerts          check only: send no alerts, leave the alert state alone
  --no-color           no colours in the table (also $NO_COLOR; colours only on a terminal)
  --textfile FILE      also write Prometheus metrics for node_exporter's textfile collector (*.prom)
  --push URL           also PUT the metrics to a Pushgateway (job authwatch, instance = host name);
                       Basic auth from $AUTHWATCH_PUSH_USER and $AUTHWATCH_PUSH_PASSWORD_FILE
  --interval DURATION  how often the timer runs this check, e.g. 15m: exported with the metrics
                       so the dead-man alert knows when a run is overdue
  --deadline DURATION  stop and exit 3 when the whole run takes longer (default ${defaultDeadlineMs / 1000}s,
                       below the installed unit's TimeoutStartSec)
  --log-level LEVEL    fatal, error, warn (default), info, debug, trace, silent (also $LOG_LEVEL)
  -h, --help           this help
`;

export const options = {
  ...commonOptions,
  json: { type: 'boolean' },
  format: { type: 'string' },
  policy: { type: 'string' },
  'from-openclaw': { type: 'boolean' },
  gateway: { type: 'string' },
  'no-gateway': { type: 'boolean' },
  live: { type: 'boolean' },
  warn: { type: 'string' },
  agent: { type: 'string' },
  'openclaw-profile': { type: 'string' },
  'no-color': { type: 'boolean' },
  textfile: { type: 'string' },
  push: { type: 'string' },
  interval: { type: 'string' },
  deadline: { type: 'string' },
  send: { type: 'boolean' },
  'no-alerts': { type: 'boolean' },
} as const;

/** What the flags ask for, checked before anything is read. */
interface CheckPlan {
  values: OptionValues<typeof options>;
  warnMs: number | undefined;
  intervalMs: number | null;
  format: FormatName;
  mode: PolicyMode | undefined;
  deadlineMs: number;
  /** --now without --send: says which alerts it would send, sends none. */
  whatIf: boolean;
  /** A what-if and --no-alerts leave the state dir alone, the run record too. */
  leavesState: boolean;
}

export async function check(argv: string[]): Promise<ExitCode> {
  const { values } = parseCommandArgs('check', argv, options);
  if (values.help) {
    writeStdout(checkUsage);
    return ExitCode.Ok;
  }
  const plan = planCheck(values);
  const notes: RunNotes = { status: null, channels: null, heartbeats: null, metrics: metricsRoute(values) };
  const pings = new RunPings();
  const run = () => pings.around(() => withDeadline(plan.deadlineMs, (step) => runPlan(plan, notes, pings, step)), notes);
  return plan.leavesState ? run() : recordRun('check', notes, run);
}

function planCheck(values: OptionValues<typeof options>): CheckPlan {
  const clockGiven = values.now !== undefined || Boolean(process.env.AUTHWATCH_NOW?.trim());
  if (values.send && !clockGiven) throw new AuthwatchError('--send: only with --now (or $AUTHWATCH_NOW); a run on the real clock sends anyway');
  if (values.send && values['no-alerts']) throw new AuthwatchError('--send and --no-alerts disagree: give one of them');
  if (values.gateway !== undefined && values['no-gateway']) throw new AuthwatchError('--gateway and --no-gateway disagree: give one of them');
  const whatIf = clockGiven && !values.send;
  return {
    values,
    warnMs: resolveWarn(values.warn),
    intervalMs: resolveInterval(values.interval),
    format: resolveFormat(values.format, values.json),
    mode: values.policy === undefined ? undefined : oneOf(values.policy, policyModes, '--policy'),
    deadlineMs: resolveDeadline(values.deadline),
    whatIf,
    leavesState: whatIf || values['no-alerts'] === true,
  };
}

/** read → judge → print → alert → export → exit code. */
async function runPlan(plan: CheckPlan, notes: RunNotes, pings: RunPings, step: Step): Promise<ExitCode> {
  const { values } = plan;
  const deadlineAt = Date.now() + plan.deadlineMs;
  step('reading the config');
  const setup = setupForProfile(await commonSetup(values), values['openclaw-profile']);
  // A what-if pings nothing: the services would take it for a real run.
  if (!plan.whatIf) await pings.start(setup);
  step('reading the credentials');
  // Not performance.now(): the first touch of `performance` loads perf_hooks.
  const started = process.hrtime.bigint();
  const report = await readAndJudge(plan, setup);
  pings.report = report;
  notes.status = report.status;
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  // The JSON document carries the alerts' outcome and the run's exit code: it waits for them.
  // The other formats are out before the alerts, so a receiver that hangs cannot hold them back.
  const early = plan.format === 'json' ? null : await printReport(plan, report, setup.env);
  const alerting = await alert(plan, report, setup, deadlineAt, step);
  if (alerting.result) notes.channels = channelRuns(alerting.result.outcomes, alerting.result.pending);
  const metricsProblem = await exportMetrics(plan, report, durationMs, hostName(setup.loaded.config), alerting.result?.pending ?? null, step);
  const owed = alerting.result ? await reportAlerts(alerting.result, setup.now) : 0;
  pings.owed = owed;
  // Owed notices keep the run at 3 until they are delivered: a stuck channel is never silent.
  const couldNotRun = owed > 0 || alerting.problem !== null || metricsProblem !== null;
  const exitCode = couldNotRun ? ExitCode.CouldNotRun : (early?.exitCode ?? report.exitCode);
  if (!early) writeStdout(renderJson(report, { exitCode, alerts: alertsField(plan, setup.loaded.config, alerting) }));
  // Said last, after the report: a broken alert memory or export never hides what was found.
  const problem = alerting.problem ?? metricsProblem;
  if (problem) throw problem;
  return exitCode;
}

async function readAndJudge(plan: CheckPlan, { env, home, now, loaded, log }: CommonSetup): Promise<Report> {
  const { values } = plan;
  const context = { env, home, now, agent: values.agent ?? null, openclawProfiles: loaded.config.openclaw.profiles };
  warnOfProfileHomes(context);
  if (values.agent !== undefined) await checkAgent(context, values.agent);
  const fromCli = values['from-openclaw'] || loaded.config.openclaw.fromCli;
  // Asked about the same gateway: `openclaw --profile NAME models status`.
  const profile = values['openclaw-profile'];
  const command = profile === undefined ? loaded.config.openclaw.command : [...loaded.config.openclaw.command, '--profile', profile];
  const report = await runCheck({
    context,
    config: loaded.config,
    policy: policyFromConfig(loaded.config, plan.warnMs, plan.mode),
    fromOpenclaw: fromCli
      ? { command, agent: values.agent ?? loaded.config.openclaw.agent ?? null, timeoutMs: loaded.config.openclaw.timeout }
      : null,
    log,
    remembers: !plan.leavesState,
    gateways: values['no-gateway'] ? null : await (await import('../pipeline/gateway-inputs.js')).gatewayInputs(context, values.gateway, loaded.config, values.agent ?? null, log),
    live: await prepareLive(loaded.config, values.live === true, { env, home, now, log }),
  });
  if (values.agent === undefined) await warnUnmatchedOverrides(Object.keys(loaded.config.profiles), report);
  return report;
}

/** `--openclaw-profile NAME`: every read sees the environment `openclaw --profile NAME` would. */
function setupForProfile(setup: CommonSetup, profile: string | undefined): CommonSetup {
  return profile === undefined ? setup : { ...setup, env: openclawProfileEnv(setup.env, setup.home, profile) };
}

/** No OpenClaw home where it is looked for, but `openclaw --profile` homes exist: say how to read one. */
function warnOfProfileHomes(context: SourceContext): void {
  const homes = unreadProfileHomes(context);
  if (homes.length === 0) return;
  writeStderr(
    `authwatch: warning: no OpenClaw home at ${primaryStateDir(context)}, but \`openclaw --profile\` homes exist: ${homes.map(({ dir }) => dir).join(', ')}; check one with --openclaw-profile ${homes[0]!.name} (or set OPENCLAW_STATE_DIR)\n`,
  );
}

async function printReport(plan: CheckPlan, report: Report, env: NodeJS.ProcessEnv) {
  const terminal = plan.format === 'table' && isTerminal(1);
  const colour = terminal && !plan.values['no-color'] && !env.NO_COLOR;
  const printed = await formats[plan.format].render(report, { colour, width: terminal ? terminalWidth(env) : undefined });
  writeStdout(printed.text);
  return printed;
}

/** The alerts, or why they could not be sent; never throws an AuthwatchError (a broken alert memory must not also cost the report or the metrics). */
async function alert(plan: CheckPlan, report: Report, { env, home, log, now, loaded }: CommonSetup, deadlineAt: number, step: Step) {
  const none = { result: null, problem: null };
  if (loaded.config.channels.length === 0 || plan.values['no-alerts']) return none;
  step(plan.whatIf ? 'deciding the alerts' : 'sending alerts');
  const { deliverAlerts } = await import('../alerts/deliver.js');
  // An overlapping run's lock is waited for within half the time left: what happened is still said before the deadline.
  const lockWaitMs = Math.max(0, (deadlineAt - Date.now()) / 2);
  return deliverAlerts(report, loaded.config, { env, home, log, now, whatIf: plan.whatIf, lockWaitMs }).then(
    (result) => ({ result, problem: null }),
    (error: unknown) => ({ ...none, problem: asAuthwatchError(error) }),
  );
}

/** `alerts` of the JSON document: the outcome, or why there is none (a lock or state failure); null when channels exist but none was run; absent without channels. */
function alertsField(plan: CheckPlan, config: Config, { result, problem }: { result: DeliveryResult | null; problem: AuthwatchError | null }) {
  if (result) return { skipped: result.skipped, whatIf: plan.whatIf, channels: result.outcomes };
  if (problem) return { error: problem.message, channels: [] };
  return config.channels.length > 0 ? null : undefined;
}

function metricsRoute(values: OptionValues<typeof options>): string | null {
  if (values.push !== undefined) return `pushgateway ${urlForMessages(values.push)}`;
  return values.textfile !== undefined ? `textfile ${values.textfile}` : null;
}

function asAuthwatchError(error: unknown): AuthwatchError {
  if (!(error instanceof AuthwatchError)) throw error;
  return error;
}

/** The heartbeats of one run: started once the config is read, ended with the run's exit code however it ends. */
class RunPings {
  report: Report | null = null;
  owed = 0;
  private session: HeartbeatSession | null = null;
  private readonly started = process.hrtime.bigint();

  async start({ env, log, loaded }: CommonSetup): Promise<void> {
    if (loaded.config.heartbeats.length > 0) this.session = (await import('../alerts/heartbeats.js')).startHeartbeats(loaded.config.heartbeats, { env, log });
  }

  async around(run: () => Promise<ExitCode>, notes: RunNotes): Promise<ExitCode> {
    let exitCode: ExitCode;
    try {
      exitCode = await run();
    } catch (error) {
      const known = error instanceof AuthwatchError;
      await this.end(notes, { exitCode: known ? error.exitCode : ExitCode.CouldNotRun, error: known ? error.message : 'an unexpected error (see the log)' });
      throw error;
    }
    await this.end(notes, { exitCode, error: this.owed > 0 ? `${this.owed} alert notice${this.owed === 1 ? ' is' : 's are'} owed (a channel failed)` : null });
    return exitCode;
  }

  private async end(notes: RunNotes, end: Omit<RunEnd, 'durationMs' | 'report'>): Promise<void> {
    if (this.session) notes.heartbeats = await finishPings(this.session, { ...end, report: this.report, durationMs: Number(process.hrtime.bigint() - this.started) / 1e6 });
  }
}

/** Ends the heartbeats; says each failed ping on stderr. A ping never changes the run's exit code. */
async function finishPings(pings: HeartbeatSession, end: RunEnd): Promise<NonNullable<RunNotes['heartbeats']>> {
  const { describeHeartbeat } = await import('../alerts/heartbeats.js');
  const outcomes = await pings.finish(end);
  for (const outcome of outcomes) {
    const line = describeHeartbeat(outcome);
    if (line) writeStderr(`authwatch: ${line}\n`);
  }
  return heartbeatRuns(outcomes);
}

async function reportAlerts(alerts: DeliveryResult, now: number): Promise<number> {
  const { describeOutcome, owedNotices } = await import('../alerts/deliver.js');
  if (alerts.skipped) writeStderr(`authwatch: alerts NOT sent: another authwatch run (${alerts.heldBy ?? 'unknown'}) kept the alert-state lock for the whole wait; every notice stays owed (exit 3). If no other authwatch is running, remove the state.lock it names.\n`);
  let owed = 0;
  for (const outcome of alerts.outcomes) {
    const line = describeOutcome(outcome, now);
    if (line) writeStderr(`authwatch: ${line}\n`);
    owed += owedNotices(outcome);
  }
  return owed;
}

/** A `profiles` override that names no profile found is a typo until shown otherwise: say so, with the nearest id. */
async function warnUnmatchedOverrides(overrides: readonly string[], report: Report): Promise<void> {
  // Without overrides (most configs) there is nothing to match: no set of every row's id.
  if (overrides.length === 0) return;
  const ids = new Set(report.evaluations.map((e) => e.profile.id));
  const unmatched = overrides.filter((id) => !ids.has(id));
  if (unmatched.length === 0) return;
  const { closest } = await import('../core/suggest.js');
  for (const id of unmatched) {
    const near = closest(id, ids);
    writeStderr(`authwatch: warning: config profiles[${JSON.stringify(id)}]: no such profile on this host, the override does nothing${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}\n`);
  }
}

/** The terminal's columns (Termux's too); `$COLUMNS` when the terminal does not say. */
function terminalWidth(env: NodeJS.ProcessEnv): number | undefined {
  const columns = process.stdout.columns || Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : undefined;
}

/** `--agent` must name an OpenClaw agent this host has, as OpenClaw itself insists. */
async function checkAgent(context: SourceContext, agent: string): Promise<void> {
  const { discoverAgentDirs } = await import('../sources/openclaw-paths.js');
  const { readOpenclawConfig } = await import('../sources/openclaw-config.js');
  // OpenClaw knows the agents openclaw.json lists, whether or not they have a dir yet.
  const listed = (await readOpenclawConfig({ ...context, agent: null })).agentIds;
  const known = [...new Set([...(await discoverAgentDirs({ ...context, agent: null })).agents.flatMap((dir) => (dir.agent === null ? [] : [dir.agent])), ...listed])].sort();
  if (known.includes(agent)) return;
  const { closest } = await import('../core/suggest.js');
  const near = closest(agent, known);
  throw new AuthwatchError(
    `--agent: Unknown agent id ${JSON.stringify(agent)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}; ${known.length ? `this host has ${known.join(', ')}` : 'no OpenClaw agent dir was found'}`,
    { hint: 'run `openclaw agents list` to see configured agents' },
  );
}

/** `--openclaw-profile NAME`: the environment `openclaw --profile NAME` runs with. */
function openclawProfileEnv(env: NodeJS.ProcessEnv, home: string, name: string): NodeJS.ProcessEnv {
  const applied = withOpenclawProfile(env, home, name);
  if ('problem' in applied) throw new AuthwatchError(`--openclaw-profile: ${applied.problem}`);
  return applied;
}

function resolveFormat(flag: string | undefined, json: boolean | undefined): FormatName {
  if (flag === undefined) return json ? 'json' : 'table';
  const format = oneOf(flag, formatNames, '--format');
  if (json && format !== 'json') throw new AuthwatchError('--json and --format disagree: give one of them');
  return format;
}

function resolveInterval(flag: string | undefined): number | null {
  if (flag === undefined) return null;
  const ms = parseDuration(flag);
  if (ms === undefined || ms <= 0) throw new AuthwatchError(`--interval: expected ${durationHint}`, { hint: 'give the period of the timer that runs `authwatch check`, e.g. --interval 15m' });
  return ms;
}

/** The textfile and the Pushgateway get the same snapshot; either failing is exit 3 (returned, not thrown: the alerts' outcome is said first). */
async function exportMetrics(
  plan: CheckPlan,
  report: Report,
  durationMs: number,
  host: string,
  pending: ReadonlyMap<string, number> | null,
  step: Step,
): Promise<AuthwatchError | null> {
  const { textfile, push } = plan.values;
  if (textfile === undefined && push === undefined) return null;
  step(push === undefined ? 'writing the metrics' : 'pushing the metrics to the Pushgateway');
  const machine: Machine = { host, checkIntervalSeconds: plan.intervalMs === null ? null : plan.intervalMs / 1000 };
  try {
    const { metricFamilies, singleRun } = await import('../outputs/metric-families.js');
    const { renderExposition } = await import('../outputs/exposition.js');
    const text = renderExposition(metricFamilies(singleRun(report, durationMs, machine, pending)));
    if (textfile !== undefined) {
      const { writeTextfile } = await import('../outputs/textfile.js');
      writeTextfile(textfile, text);
    }
    if (push !== undefined) {
      const { pushMetrics } = await import('../outputs/pushgateway.js');
      await pushMetrics(await resolvePush(push, process.env), text, machine.host);
    }
    return null;
  } catch (error) {
    return asAuthwatchError(error);
  }
}
