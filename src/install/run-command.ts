import { AuthwatchError } from '../core/errors.js';

/** Prints a command as the user would type it. */
export function showCommand(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ');
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
