import { isJsonObject } from '../core/json-reader.js';
import { parseJson5Text } from '../core/json5-text.js';
import { parseJsonText, pathExists, readCredentialFile } from '../core/files.js';
import { openclawConfigPath, primaryStateDir, stateDatabasePath } from './openclaw-paths.js';
import { externalPluginOf, type ExternalPluginState } from './provider-env.js';
import { readSqlite } from './sqlite-read.js';
import type { SourceContext } from './source.js';

// Whether the gateway runs an official external provider plugin (groq, deepseek, mistral, …),
// read as OpenClaw 2026.9.6 reads it:
// - the installed plugin index: the `plugins.installedIndex` row of the state DB's
//   `config_machine_state` (dist/installed-plugin-index-row-*.mjs, src/plugins/installed-plugin-index-row.ts),
//   `{revision, index: {plugins: [{pluginId, origin, manifestPath, contributions: {providers}}]}}`
//   (dist/installed-plugin-index-store-*.mjs `parseCachedInstalledPluginIndex`);
// - whether an installed plugin is on: openclaw.json's `plugins` policy
//   (dist/installed-plugin-index-*.mjs `createInstalledPluginEnabledPredicate` →
//   dist/config-normalization-shared-*.mjs `resolvePluginActivationDecisionShared`): off when
//   `plugins.enabled` is false, the id is in `plugins.deny`, `plugins.entries.<id>.enabled` is
//   false, or `plugins.allow` is non-empty without it; a workspace plugin needs `allow` or
//   `entries.<id>.enabled: true`; any other non-bundled plugin is on by default.
// Read-only: the state DB through sqlite-read.ts, openclaw.json as text.

interface IndexedPlugin {
  pluginId: string;
  origin: string;
  providers: string[];
  packageName: string | null;
  manifestPath: string | null;
}

interface PluginPolicy {
  enabled: boolean;
  allow: string[];
  deny: string[];
  entries: Record<string, boolean | undefined>;
}

const normalizeId = (id: unknown) => (typeof id === 'string' ? id.trim().toLowerCase() : '');
const ids = (value: unknown) => (Array.isArray(value) ? value.map(normalizeId).filter(Boolean) : []);

function readPolicy(document: unknown): PluginPolicy {
  const plugins = isJsonObject(document) && isJsonObject(document.plugins) ? document.plugins : {};
  const entries: Record<string, boolean | undefined> = {};
  if (isJsonObject(plugins.entries)) {
    for (const [id, entry] of Object.entries(plugins.entries)) entries[normalizeId(id)] = isJsonObject(entry) && typeof entry.enabled === 'boolean' ? entry.enabled : undefined;
  }
  return { enabled: plugins.enabled !== false, allow: ids(plugins.allow), deny: ids(plugins.deny), entries };
}

/** The index's plugin records, or why they cannot be read. */
function readIndex(json: unknown): IndexedPlugin[] | string {
  if (!isJsonObject(json) || typeof json.revision !== 'number' || !isJsonObject(json.index)) return 'not `{revision, index}`';
  const plugins = json.index.plugins;
  if (!Array.isArray(plugins)) return '`index.plugins` is not a list';
  return plugins.filter(isJsonObject).map((record) => ({
    pluginId: normalizeId(record.pluginId),
    origin: typeof record.origin === 'string' ? record.origin : '',
    providers: isJsonObject(record.contributions) ? ids(record.contributions.providers) : [],
    packageName: typeof record.packageName === 'string' ? record.packageName : null,
    manifestPath: typeof record.manifestPath === 'string' ? record.manifestPath : null,
  }));
}

/** Why OpenClaw's plugin policy keeps an installed plugin off, with the fix; null when it runs. */
function offBecause(record: IndexedPlugin, policy: PluginPolicy, configPath: string): { why: string; fix: string } | null {
  const id = record.pluginId;
  if (!policy.enabled) return { why: `plugins.enabled is false in ${configPath}`, fix: `set plugins.enabled to true in ${configPath}` };
  if (policy.deny.includes(id)) return { why: `plugins.deny lists ${id}`, fix: `remove ${id} from plugins.deny in ${configPath}` };
  if (policy.entries[id] === false) return { why: `plugins.entries.${id}.enabled is false`, fix: `run \`openclaw plugins enable ${id}\`` };
  const allowed = policy.allow.includes(id);
  if (record.origin === 'workspace' && !allowed && policy.entries[id] !== true) return { why: 'a workspace plugin is off unless enabled', fix: `run \`openclaw plugins enable ${id}\`` };
  if (policy.allow.length > 0 && !allowed) return { why: `plugins.allow does not list ${id}`, fix: `add ${id} to plugins.allow in ${configPath}` };
  return null;
}

/** Decides each external provider's plugin state from what was read. Pure. */
function externalPluginStates(providers: readonly string[], index: IndexedPlugin[] | null, policy: PluginPolicy, configPath: string, manifestExists: (path: string) => boolean): Map<string, ExternalPluginState> {
  const states = new Map<string, ExternalPluginState>();
  for (const provider of providers) {
    const plugin = externalPluginOf(provider);
    if (!plugin) continue;
    const record = index?.find((entry) => entry.origin !== 'bundled' && (entry.providers.includes(provider) || entry.packageName === plugin));
    if (!record) {
      states.set(provider, { kind: 'not-installed', plugin });
      continue;
    }
    if (record.manifestPath !== null && !manifestExists(record.manifestPath)) {
      states.set(provider, { kind: 'files-gone', plugin, manifest: record.manifestPath });
      continue;
    }
    const off = offBecause(record, policy, configPath);
    states.set(provider, off ? { kind: 'off', plugin, ...off } : { kind: 'enabled', plugin });
  }
  return states;
}

/**
 * The state of the external plugin of each of `providers` that one serves, from the state DB's
 * installed plugin index and openclaw.json's plugin policy. A state DB without the row is a home
 * where nothing was installed; an index that cannot be read makes each such provider `unknown`.
 */
export async function readExternalPluginStates(context: SourceContext, providers: readonly string[]): Promise<Map<string, ExternalPluginState>> {
  const wanted = providers.filter((provider) => externalPluginOf(provider) !== null);
  if (wanted.length === 0) return new Map();
  const dbPath = stateDatabasePath(primaryStateDir(context));
  const unknown = (why: string) => new Map(wanted.map((provider): [string, ExternalPluginState] => [provider, { kind: 'unknown', plugin: externalPluginOf(provider)!, why }]));
  const row = await readSqlite(dbPath, (db) => db.find('config_machine_state', 'state_key', 'plugins.installedIndex', ['value_json']));
  if (row.kind === 'error') return unknown(`${dbPath}: ${row.message}`);
  let index: IndexedPlugin[] | null = null;
  if (row.kind === 'ok' && row.value !== null) {
    const raw = row.value.value_json;
    const json = typeof raw === 'string' ? parseJsonText(raw) : ({ ok: false, message: 'not text' } as const);
    const read = json.ok ? readIndex(json.value) : json.message;
    if (typeof read === 'string') return unknown(`${dbPath}: the installed plugin index (config_machine_state plugins.installedIndex) is ${read}`);
    index = read;
  }
  const configPath = openclawConfigPath(context);
  const file = await readCredentialFile(configPath);
  let document: unknown = {};
  if (file.kind === 'ok') {
    const json = await parseJson5Text(file.text);
    if (json.ok) document = json.value;
  }
  return externalPluginStates(wanted, index, readPolicy(document), configPath, pathExists);
}
