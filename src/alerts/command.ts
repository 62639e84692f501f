import * as z from '../core/zod.js';
import { channelBase, DeliveryError } from './channel-base.js';
import { batchSeverity, textOf, titleOf } from './message.js';
import type { AlertBatch, Notifier } from './notifier.js';

export const schema = z.strictObject({
  ...channelBase(),
  type: z.literal('command'),
  /** run without a shell; {title}, {text}, {status} and {severity} are replaced in each argument */
  command: z.array(z.string()).check(z.minLength(1, 'expected the program and its arguments, e.g. ["termux-notification", "-t", "{title}", "-c", "{text}"]')),
});
type CommandConfig = z.output<typeof schema>;

function commandArguments(command: readonly string[], batch: AlertBatch): string[] {
  const values: Record<string, string> = {
    title: titleOf(batch),
    text: textOf(batch).trim(),
    status: batch.notices[0]?.kind === 'resolved' && batch.notices.every((n) => n.kind === 'resolved') ? 'resolved' : (batch.notices[0]?.status ?? 'test'),
    severity: batchSeverity(batch),
  };
  return command.map((arg) => arg.replace(/\{(title|text|status|severity)\}/g, (_, key: string) => values[key]!));
}

/** How much of a failing program's stderr its error quotes: the end, where the reason usually is. */
const quotedStderr = 400;

/**
 * The last lines of a failing program's stderr, up to `quotedStderr` characters, one line
 * (` | ` between its lines): a usage error's reason is often above its last line ("Try: … --help").
 * The delivery's error is scrubbed where it is kept (deliver.ts), like every channel's.
 */
export function lastWords(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  const kept: string[] = [];
  let length = 0;
  for (let index = lines.length - 1; index >= 0 && length < quotedStderr; index--) {
    kept.unshift(lines[index]!);
    length += lines[index]!.length + 3;
  }
  const text = kept.join(' | ');
  return text.length > quotedStderr ? `…${text.slice(-quotedStderr)}` : text;
}

/** How long a finished program's last words on stderr are waited for (a grandchild may hold the pipe open). */
const stderrGraceMs = 100;

/**
 * Runs the program (no shell) with the batch as JSON on stdin; a non-zero exit or the timeout
 * is a failed delivery. The timeout is a hard deadline: the program runs in its own process
 * group and the whole group is killed then, children it left behind included.
 * @public Read through `notifiers` in ./index.ts by channel type.
 */
export function create(config: CommandConfig): Notifier {
  return {
    send(batch) {
      const [program, ...args] = commandArguments(config.command, batch);
      const { spawn } = process.getBuiltinModule('node:child_process'); // only runs with this channel pay for it
      return new Promise<void>((resolve, reject) => {
        const child = spawn(program!, args, { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
        let stderr = '';
        let killed = false;
        const killGroup = () => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // the group is gone already
          }
        };
        const deadline = setTimeout(() => {
          killed = true;
          killGroup();
          finish(null, null);
        }, config.timeout);
        let settled = false;
        function finish(code: number | null, signal: NodeJS.Signals | null) {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          child.stderr.destroy(); // never wait for whoever else holds the pipe
          if (code === 0) resolve();
          else if (killed) reject(new DeliveryError(`command ${program} did not finish within ${config.timeout / 1000}s (killed)`));
          else if (signal) reject(new DeliveryError(`command ${program} was killed by ${signal}`));
          else reject(new DeliveryError(`command ${program} exited with ${code}${stderr.trim() ? `: ${lastWords(stderr)}` : ''}`));
        }
        child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4 * quotedStderr)));
        child.on('error', (error: NodeJS.ErrnoException) => {
          settled = true;
          clearTimeout(deadline);
          reject(new DeliveryError(`command ${program}: ${error.code === 'ENOENT' ? 'not found' : error.message}`));
        });
        // 'exit', not 'close': the program is done even if a child it started still holds stderr.
        child.on('exit', (code, signal) => {
          if (child.stderr.readableEnded) return finish(code, signal);
          const grace = setTimeout(() => finish(code, signal), stderrGraceMs);
          child.stderr.once('end', () => {
            clearTimeout(grace);
            finish(code, signal);
          });
        });
        child.stdin.on('error', () => undefined); // the program may not read stdin at all
        child.stdin.end(JSON.stringify(batch));
      });
    },
  };
}
