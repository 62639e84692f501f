import { defineConfig } from 'vitest/config';

/** Run with every authwatch they start under an LD_PRELOAD shim that denies link(), as Android does (test/helpers/link-denied.ts). */
const linkDenied = ['test/alert-chaos.e2e.test.ts', 'test/alerts/*.e2e.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'], exclude: ['**/node_modules/**', ...linkDenied] } },
      { extends: true, test: { name: 'link-denied', include: linkDenied, env: { AUTHWATCH_TEST_LINK_DENIED: '1' } } },
    ],
  },
});
