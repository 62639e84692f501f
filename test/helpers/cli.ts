import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { trackChild } from './children.js';
import { childPreload } from './link-denied.js';

export const cliPath = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface CliOptions {
  home: string;
  env?: Record<string, string>;
  /** Run as this uid (root only): how the suite gets "permission denied" while running as root. */
  uid?: number;
  timeoutMs?: number;
}

/** Runs any program as a child process, with exactly `env`; `stdin` is written and closed. */
export function runProcess(
  command: string,
  args: string[],
  options: { env: Record<string, string>; stdin?: string; timeoutMs?: number; uid?: number },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = trackChild(spawn(command, args, {
      env: options.env,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 20_000,
      killSignal: 'SIGKILL',
      ...(options.uid !== undefined ? { uid: options.uid, gid: options.uid } : {}),
    }));
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  });
}

/**
 * Runs the built CLI as a real child process with a clean environment: only PATH, the temp
 * HOME, UTC and whatever the test adds — never the developer's own credentials.
 */
export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: options.home, TZ: 'UTC', ...childPreload(), ...options.env };
  return runProcess(process.execPath, [cliPath, ...args], { env, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), ...(options.uid !== undefined ? { uid: options.uid } : {}) });
}
