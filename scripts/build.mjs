// Builds dist/ with esbuild: one ESM bundle per entry, shared code in chunks, and every
// command that only some runs need (daemon, alerts, installers) in its own lazily loaded
// chunk. zod and json5 are bundled (they are on every run's start-up path); packages that
// only some runs load stay external and are required from node_modules when needed.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

const external = ['pino', 'prom-client', 'croner', 'nodemailer', 'sql.js'];

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  keepNames: true,
  external,
  logLevel: 'warning',
});
