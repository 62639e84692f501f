// Builds two CommonJS files with esbuild:
// - dist/cli/authwatch.js, the whole program as one bundle. Commands and outputs that only some
//   runs need (daemon, alerts, installers) are imported dynamically in the source, which esbuild
//   turns into lazily *evaluated* parts of the same file: one file starts faster than lazily
//   loaded chunks, and CommonJS faster than ESM (no ESM loader). zod (every run) and json5 (runs
//   that read a JSON5 file) are bundled; the bigger packages that only some runs load stay external.
// - dist/cli/main.js, the `authwatch` command: a small launcher that loads the bundle with V8's
//   compiled code cached between runs (src/cli/compile-cache.ts), keyed by the bundle's hash.
// npm runs it before `npm pack` (prepack): the tarball carries dist/ and installs with no build
// step and no install script.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const external = ['pino', 'prom-client', 'croner', 'nodemailer'];
const common = { bundle: true, format: 'cjs', platform: 'node', target: 'node22', logLevel: 'warning' };

// dotenv (whose parse() reads ~/.openclaw/.env as the gateway does) requires node:crypto at its
// top for encrypted vaults authwatch never opens: give it crypto on first use instead, so a check
// of a home with a .env does not load node:crypto.
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
  // import() becomes require(): V8 loses the dynamic-import hook of a script compiled from a
  // code cache (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), and everything imported is CommonJS.
  supported: { 'dynamic-import': false },
  // The source is ESM; in the CommonJS bundle import.meta.url is this file's URL.
  define: { 'import.meta.url': '__authwatchFileUrl' },
  banner: { js: 'const __authwatchFileUrl = require("node:url").pathToFileURL(__filename).href;' },
});
const program = readFileSync('dist/cli/authwatch.js');
if (program.includes('import(')) throw new Error('dist/cli/authwatch.js still has an import(), which breaks once its code is cached');
const buildId = createHash('sha256').update(program).digest('hex').slice(0, 16);
await build({
  ...common,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli/main.js',
  define: { AUTHWATCH_BUILD_ID: JSON.stringify(buildId) },
});
// package.json says "type": "module" for the sources; the built files are CommonJS.
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');
