#!/usr/bin/env node
// Regenerates src/sources/provider-env-table.json — provider → the environment variables
// OpenClaw reads for it, first non-empty wins — from an installed OpenClaw package, the way
// OpenClaw builds its env candidate map (dist `src/secrets/provider-env-vars.ts`):
//   1. every bundled plugin manifest `extensions/*/openclaw.plugin.json`, `setup.providers[]`
//      `{id, envVars}`, appended without duplicates;
//   2. the official external provider catalog (`scripts/lib/official-external-provider-catalog.json`,
//      `entries[].openclaw.providers[]` `{id, envVars}`): the manifests of the provider plugins
//      OpenClaw ships outside its package (groq, mistral, deepseek, …), mirrored faithfully; once
//      such a plugin is installed its manifest feeds the same map, and OpenClaw offers to install
//      it when one of these variables is set (`resolveOfficialExternalProviderPluginIdsForEnv`).
//      Appended after the bundled lists without duplicates; providers only the catalog declares
//      are recorded as `external` (provider → npm package), so a reader can say so;
//   3. manifest `providerAuthAliases` (alias → target): the alias gets the target's variables;
//      (recorded as `aliases`, so a reader can report a shared key once, under the target);
//   4. the core table CORE_PROVIDER_AUTH_ENV_VAR_CANDIDATES replaces those providers' lists.
// Usage: node scripts/provider-env-table.mjs [PACKAGE_DIR] [--stdout]
//   PACKAGE_DIR defaults to /opt/openclaw/openclaw/node_modules/openclaw; --stdout prints
//   instead of writing the file.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const toStdout = args.includes('--stdout');
const packageDir = args.find((arg) => !arg.startsWith('--')) ?? '/opt/openclaw/openclaw/node_modules/openclaw';
const output = fileURLToPath(new URL('../src/sources/provider-env-table.json', import.meta.url));

function fail(message) {
  process.stderr.write(`provider-env-table: ${message}\n`);
  process.exit(1);
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return fail(`${path}: ${error.code === 'ENOENT' ? 'not found' : error.message}`);
  }
}

const append = (table, provider, variables) => {
  const id = String(provider).trim().toLowerCase();
  if (!id || !Array.isArray(variables)) return;
  const list = (table[id] ??= []);
  for (const variable of variables) if (typeof variable === 'string' && variable.trim() && !list.includes(variable.trim())) list.push(variable.trim());
};

/** The core table, read from the bundled module that defines it (a plain object literal). */
function coreCandidates(dist) {
  for (const file of readdirSync(dist).filter((name) => name.startsWith('provider-env-vars-') && name.endsWith('.mjs')).sort()) {
    const match = /const CORE_PROVIDER_AUTH_ENV_VAR_CANDIDATES = (\{[^}]*\});/.exec(readFileSync(join(dist, file), 'utf8'));
    if (!match) continue;
    // Keys are identifiers or double-quoted strings, values arrays of double-quoted strings.
    const json = match[1].replace(/([{,]\s*)([A-Za-z_$][\w$-]*)\s*:/g, '$1"$2":').replace(/,\s*}/, '}');
    try {
      return JSON.parse(json);
    } catch (error) {
      return fail(`${join(dist, file)}: CORE_PROVIDER_AUTH_ENV_VAR_CANDIDATES is not a plain literal any more (${error.message})`);
    }
  }
  return fail(`${dist}: no provider-env-vars-*.mjs defines CORE_PROVIDER_AUTH_ENV_VAR_CANDIDATES`);
}

const version = readJson(join(packageDir, 'package.json')).version;
const dist = join(packageDir, 'dist');
const extensions = join(dist, 'extensions');
let plugins;
try {
  plugins = readdirSync(extensions).sort();
} catch (error) {
  fail(`${extensions}: ${error.message}`);
}

const table = {};
const aliases = [];
for (const plugin of plugins) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(extensions, plugin, 'openclaw.plugin.json'), 'utf8'));
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') continue;
    fail(`${join(extensions, plugin, 'openclaw.plugin.json')}: ${error.message}`);
  }
  for (const provider of manifest.setup?.providers ?? []) if (provider?.id) append(table, provider.id, provider.envVars ?? []);
  for (const [alias, target] of Object.entries(manifest.providerAuthAliases ?? {})) aliases.push([alias, target]);
}
// Official external provider plugins (not in dist/extensions): their catalog entries.
const catalogPath = join(packageDir, 'scripts', 'lib', 'official-external-provider-catalog.json');
const catalog = readJson(catalogPath);
if (!Array.isArray(catalog.entries)) fail(`${catalogPath}: no \`entries\` list any more`);
const external = {};
for (const entry of catalog.entries) {
  for (const provider of entry?.openclaw?.providers ?? []) {
    if (!provider?.id || !Array.isArray(provider.envVars) || provider.envVars.length === 0) continue;
    const id = String(provider.id).trim().toLowerCase();
    if (!table[id] && typeof entry.name === 'string') external[id] = entry.name;
    append(table, id, provider.envVars);
  }
}
for (const [alias, target] of aliases.sort(([a], [b]) => a.localeCompare(b))) if (table[target]) append(table, alias, table[target]);
const core = coreCandidates(dist);
for (const [provider, variables] of Object.entries(core)) table[provider] = [...variables];

const providers = Object.fromEntries(
  Object.entries(table)
    .filter(([, variables]) => variables.length > 0)
    .sort(([a], [b]) => a.localeCompare(b)),
);
const aliasTable = Object.fromEntries(aliases.filter(([alias]) => providers[alias]).sort(([a], [b]) => a.localeCompare(b)));
const externalTable = Object.fromEntries(Object.entries(external).filter(([id]) => providers[id] && !Object.hasOwn(core, id)).sort(([a], [b]) => a.localeCompare(b)));
const text = `${JSON.stringify({ openclawVersion: version, generatedBy: 'scripts/provider-env-table.mjs', providers, aliases: aliasTable, external: externalTable }, null, 2)}\n`;
if (toStdout) process.stdout.write(text);
else {
  writeFileSync(output, text);
  process.stderr.write(`wrote ${output}: ${Object.keys(providers).length} providers from OpenClaw ${version}\n`);
}
