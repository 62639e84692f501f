import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Most test time is spent waiting on child processes (the CLI, daemons, real tools), so the
// suite runs a file per core, never fewer than two, where vitest's default leaves one core of
// two idle; AUTHWATCH_TEST_WORKERS overrides it. Forks, not threads: a test's children and
// signals stay in its own process.
const workers = Number(process.env.AUTHWATCH_TEST_WORKERS) || Math.max(2, availableParallelism());
/** Run with every authwatch they start under an LD_PRELOAD shim that denies link(), as Android does (test/helpers/link-denied.ts). */
const linkDenied = ['test/alert-chaos.e2e.test.ts', 'test/alerts/*.e2e.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    maxWorkers: workers,
    setupFiles: ['test/helpers/setup.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**', ...linkDenied] } },
      { extends: true, test: { name: 'link-denied', include: linkDenied, env: { AUTHWATCH_TEST_LINK_DENIED: '1' } } },
    ],
  },
});
