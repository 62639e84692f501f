import type { DeliveryDeps, DeliveryResult } from '../alerts/deliver.js';
import type { Config } from '../config/schema.js';
import { hostName } from '../config/host-name.js';
import { durationHint, parseDuration } from '../core/duration.js';
import { AuthwatchError, ExitCode } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { policyModes } from '../config/policy-modes.js';
import { policyFromConfig } from '../evaluate/policy.js';
import type { Report } from '../evaluate/report.js';
import type { Machine } from '../outputs/metric-families.js';
import { formatNames, formats, formatsUsage, renderJson, type FormatName } from '../outputs/formats.js';
import type { SourceContext } from '../sources/source.js';
import { channelRuns, recordRun, type RunNotes } from '../pipeline/last-run.js';
import { runCheck } from '../pipeline/run-check.js';
import { prepareLive } from '../live/prepare.js';
import { urlForMessages } from '../core/scrub.js';
import { defaultDeadlineMs, resolveDeadline, withDeadline } from './deadline.js';
import { commonOptions, commonSetup, oneOf, parseCommandArgs, resolvePush, resolveWarn } from './options.js';
import { stdoutIsTerminal, writeStderr, writeStdout } from './stdout.js';

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

const options = {
  ...commonOptions,
  json: { type: 'boolean' },
  format: { type: 'string' },
  policy: { type: 'string' },
  'from-openclaw': { type: 'boolean' },
  live: { type: 'boolean' },
  warn: { type: 'string' },
  agent: { type: 'string' },
  'no-color': { type: 'boolean' },
  textfile: { type: 'string' },
  push: { type: 'string' },
  interval: { type: 'string' },
  deadline: { type: 'string' },
  send: { type: 'boolean' },
  'no-alerts': { type: 'boolean' },
} as const;

