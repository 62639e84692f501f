import { AuthwatchError } from '../core/errors.js';
import { maxUnitFileBytes, readBoundedText } from '../core/files.js';
import { shellWord } from '../core/shell-word.js';

/** Prints a command as the user would type it. */
function showCommand(argv: readonly string[]): string {
  return argv.map(shellWord).join(' ');
}

/**
 * Runs (or, for a dry run, only prints) an external command such as `systemctl` with a
 * timeout; its output goes to ours. A missing program is a clear error, not a stack trace.
 */
export function runCommand(argv: readonly string[], options: { dryRun: boolean; timeoutMs?: number }, out: (line: string) => void): void {
  out(`${options.dryRun ? 'would run' : 'running'}: ${showCommand(argv)}`);
  if (options.dryRun) return;
  try {
    // Loaded here, not at start-up: only installers run programs this way.
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    execFileSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], timeout: options.timeoutMs ?? 60_000 });
  } catch (error) {
    const { code, status } = error as NodeJS.ErrnoException & { status?: number };
    if (code === 'ENOENT') throw new AuthwatchError(`${argv[0]} not found on PATH; run the commands above by hand where it exists`);
    throw new AuthwatchError(`${showCommand(argv)} failed${status !== undefined && status !== null ? ` (exit ${status})` : code ? ` (${code})` : ''}`);
  }
}

/** An installed unit or script, read to undo it: bounded, so a FIFO or /dev/zero in its place is an error, not a hang. */
export function readInstalled(path: string): string {
  const read = readBoundedText(path, maxUnitFileBytes);
  if (read.kind === 'ok') return read.text;
  throw new AuthwatchError(`cannot read ${path}: ${read.kind === 'absent' ? 'it is gone' : read.message}`);
}

/**
 * Runs one step of an undo that must go on past a failure (uninstall): the failure is said at
 * once and kept in `failures` for the final report.
 */
export async function attempt(failures: string[], step: () => unknown, out: (line: string) => void, hint = ''): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (!(error instanceof AuthwatchError)) throw error;
    const message = hint ? `${error.message}; ${hint}` : error.message;
    failures.push(message);
    out(`FAILED: ${message}`);
  }
}

/** The end of such an undo: every failure in one error (exit 3), or nothing. */
export function reportFailures(what: string, failures: readonly string[]): void {
  if (failures.length === 0) return;
  throw new AuthwatchError(`${what}: ${failures.length === 1 ? 'one step' : `${failures.length} steps`} failed (all the others were done): ${failures.join(' | ')}`);
}

/** Removes one installed file (or says it would), as a step of such an undo. */
export async function removeInstalled(path: string, dryRun: boolean, failures: string[], out: (line: string) => void): Promise<void> {
  if (dryRun) return out(`would remove ${path}`);
  await attempt(failures, async () => {
    const { rm } = await import('node:fs/promises');
    await rm(path, { force: true }).catch((error: NodeJS.ErrnoException) => {
      throw new AuthwatchError(`cannot remove ${path}: ${error.code ?? error.message}`);
    });
    out(`removed ${path}`);
  }, out);
}
