import { durationHint, parseDuration } from '../core/duration.js';
import { AuthwatchError, ExitCode } from '../core/errors.js';
import { runningPrograms } from '../core/run-program.js';
import { writeStderr } from './stdout.js';

/** The whole run's bound: below the TimeoutStartSec=2min of the installed check unit, so the run says what held it up before systemd kills it without a word. */
export const defaultDeadlineMs = 90_000;

export function resolveDeadline(flag: string | undefined): number {
  if (flag === undefined) return defaultDeadlineMs;
  const ms = parseDuration(flag);
  if (ms === undefined || ms <= 0) throw new AuthwatchError(`--deadline: expected ${durationHint}`);
  return ms;
}

/** Names what the run is doing, for the message if the deadline passes. */
export type Step = (doing: string) => void;

/**
 * Runs `work` under a deadline. Past it the run stops where it is: the programs it started are
 * killed, what it was waiting for is said on stderr and it exits 3 at once — before anything
 * still pending is saved (every file authwatch writes is renamed into place whole).
 */
export async function withDeadline<T>(ms: number, work: (step: Step) => Promise<T>): Promise<T> {
  let doing = 'starting';
  const timer = setTimeout(() => {
    const programs = [...runningPrograms];
    for (const program of programs) program.kill();
    // Only a program's name: its arguments may carry a secret.
    const waiting = programs.length > 0 ? ` (waiting for ${[...new Set(programs.map(({ name }) => name))].join(', ')})` : '';
    writeStderr(
      `authwatch: stopped after the run's deadline of ${ms / 1000}s, still ${doing}${waiting}; nothing was saved from this run\n` +
        'hint: --deadline DURATION gives it longer (keep it below the unit\'s TimeoutStartSec)\n',
    );
    process.exit(ExitCode.CouldNotRun);
  }, ms);
  try {
    return await work((now) => (doing = now));
  } finally {
    clearTimeout(timer);
  }
}
