// The suite's own hygiene: a test that fails, times out or takes its worker down with it leaves
// no child process running (issue 28 §6: timed-out tests left daemons listening for 40 minutes).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { startTimeOf } from './helpers/children.js';
import { makeHome } from './helpers/home.js';
import { waitFor } from './helpers/processes.js';

const root = fileURLToPath(new URL('..', import.meta.url));

it('children of failed, timed-out and crashed tests are all killed', { timeout: 120_000 }, async () => {
  const pids = join(makeHome(), 'pids');
  const run = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'test/fixtures/hygiene/vitest.config.ts'], {
    cwd: root,
    env: { ...process.env, HYGIENE_PIDS: pids, AUTHWATCH_TEST_CHILDREN: '' },
    encoding: 'utf8',
    timeout: 100_000,
  });
  expect(run.status, run.stdout + run.stderr).not.toBe(0);
  const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
  expect(started).toHaveLength(4); // beforeAll, the timed-out test, the failed test, the crashed worker's test
  await waitFor('every child to be gone', () => (started.every((pid) => startTimeOf(pid) === null || /\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) ? true : undefined), 10_000);
  expect(run.stderr + run.stdout).toMatch(/killed 1 test child process\(es\) left running by a worker/);
});
