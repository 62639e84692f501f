import type { ChildProcess } from 'node:child_process';
import { basename } from 'node:path';

/** What a program that failed left behind, to say why in words. */
export type ProgramFailure = NodeJS.ErrnoException & { killed?: boolean; signal?: string; stderr?: string };

const running = new Set<{ name: string; child: ChildProcess }>();

/** The programs started by runProgram that have not ended yet (a run past its deadline kills them). */
export const runningPrograms: ReadonlySet<{ name: string; child: ChildProcess }> = running;

/**
 * Runs a program without a shell; past `timeoutMs` it is killed (SIGKILL). Rejects with the
 * failure (its `stderr` attached). child_process is loaded here, on first use: most runs never
 * start a program and need not pay for it.
 */
export function runProgram(command: readonly string[], timeoutMs: number, maxBuffer: number): Promise<{ stdout: string; stderr: string }> {
  const { execFile } = process.getBuiltinModule('node:child_process');
  return new Promise((resolve, reject) => {
    const entry = {
      name: basename(command[0]!),
      child: execFile(command[0]!, command.slice(1), { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer }, (error, stdout, stderr) => {
        running.delete(entry);
        if (error) reject(Object.assign(error, { stderr }));
        else resolve({ stdout, stderr });
      }),
    };
    running.add(entry);
  });
}
