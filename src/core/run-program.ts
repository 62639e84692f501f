import { basename } from 'node:path';

/** Why a program gave no usable output, with what it left behind to say so in words. */
export interface ProgramFailure {
  reason: 'not-found' | 'timeout' | 'no-output' | 'too-much-output' | 'exit' | 'spawn';
  /** Exit code for `exit` (`null` when a signal ended it). */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What it wrote to stderr, at most `maxBytes` of it. */
  stderr: string;
}

export function isProgramFailure(error: unknown): error is ProgramFailure {
  return typeof error === 'object' && error !== null && typeof (error as ProgramFailure).reason === 'string' && 'stderr' in error;
}

const running = new Set<{ name: string; kill: () => void }>();

/** The programs started by runProgram that have not ended yet (a run past its deadline kills them). */
export const runningPrograms: ReadonlySet<{ name: string; kill: () => void }> = running;

/** What a few programs need beyond the defaults (the parent's environment and directory, no stdin). */
interface ProgramOptions {
  /** Written to stdin, which is then closed. */
  input?: string;
  /** The whole environment of the program (nothing is inherited). */
  env?: Record<string, string>;
  cwd?: string;
  /** Killed when it prints nothing for this long (a silent hang ends before the wall clock). */
  noOutputMs?: number;
  /** `maxBytes` bounds stdout and stderr together. */
  combinedLimit?: boolean;
}

/**
 * Runs a program without a shell, in its own process group. The deadline is a wall clock:
 * past `timeoutMs` the whole group is killed (SIGKILL) and the promise settles, even when a
 * grandchild still holds stdout or stderr open. Output beyond `maxBytes` (per stream) kills
 * the group too. Rejects with a ProgramFailure. child_process is loaded here, on first use:
 * most runs never start a program and need not pay for it.
 */
export function runProgram(command: readonly string[], timeoutMs: number, maxBytes: number, options: ProgramOptions = {}): Promise<{ stdout: string; stderr: string }> {
  const { spawn } = process.getBuiltinModule('node:child_process');
  return new Promise((resolve, reject) => {
    const child = spawn(command[0]!, command.slice(1), {
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
      ...(options.env ? { env: options.env } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    if (options.input !== undefined && child.stdin) {
      // A program that exits without reading its stdin is judged by its exit, not by EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(options.input);
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const sizes = { out: 0, err: 0 };
    let quiet: NodeJS.Timeout | undefined;
    const listen = () => {
      if (options.noOutputMs === undefined) return;
      clearTimeout(quiet);
      quiet = setTimeout(() => finish({ reason: 'no-output', code: null, signal: 'SIGKILL' }), options.noOutputMs);
    };
    let settled = false;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const entry = { name: basename(command[0]!), kill: killGroup };
    running.add(entry);
    const finish = (failure: Omit<ProgramFailure, 'stderr'> | null) => {
      if (settled) return;
      settled = true;
      running.delete(entry);
      clearTimeout(timer);
      clearTimeout(quiet);
      const stderr = Buffer.concat(err).toString('utf8');
      if (failure) {
        killGroup();
        // A grandchild may hold the pipes open: stop reading them rather than wait for it.
        child.stdout?.destroy();
        child.stderr?.destroy();
        reject({ ...failure, stderr } satisfies ProgramFailure);
      } else resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr });
    };
    const timer = setTimeout(() => finish({ reason: 'timeout', code: null, signal: 'SIGKILL' }), timeoutMs);
    listen();
    const collect = (chunks: Buffer[], stream: 'out' | 'err') => (chunk: Buffer) => {
      sizes[stream] += chunk.length;
      if ((options.combinedLimit ? sizes.out + sizes.err : sizes[stream]) > maxBytes) finish({ reason: 'too-much-output', code: null, signal: 'SIGKILL' });
      else {
        chunks.push(chunk);
        listen();
      }
    };
    child.stdout!.on('data', collect(out, 'out'));
    child.stderr!.on('data', collect(err, 'err'));
    child.on('error', (error: NodeJS.ErrnoException) => finish({ reason: error.code === 'ENOENT' ? 'not-found' : 'spawn', code: null, signal: null }));
    // `close`, not `exit`: the output is whole only once the pipes are closed (the timer still bounds the wait).
    child.on('close', (code, signal) => {
      if (code === 0) finish(null);
      else finish({ reason: 'exit', code, signal });
    });
  });
}

/** A failure in words for a message after the program's name: `not found on PATH`, `exited with 1`. */
export function describeProgramFailure(failure: ProgramFailure, timeoutMs: number, maxBytes: number): string {
  switch (failure.reason) {
    case 'not-found':
      return 'not found on PATH';
    case 'timeout':
      return `no answer within ${timeoutMs / 1000}s (killed)`;
    case 'no-output':
      return 'printed nothing for too long (killed)';
    case 'too-much-output':
      return `printed more than ${maxBytes / 1024 / 1024} MB (killed)`;
    case 'spawn':
      return 'could not be started';
    case 'exit':
      return failure.code === null ? `was killed by ${failure.signal}` : `exited with ${failure.code}`;
  }
}
