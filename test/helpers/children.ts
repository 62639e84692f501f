import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every long-running child a test starts is tracked here, so none outlives its test: those
 * started in a test are killed after it (pass or fail, timeout included), those started in a
 * beforeAll after the file, and all of them when the worker exits. Each is also written down
 * in the run's registry (AUTHWATCH_TEST_CHILDREN, made by test/helpers/global-setup.ts), whose
 * teardown kills what a crashed or killed worker left behind.
 */

interface Tracked {
  child: ChildProcess;
  /** Started inside a test (killed after it), not in a beforeAll (killed after the file). */
  inTest: boolean;
  exited: Promise<void>;
}

// One set per process, however often a worker loads this module (one load per test file).
const shared = globalThis as { authwatchTestChildren?: Set<Tracked> };
const firstLoad = shared.authwatchTestChildren === undefined;
const tracked = (shared.authwatchTestChildren ??= new Set<Tracked>());
let inTest = false;

/** Called by the setup file's hooks: children started from now on belong to the test. */
export function enterTest(): void {
  inTest = true;
}

/** The process's start time in clock ticks (/proc/<pid>/stat field 22): tells a reused pid apart. */
export function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

const registryEntry = (pid: number) => (process.env.AUTHWATCH_TEST_CHILDREN ? join(process.env.AUTHWATCH_TEST_CHILDREN, String(pid)) : null);

export function trackChild<T extends ChildProcess>(child: T): T {
  const entry: Tracked = {
    child,
    inTest,
    exited: new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    }),
  };
  tracked.add(entry);
  const pid = child.pid;
  const file = pid === undefined ? null : registryEntry(pid);
  const started = pid === undefined ? null : startTimeOf(pid);
  if (file && started) writeFileSync(file, started);
  void entry.exited.then(() => {
    tracked.delete(entry);
    if (file) rmSync(file, { force: true });
  });
  return child;
}

/** Kills the children of the test just run (`test`) or all of them, and waits until they are gone. */
export async function killChildren(which: 'test' | 'all'): Promise<void> {
  inTest = false;
  const doomed = [...tracked].filter((t) => which === 'all' || t.inTest);
  for (const t of doomed) if (t.child.exitCode === null && t.child.signalCode === null) t.child.kill('SIGKILL');
  await Promise.all(doomed.map((t) => Promise.race([t.exited, new Promise((resolve) => setTimeout(resolve, 5_000))])));
}

if (firstLoad) {
  process.on('exit', () => {
    for (const t of tracked) if (t.child.exitCode === null && t.child.signalCode === null) t.child.kill('SIGKILL');
  });
}
