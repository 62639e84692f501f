import { hostname } from 'node:os';
import { AuthwatchError, ExitCode } from '../core/errors.js';
import { defaultDeadlineMs, resolveDeadline, withDeadline, type Step } from './deadline.js';
import { commonOptions, commonSetup, parseCommandArgs } from './options.js';
import { quoteArgument } from '../core/quote-argument.js';
import { writeStdout } from './stdout.js';

const alertUsage = `Usage: authwatch alert test [--channel NAME] [--config FILE] [--deadline DURATION]
       authwatch alert unit-failed UNIT [--user] [--config FILE] [--deadline DURATION]

test         sends a test message through every configured channel (or only NAME) and
             reports, per channel, success or the exact error.
unit-failed  tells every channel that a systemd unit running authwatch failed (the
             OnFailure= hook of the installed units runs it; --user: UNIT is a user unit).
--deadline   stop and exit 3 when the whole run takes longer (default ${defaultDeadlineMs / 1000}s)
Exit 0 when every channel succeeded, 3 otherwise.
`;

export const options = { ...commonOptions, channel: { type: 'string' }, deadline: { type: 'string' }, user: { type: 'boolean' } } as const;

export async function alert(argv: string[]): Promise<ExitCode> {
  const [action, ...rest] = argv;
  if (action === undefined || action === '--help' || action === '-h') {
    writeStdout(alertUsage);
    return action === undefined ? ExitCode.CouldNotRun : ExitCode.Ok;
  }
  if (action !== 'test' && action !== 'unit-failed') {
    throw new AuthwatchError(`alert: unknown action ${quoteArgument(action)}`, { hint: 'run `authwatch alert --help`' });
  }
  const unit = action === 'unit-failed' ? rest[0] : undefined;
  const flags = action === 'unit-failed' ? rest.slice(1) : rest;
  if (action === 'unit-failed' && (unit === undefined || unit.startsWith('-'))) throw new AuthwatchError('alert unit-failed: name the unit that failed');
  const { values } = parseCommandArgs(`alert ${action}`, flags, options);
  if (values.help) {
    writeStdout(alertUsage);
    return ExitCode.Ok;
  }
  return withDeadline(resolveDeadline(values.deadline), (step) => send(action, unit, values, step));
}

type Values = { config?: string; now?: string; 'log-level'?: string; channel?: string; user?: boolean };

async function send(action: 'test' | 'unit-failed', unit: string | undefined, values: Values, step: Step): Promise<ExitCode> {
  step('reading the config');
  const { env, now, loaded, log } = await commonSetup(values);
  const channels = loaded.config.channels.filter((channel) => values.channel === undefined || channel.name === values.channel);
  if (channels.length === 0) {
    throw new AuthwatchError(
      values.channel === undefined ? 'no channels are configured' : `no channel named ${quoteArgument(values.channel)} in ${loaded.path ?? 'the config'}`,
    );
  }
  const { createNotifier } = await import('../alerts/index.js');
  const host = loaded.config.alerting.host ?? hostname();
  const about =
    action === 'test'
      ? { subject: `TEST message from ${host}`, text: 'This is a test message from authwatch. If you can read it, this channel works.', severity: 'info' as const }
      : {
          subject: `authwatch itself FAILED on ${host} (${unit!.slice(0, 80)})`,
          text: unitFailedText(unit!.slice(0, 80), values.user ?? false, env),
          severity: 'critical' as const,
        };
  step(`sending to ${channels.map((channel) => channel.name).join(', ')}`);
  const results = await Promise.all(
    channels.map(async (channel) => {
      try {
        await createNotifier(channel, { env, log }).send({ host, now, notices: [], about });
        return { channel: channel.name, error: null };
      } catch (error) {
        return { channel: channel.name, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
  for (const { channel, error } of results) writeStdout(`${channel}: ${error === null ? 'ok' : `FAILED — ${error}`}\n`);
  return results.every((r) => r.error === null) ? ExitCode.Ok : ExitCode.CouldNotRun;
}

/**
 * What the failure notice says, from what systemd tells an OnFailure= unit about the failed one
 * ($MONITOR_SERVICE_RESULT, $MONITOR_EXIT_STATUS): exit 3 does not mean the credentials went
 * unchecked — it is also a failed alert channel or metrics export, after a complete check.
 */
function unitFailedText(unit: string, user: boolean, env: NodeJS.ProcessEnv): string {
  const result = env.MONITOR_SERVICE_RESULT?.trim();
  const status = env.MONITOR_EXIT_STATUS?.trim();
  const how = result === 'timeout' ? ' (it ran past its TimeoutStartSec)' : status ? ` (exit status ${status.slice(0, 20)})` : '';
  const meaning =
    status === '3'
      ? 'Exit 3: a credential source could not be read, an alert channel failed (the credentials were then checked, and the other channels had their alerts) or the metrics could not be written.'
      : 'Until it is fixed, credentials may not be checked.';
  return `The systemd unit ${unit} that runs authwatch failed${how}. ${meaning} The journal says which: journalctl ${user ? '--user ' : ''}-u ${unit}`;
}
