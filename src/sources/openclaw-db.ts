import { join } from 'node:path';
import { discoverAgentDirs, stateDatabasePath, stateDirs } from './openclaw-paths.js';
import { inlineKeyUsage, profilesFromStore, readStateDocument, readStoreDocument, readUsageStats, type StoreOrigin } from './openclaw-store-format.js';
import type { Read } from '../core/json-reader.js';
import { parseJsonText } from '../core/files.js';
import { resolveReferences } from './secret-refs.js';
import { readSqlite, type ReadOnlyDatabase } from './sqlite-read.js';
import {
  absentVisit,
  failedVisit,
  foundVisit,
  problemProfile,
  type Profile,
  type SecretHandOver,
  type Source,
  type SourceContext,
  type SourceResult,
  type AuthStoreFacts,
} from './source.js';
import { sourceNames } from './source-names.js';

const name = sourceNames.openclawDb;

interface RowAt {
  table: string;
  keyColumn: string;
  key: string;
  json: string;
  updated: string;
}

/** The two layouts OpenClaw has used for its auth profile database. */
const layouts: Record<'stateDb' | 'agentDb', { store: RowAt; state: RowAt }> = {
  /** 2026.9+: one state DB per state dir, shared by the agents. */
  stateDb: {
    store: { table: 'config_machine_state', keyColumn: 'state_key', key: 'authProfiles.store', json: 'value_json', updated: 'updated_at_ms' },
    state: { table: 'config_machine_state', keyColumn: 'state_key', key: 'authProfiles.state', json: 'value_json', updated: 'updated_at_ms' },
  },
  /** Earlier: a DB per agent dir. */
  agentDb: {
    store: { table: 'auth_profile_store', keyColumn: 'store_key', key: 'primary', json: 'store_json', updated: 'updated_at' },
    state: { table: 'auth_profile_state', keyColumn: 'state_key', key: 'primary', json: 'state_json', updated: 'updated_at' },
  },
};

interface StoredRows {
  store: { json: unknown; updated: unknown } | null;
  state: { json: unknown } | null;
}

function readRows(db: ReadOnlyDatabase, layout: (typeof layouts)[keyof typeof layouts]): StoredRows {
  const find = (at: RowAt) => {
    const row = db.find(at.table, at.keyColumn, at.key, [at.json, at.updated]);
    return row && { json: row[at.json], updated: row[at.updated] };
  };
  const store = find(layout.store);
  return { store, state: store && find(layout.state) };
}

interface DatabaseLocation {
  path: string;
  layout: keyof typeof layouts;
  agent: string | null;
}

export { stateDatabasePath } from './openclaw-paths.js';

function parseRowJson<T>(raw: unknown, read: (document: unknown) => Read<T>, what: string): { ok: true; value: T } | { ok: false; message: string } {
  if (typeof raw !== 'string') return { ok: false, message: `${what} is not text` };
  const json = parseJsonText(raw);
  if (!json.ok) return { ok: false, message: `${what} is ${json.message}` };
  const document = read(json.value);
  return document.ok ? document : { ok: false, message: `${what}: ${document.problems.join('; ')}` };
}

async function readProfiles({ store: storeRow, state: stateRow }: StoredRows, notes: string[], location: DatabaseLocation, now: number, handOverSecret?: SecretHandOver): Promise<{ profiles: Profile[]; authStore?: AuthStoreFacts } | { problem: string }> {
  if (!storeRow) return { profiles: [] };
  const store = parseRowJson(storeRow.json, readStoreDocument, 'the stored auth profile document');
  if (!store.ok) return { problem: store.message };
  const state = stateRow ? parseRowJson(stateRow.json, readStateDocument, 'the stored auth state document') : null;
  const stats = { ...readUsageStats(state?.ok ? state.value.usageStats : undefined), ...readUsageStats(store.value.usageStats) };
  const updated = Number(storeRow.updated);
  const origin: StoreOrigin = {
    source: name,
    agent: location.agent,
    path: location.path,
    notes: [...notes, ...(state && !state.ok ? [`usage stats unreadable: ${state.message}`] : [])],
    updatedAtMs: Number.isFinite(updated) && updated > 0 ? updated : null,
    ...(handOverSecret ? { handOverSecret } : {}),
  };
  return { profiles: profilesFromStore(store.value, stats, origin, now), authStore: { order: { ...store.value.order, ...(state?.ok ? state.value.order : {}) }, inlineKeys: inlineKeyUsage(stats) } };
}

async function readDatabase(location: DatabaseLocation, now: number, handOverSecret?: SecretHandOver): Promise<SourceResult> {
  const opened = await readSqlite(location.path, (db) => readRows(db, layouts[location.layout]));
  if (opened.kind === 'absent') return { profiles: [], visits: [absentVisit(name, location.path)] };
  const fail = (message: string): SourceResult => {
    const full = `${location.path}: ${message}`;
    const id = `openclaw-db:${location.agent ?? 'state'}`;
    return {
      profiles: [problemProfile({ id, provider: 'unknown', source: name, agent: location.agent, path: location.path }, full)],
      visits: [failedVisit(name, location.path, full)],
    };
  };
  if (opened.kind === 'error') return fail(opened.message);
  const read = await readProfiles(opened.value, opened.notes, location, now, handOverSecret);
  if ('problem' in read) return fail(read.problem);
  const visit = foundVisit(name, location.path);
  return { profiles: read.profiles, visits: [read.authStore ? { ...visit, authStore: read.authStore } : visit] };
}

/**
 * OpenClaw's auth profiles in SQLite: the shared state DB of current OpenClaw
 * (`<stateDir>/state/openclaw.sqlite`) and the earlier per-agent `openclaw-agent.sqlite`.
 * Opened read-only; the documents inside have the same shape as `auth-profiles.json`.
 */
export const openclawDb: Source = {
  name,
  async read(context: SourceContext): Promise<SourceResult> {
    const discovery = await discoverAgentDirs(context);
    const locations: DatabaseLocation[] = [
      ...stateDirs(context).map((dir) => ({ path: stateDatabasePath(dir.dir), layout: 'stateDb' as const, agent: null })),
      ...discovery.agents.map((agent) => ({ path: join(agent.dir, 'openclaw-agent.sqlite'), layout: 'agentDb' as const, agent: agent.agent })),
    ];
    const results = await Promise.all(locations.map((location) => readDatabase(location, context.now, context.handOverSecret)));
    return { profiles: await resolveReferences(results.flatMap((r) => r.profiles), context), visits: results.flatMap((r) => r.visits) };
  },
};
