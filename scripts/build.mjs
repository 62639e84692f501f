// Builds two CommonJS files with esbuild:
// - dist/cli/authwatch.js, the whole program as one bundle. Commands and outputs that only some
//   runs need (daemon, alerts, installers) are imported dynamically in the source, which esbuild
//   turns into lazily *evaluated* parts of the same file: one file starts faster than lazily
//   loaded chunks, and CommonJS faster than ESM (no ESM loader). zod (every run) and json5 (runs
//   that read a JSON5 file) are bundled; the bigger packages that only some runs load stay external
//   (OpenClaw's gateway client too: ESM, required only when a gateway is read; Node >= 22.12 requires ESM).
// - dist/cli/main.js, the `authwatch` command: a small launcher that turns on Node's compile cache
//   (src/cli/compile-cache.ts), then loads the bundle.
// And dist/config.schema.json, the config's JSON Schema.
// npm runs it before `npm pack` (prepack): the tarball carries dist/ and installs with no build
// step and no install script.
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const external = ['pino', 'prom-client', 'croner', 'nodemailer', '@openclaw/gateway-client', '@openclaw/gateway-protocol'];
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node22', logLevel: 'warning' };

// dotenv (whose parse() reads ~/.openclaw/.env as the gateway does) requires node:crypto at its
// top for encrypted vaults authwatch never opens: it gets crypto on first use instead, so a check
// that reads a .env and prints the table loads no node:crypto (with src/core/fingerprint.ts's
// lazy fingerprints; the price is in docs/performance.md).
// TODO(dotenv>17.4.2): remove when dotenv requires crypto only where it decrypts (17.4.2: at its top).
const lazyCryptoForDotenv = {
  name: 'lazy-crypto-for-dotenv',
  setup(build) {
    build.onResolve({ filter: /^crypto$/ }, (args) => (/[\\/]dotenv[\\/]/.test(args.importer) ? { path: 'lazy-crypto', namespace: 'lazy-crypto' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'lazy-crypto' }, () => ({
      contents: 'module.exports = new Proxy({}, { get: (_, key) => require("node:crypto")[key] });',
      loader: 'js',
    }));
  },
};

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  ...common,
  entryPoints: ['src/cli/run.ts'],
  outfile: 'dist/cli/authwatch.js',
  // No keepNames: nothing reads a function's name (AuthwatchError and zod set theirs), and its
  // wrapper calls cost every start.
  minify: true,
  external,
  plugins: [lazyCryptoForDotenv],
  // import() becomes require(): everything imported is CommonJS, and require skips the ESM loader.
  supported: { 'dynamic-import': false },
  // The source is ESM; in the CommonJS bundle import.meta.url is this file's URL.
  define: { 'import.meta.url': '__authwatchFileUrl' },
  banner: { js: 'const __authwatchFileUrl = require("node:url").pathToFileURL(__filename).href;' },
});
await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/main.js',
});
// package.json says "type": "module" for the sources; the built files are CommonJS.
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');

// dist/config.schema.json: the config's JSON Schema, generated from its zod schema (the one
// place the config's shape is stated), for editors ("$schema" in the config file).
const generator = 'dist/config-schema.cjs';
await build({
  ...common,
  stdin: {
    contents: "const z = require('./src/core/zod.ts'); const { configSchema } = require('./src/config/schema.ts'); module.exports = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });",
    resolveDir: '.',
    loader: 'js',
  },
  outfile: generator,
});
const schema = createRequire(import.meta.url)(`../${generator}`);
rmSync(generator);
writeFileSync('dist/config.schema.json', `${JSON.stringify({ ...schema, title: 'authwatch config' }, null, 2)}\n`);
