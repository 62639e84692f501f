import * as z from '../core/zod.js';
import { duration } from '../config/primitives.js';
import { describeProgramFailure, isProgramFailure, runProgram, type ProgramFailure } from '../core/run-program.js';
import { channelBase, DeliveryError } from './channel-base.js';
import { batchSeverity, textOf } from './message.js';
import type { AlertBatch, Notifier } from './notifier.js';

export const schema = z.strictObject({
  ...channelBase(),
  type: z.literal('openclaw'),
  /** OpenClaw's channel: telegram, whatsapp, discord, slack, signal, … (`openclaw channels list`) */
  channel: z.string().check(z.regex(/^[a-z][a-z0-9-]{0,63}$/, 'expected an OpenClaw channel such as "telegram" or "whatsapp"')),
  /** the recipient as OpenClaw takes it: a Telegram chat id, an E.164 number, channel:ID, … */
  target: z.string().check(z.minLength(1)),
  /** the channel account, when OpenClaw has several */
  account: z.optional(z.string().check(z.minLength(1))),
  /** how to run OpenClaw, e.g. ["/usr/bin/node", "/opt/openclaw/openclaw.mjs"] */
  command: z._default(z.array(z.string().check(z.minLength(1))).check(z.minLength(1)), ['openclaw']),
  /** the CLI starts in a few seconds, and the gateway then delivers */
  timeout: z._default(duration, 30_000),
});
type OpenclawConfig = z.output<typeof schema>;

/** `openclaw message send …`: the exact arguments, without a shell. Resolved notices go out silently. */
export function openclawArguments(config: OpenclawConfig, batch: AlertBatch): string[] {
  return [
    ...config.command,
    'message',
    'send',
    '--channel',
    config.channel,
    '--target',
    config.target,
    ...(config.account !== undefined ? ['--account', config.account] : []),
    ...(batchSeverity(batch) === 'info' ? ['--silent'] : []),
    '--message',
    textOf(batch).trim(),
  ];
}

/** How many of the last lines of stderr a failure quotes: OpenClaw says why over a few lines (error, then `Try: …`). */
const quotedLines = 3;
const maxOutput = 1024 * 1024;

function reasonOf(error: ProgramFailure, timeoutMs: number): string {
  if (error.reason === 'not-found') return 'not found: install OpenClaw or set the channel\'s command, e.g. ["/usr/bin/node", "/opt/openclaw/openclaw.mjs"]';
  const said = error.stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .slice(-quotedLines)
    .join(' / ');
  return `${describeProgramFailure(error, timeoutMs, maxOutput)}${error.reason === 'exit' && said ? `: ${said.slice(0, 400)}` : ''}`;
}

/**
 * Sends through the user's own OpenClaw gateway; a non-zero exit or the timeout is a failed delivery.
 * @public Read through `notifiers` in ./index.ts by channel type.
 */
export function create(config: OpenclawConfig): Notifier {
  return {
    async send(batch) {
      try {
        await runProgram(openclawArguments(config, batch), config.timeout, maxOutput);
      } catch (error) {
        // The program, not its configured arguments: `["env", "KEY=…", "openclaw"]` carries a secret.
        if (!isProgramFailure(error)) throw error;
        throw new DeliveryError(`openclaw message send via ${config.command[0]} ${reasonOf(error, config.timeout)}`);
      }
    },
  };
}
