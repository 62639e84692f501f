import * as z from '../core/zod.js';
import { channelBase, DeliveryError } from './channel-base.js';
import { batchSeverity, textOf, titleOf } from './message.js';
import type { AlertBatch, Notifier } from './notifier.js';

export const schema = z.lazy(() =>
  z.strictObject({
    ...channelBase(),
    type: z.literal('command'),
    /** run without a shell; {title}, {text}, {status} and {severity} are replaced in each argument */
    command: z
      .array(z.string())
      .check(z.minLength(1, 'expected the program and its arguments, e.g. ["termux-notification", "-t", "{title}", "-c", "{text}"]')),
  }),
);
export type CommandConfig = z.output<typeof schema>;

export function commandArguments(command: readonly string[], batch: AlertBatch): string[] {
  const values: Record<string, string> = {
    title: titleOf(batch),
    text: textOf(batch).trim(),
    status: batch.notices[0]?.kind === 'resolved' && batch.notices.every((n) => n.kind === 'resolved') ? 'resolved' : (batch.notices[0]?.status ?? 'test'),
    severity: batchSeverity(batch),
  };
  return command.map((arg) => arg.replace(/\{(title|text|status|severity)\}/g, (_, key: string) => values[key]!));
}

/** Runs the program (no shell) with the batch as JSON on stdin; a non-zero exit or a timeout is a failed delivery. */
export function create(config: CommandConfig): Notifier {
  return {
    send(batch) {
      const [program, ...args] = commandArguments(config.command, batch);
      const { spawn } = process.getBuiltinModule('node:child_process'); // only runs with this channel pay for it
      return new Promise<void>((resolve, reject) => {
        const child = spawn(program!, args, { stdio: ['pipe', 'ignore', 'pipe'], timeout: config.timeout, killSignal: 'SIGKILL' });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-500)));
        child.on('error', (error: NodeJS.ErrnoException) =>
          reject(new DeliveryError(`command ${program}: ${error.code === 'ENOENT' ? 'not found' : error.message}`)),
        );
        child.on('close', (code, signal) => {
          if (code === 0) resolve();
          else if (signal) reject(new DeliveryError(`command ${program} did not finish within ${config.timeout / 1000}s (killed)`));
          else reject(new DeliveryError(`command ${program} exited with ${code}${stderr.trim() ? `: ${stderr.trim().split('\n').at(-1)}` : ''}`));
        });
        child.stdin.on('error', () => undefined); // the program may not read stdin at all
        child.stdin.end(JSON.stringify(batch));
      });
    },
  };
}
