/** What a program that failed left behind, to say why in words. */
export type ProgramFailure = NodeJS.ErrnoException & { killed?: boolean; signal?: string; stderr?: string };

/**
 * Runs a program without a shell; past `timeoutMs` it is killed (SIGKILL). Rejects with the
 * failure (its `stderr` attached). child_process is loaded here, on first use: most runs never
 * start a program and need not pay for it.
 */
export function runProgram(command: readonly string[], timeoutMs: number, maxBuffer: number): Promise<{ stdout: string; stderr: string }> {
  const { execFile } = process.getBuiltinModule('node:child_process');
  return new Promise((resolve, reject) => {
    execFile(command[0]!, command.slice(1), { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stderr }));
      else resolve({ stdout, stderr });
    });
  });
}