export async function check(argv: string[]): Promise<ExitCode> {
  const { values } = parseCommandArgs('check', argv, options);
  if (values.help) {
    writeStdout(checkUsage);
    return ExitCode.Ok;
  }
  const warnMs = resolveWarn(values.warn);
  const intervalMs = resolveInterval(values.interval);
  const format = resolveFormat(values.format, values.json);
  const mode = values.policy === undefined ? undefined : oneOf(values.policy, policyModes, '--policy');
  const notes: RunNotes = { status: null, channels: null, metrics: values.push !== undefined ? `pushgateway ${urlForMessages(values.push)}` : values.textfile !== undefined ? `textfile ${values.textfile}` : null };
  const clockGiven = values.now !== undefined || Boolean(process.env.AUTHWATCH_NOW?.trim());
  if (values.send && !clockGiven) throw new AuthwatchError('--send: only with --now (or $AUTHWATCH_NOW); a run on the real clock sends anyway');
  if (values.send && values['no-alerts']) throw new AuthwatchError('--send and --no-alerts disagree: give one of them');
  const whatIf = clockGiven && !values.send;
  // A what-if (--now without --send) and --no-alerts leave the state dir alone, the run record too.
  const leavesState = whatIf || values['no-alerts'] === true;
  const deadlineMs = resolveDeadline(values.deadline);
  const run = () => withDeadline(deadlineMs, async (step) => {
    const deadlineAt = Date.now() + deadlineMs;
    step('reading the config');
    const { env, home, now, loaded, log } = await commonSetup(values);
    step('reading the credentials');
    const context = { env, home, now, agent: values.agent ?? null, openclawProfiles: loaded.config.openclaw.profiles };
    if (values.agent !== undefined) await checkAgent(context, values.agent);
    // Not performance.now(): the first touch of `performance` loads perf_hooks.
    const started = process.hrtime.bigint();
    const report = await runCheck({
      context,
      config: loaded.config,
      policy: policyFromConfig(loaded.config, warnMs, mode),
      fromOpenclaw:
        values['from-openclaw'] || loaded.config.openclaw.fromCli
          ? {
              command: loaded.config.openclaw.command,
              agent: values.agent ?? loaded.config.openclaw.agent ?? null,
              timeoutMs: loaded.config.openclaw.timeout,
            }
          : null,
      log,
      remembers: !leavesState,
      live: await prepareLive(loaded.config, values.live === true, { env, home, now, log }),
    });
    if (values.agent === undefined) await warnUnmatchedOverrides(Object.keys(loaded.config.profiles), report);
    const terminal = format === 'table' && stdoutIsTerminal();
    const colour = terminal && !values['no-color'] && !env.NO_COLOR;
    // The JSON document carries the alerts' outcome and the run's exit code: it waits for them.
    // The other formats are out before the alerts, so a receiver that hangs cannot hold them back.
    const early = format === 'json' ? null : await formats[format].render(report, { colour, width: terminal ? terminalWidth(env) : undefined });
    if (early) writeStdout(early.text);
    notes.status = report.status;
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    // Broken alert memory (full disk, read-only state dir) must not also cost the metrics.
    let alertingProblem: AuthwatchError | null = null;
    let metricsProblem: AuthwatchError | null = null;
    const alerting = loaded.config.channels.length > 0 && !values['no-alerts'];
    if (alerting) step(whatIf ? 'deciding the alerts' : 'sending alerts');
    const alerts = alerting
      ? // An overlapping run's lock is waited for within half the time left: what happened is still said before the deadline.
        await sendAlerts(report, loaded.config, { env, home, log, now, whatIf, lockWaitMs: Math.max(0, (deadlineAt - Date.now()) / 2) }).catch((error: unknown) => {
          if (!(error instanceof AuthwatchError)) throw error;
          alertingProblem = error;
          return null;
        })
      : null;
    if (values.textfile !== undefined || values.push !== undefined) {
      step(values.push === undefined ? 'writing the metrics' : 'pushing the metrics to the Pushgateway');
      const machine = { host: hostName(loaded.config), checkIntervalSeconds: intervalMs === null ? null : intervalMs / 1000 };
      // A failed export is exit 3, but the alerts were tried: what they did is still said first.
      metricsProblem = await exportMetrics(report, durationMs, machine, alerts?.pending ?? null, values).then(
        () => null,
        (error: unknown) => {
          if (!(error instanceof AuthwatchError)) throw error;
          return error;
        },
      );
    }
    if (alerts) notes.channels = channelRuns(alerts.outcomes, alerts.pending);
    const owed = alerts ? await reportAlerts(alerts, now) : 0;
    // Owed notices keep the run at 3 until they are delivered: a stuck channel is never silent.
    // Neither is a lock or state failure, and it never costs the report: the document is
    // printed first, the failure said after it (nothing was remembered, so every notice stays owed).
    const problem: AuthwatchError | null = alertingProblem ?? metricsProblem;
    const exitCode = owed > 0 || problem ? ExitCode.CouldNotRun : (early?.exitCode ?? report.exitCode);
    if (!early) {
      const alertsField = alerts
        ? { skipped: alerts.skipped, whatIf, channels: alerts.outcomes }
        : alertingProblem
          ? { error: (alertingProblem as AuthwatchError).message, channels: [] }
          : loaded.config.channels.length > 0
            ? null
            : undefined;
      writeStdout(renderJson(report, { exitCode, alerts: alertsField }));
    }
    if (alertingProblem) throw alertingProblem;
    if (metricsProblem) throw metricsProblem;
    return exitCode;
  });
  return leavesState ? run() : recordRun('check', notes, run);
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
  const known = [...new Set([...discoverAgentDirs({ ...context, agent: null }).agents.flatMap((dir) => (dir.agent === null ? [] : [dir.agent])), ...listed])].sort();
  if (known.includes(agent)) return;
  const { closest } = await import('../core/suggest.js');
  const near = closest(agent, known);
  throw new AuthwatchError(
    `--agent: Unknown agent id ${JSON.stringify(agent)}${near ? ` (did you mean ${JSON.stringify(near)}?)` : ''}; ${known.length ? `this host has ${known.join(', ')}` : 'no OpenClaw agent dir was found'}`,
    { hint: 'run `openclaw agents list` to see configured agents' },
  );
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

async function sendAlerts(report: Report, config: Config, deps: DeliveryDeps) {
  const { deliverAlerts } = await import('../alerts/deliver.js');
  return deliverAlerts(report, config, deps);
}

/** The textfile and the Pushgateway get the same snapshot; either failing is exit 3. */
async function exportMetrics(
  report: Report,
  durationMs: number,
  machine: Machine,
  pending: ReadonlyMap<string, number> | null,
  targets: { textfile?: string; push?: string },
): Promise<void> {
  const { metricFamilies, singleRun } = await import('../outputs/metric-families.js');
  const { renderExposition } = await import('../outputs/exposition.js');
  const text = renderExposition(metricFamilies(singleRun(report, durationMs, machine, pending)));
  if (targets.textfile !== undefined) {
    const { writeTextfile } = await import('../outputs/textfile.js');
    writeTextfile(targets.textfile, text);
  }
  if (targets.push !== undefined) {
    const { pushMetrics } = await import('../outputs/pushgateway.js');
    await pushMetrics(await resolvePush(targets.push, process.env), text, machine.host);
  }
}
