import type { DeliveryDeps } from '../alerts/deliver.js';
import type { Config } from '../config/schema.js';
import { hostName } from '../config/host-name.js';
import { durationHint, parseDuration } from '../core/duration.js';
import { AuthwatchError, ExitCode } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { policyModes } from '../config/policy-modes.js';
import { policyFromConfig } from '../evaluate/policy.js';
import type { Report } from '../evaluate/report.js';
import type { Machine } from '../outputs/metric-families.js';
import { formatNames, formats, formatsUsage, type FormatName } from '../outputs/formats.js';
import { channelRuns, recordRun, type RunNotes } from '../pipeline/last-run.js';
import { runCheck } from '../pipeline/run-check.js';
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
  --now ISO-8601       judge as if it were this time (also $AUTHWATCH_NOW)
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
  return recordRun('check', notes, () => withDeadline(resolveDeadline(values.deadline), async (step) => {
    step('reading the config');
    const { env, home, now, loaded, log } = await commonSetup(values);
    step('reading the credentials');
    // Not performance.now(): the first touch of `performance` loads perf_hooks.
    const started = process.hrtime.bigint();
    const report = await runCheck({
      context: { env, home, now, agent: values.agent ?? null, openclawProfiles: loaded.config.openclaw.profiles },
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
      live: await prepareLive(loaded.config, values.live === true, env, home, now, log),
    });
    const colour = format === 'table' && stdoutIsTerminal() && !values['no-color'] && !env.NO_COLOR;
    const early = formats[format].afterAlerts ? null : await formats[format].render(report, { colour, failedChannels: [] });
    if (early) writeStdout(early.text);
    notes.status = report.status;
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    // Broken alert memory (full disk, read-only state dir) must not also cost the metrics.
    let alertingProblem: AuthwatchError | null = null;
    if (loaded.config.channels.length > 0) step('sending alerts');
    const alerts =
      loaded.config.channels.length > 0
        ? await sendAlerts(report, loaded.config, { env, home, log, now }).catch((error: unknown) => {
            if (!(error instanceof AuthwatchError)) throw error;
            alertingProblem = error;
            return null;
          })
        : null;
    const failed = alerts?.outcomes.filter((outcome) => outcome.result === 'failed') ?? [];
    const rendered = early ?? (await formats[format].render(report, { colour, failedChannels: failed.map(({ channel }) => channel) }));
    if (!early) writeStdout(rendered.text);
    if (values.textfile !== undefined || values.push !== undefined) {
      step(values.push === undefined ? 'writing the metrics' : 'pushing the metrics to the Pushgateway');
      const machine = { host: hostName(loaded.config), checkIntervalSeconds: intervalMs === null ? null : intervalMs / 1000 };
      await exportMetrics(report, durationMs, machine, alerts?.pending ?? null, values);
    }
    if (alerts) notes.channels = channelRuns(alerts.outcomes, alerts.pending);
    if (alertingProblem) throw alertingProblem;
    for (const { channel, error } of failed) {
      writeStderr(`authwatch: alert channel ${channel} failed: ${error} (kept pending, retried on the next run)\n`);
    }
    return failed.length > 0 ? ExitCode.CouldNotRun : (rendered.exitCode ?? report.exitCode);
  }));
}

/** The live checks of this run, or `null` when none is turned on (nothing is loaded then). */
async function prepareLive(config: Config, flag: boolean, env: NodeJS.ProcessEnv, home: string, now: number, log: Logger) {
  if (!flag && config.live === undefined) return null;
  const { liveSettings } = await import('../live/settings.js');
  const settings = liveSettings(config, flag);
  if (!settings) return null;
  const [{ createLiveRun }, { stateDirectory, makeStateDirectory }] = await Promise.all([import('../live/run.js'), import('../alerts/store.js')]);
  const run = createLiveRun(settings, { stateDir: stateDirectory(env, home), now, log, makeStateDir: makeStateDirectory });
  return { run, quota: { warnRatio: settings.quotaWarnRatio } };
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
