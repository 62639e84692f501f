// The run's registry of test children (see children.ts): whatever a crashed or killed worker
// left running is killed when the run ends, and said so.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTimeOf } from './children.js';

export default function setup(): () => void {
  const registry = mkdtempSync(join(tmpdir(), 'authwatch-test-children-'));
  process.env.AUTHWATCH_TEST_CHILDREN = registry;
  return () => {
    const left: number[] = [];
    for (const name of readdirSync(registry)) {
      const pid = Number(name);
      // Only the same process (same start time), never a later one that reused the pid.
      if (startTimeOf(pid) !== readFileSync(join(registry, name), 'utf8')) continue;
      try {
        process.kill(pid, 'SIGKILL');
        left.push(pid);
      } catch {
        // gone meanwhile
      }
    }
    rmSync(registry, { recursive: true, force: true });
    if (left.length > 0) console.warn(`killed ${left.length} test child process(es) left running by a worker: ${left.join(', ')}`);
  };
}
