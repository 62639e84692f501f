import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Most test time is spent waiting on child processes (the CLI, daemons, real tools), so the
// suite runs a file per core, never fewer than two, where vitest's default leaves one core of
// two idle; AUTHWATCH_TEST_WORKERS overrides it. Forks, not threads: a test's children and
// signals stay in its own process.
const workers = Number(process.env.AUTHWATCH_TEST_WORKERS) || Math.max(2, availableParallelism());

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: workers,
    setupFiles: ['test/helpers/setup.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
  },
});
