import { join } from 'node:path';
import { discoverAgentDirs, stateDirs } from './openclaw-paths.js';
import { profilesFromStore, readStateDocument, readStoreDocument, readUsageStats, type StoreOrigin } from './openclaw-store-format.js';
import type { Read } from '../core/json-reader.js';
import { parseJsonText } from '../core/files.js';
import { resolveReferences } from './secret-refs.js';
import { describeSqliteError, openReadOnly, type ReadOnlyDatabase } from './sqlite-read.js';
import {
  absentVisit,
  failedVisit,
  foundVisit,
  problemProfile,
  type Profile,
  type Source,
  type SourceContext,
  type SourceResult,
} from './source.js';

const name = 'openclaw-db';

/** The two layouts OpenClaw has used for its auth profile database. */
const layouts = {
  /** 2026.9+: one state DB per state dir, shared by the agents. */
  stateDb: {
    store: "SELECT value_json AS json, updated_at_ms AS updated FROM config_machine_state WHERE state_key = 'authProfiles.store'",
    state: "SELECT value_json AS json FROM config_machine_state WHERE state_key = 'authProfiles.state'",
  },
  /** Earlier: a DB per agent dir. */
  agentDb: {
    store: "SELECT store_json AS json, updated_at AS updated FROM auth_profile_store WHERE store_key = 'primary'",
    state: "SELECT state_json AS json FROM auth_profile_state WHERE state_key = 'primary'",
  },
} as const;

interface DatabaseLocation {
  path: string;
  layout: keyof typeof layouts;
  agent: string | null;
}

export function stateDatabasePath(stateDir: string): string {
  return join(stateDir, 'state', 'openclaw.sqlite');
}

function parseRowJson<T>(raw: unknown, read: (document: unknown) => Read<T>, what: string): { ok: true; value: T } | { ok: false; message: string } {
  if (typeof raw !== 'string') return { ok: false, message: `${what} is not text` };
  const json = parseJsonText(raw);
  if (!json.ok) return { ok: false, message: `${what} is ${json.message}` };
  const document = read(json.value);
  return document.ok ? document : { ok: false, message: `${what}: ${document.problems.join('; ')}` };
}

async function readProfiles(db: ReadOnlyDatabase, location: DatabaseLocation, now: number): Promise<Profile[] | { problem: string }> {
  const queries = layouts[location.layout];
  const [storeRow] = db.all(queries.store);
  if (!storeRow) return [];
  const store = parseRowJson(storeRow.json, readStoreDocument, 'the stored auth profile document');
  if (!store.ok) return { problem: store.message };
  const [stateRow] = db.all(queries.state);
  const state = stateRow ? parseRowJson(stateRow.json, readStateDocument, 'the stored auth state document') : null;
  const stats = { ...readUsageStats(state?.ok ? state.value.usageStats : undefined), ...readUsageStats(store.value.usageStats) };
  const updated = Number(storeRow.updated);
  const origin: StoreOrigin = {
    source: name,
    agent: location.agent,
    path: location.path,
    notes: [...db.notes, ...(state && !state.ok ? [`usage stats unreadable: ${state.message}`] : [])],
    updatedAtMs: Number.isFinite(updated) && updated > 0 ? updated : null,
  };
  return profilesFromStore(store.value, stats, origin, now);
}

async function readDatabase(location: DatabaseLocation, now: number): Promise<SourceResult> {
  const opened = await openReadOnly(location.path);
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
  try {
    const profiles = await readProfiles(opened.db, location, now);
    if (!Array.isArray(profiles)) return fail(profiles.problem);
    return { profiles, visits: [foundVisit(name, location.path)] };
  } catch (error) {
    return fail(describeSqliteError(error));
  } finally {
    opened.db.close();
  }
}

/**
 * OpenClaw's auth profiles in SQLite: the shared state DB of current OpenClaw
 * (`<stateDir>/state/openclaw.sqlite`) and the earlier per-agent `openclaw-agent.sqlite`.
 * Opened read-only; the documents inside have the same shape as `auth-profiles.json`.
 */
export const openclawSqlite: Source = {
  name,
  async read(context: SourceContext): Promise<SourceResult> {
    const discovery = discoverAgentDirs(context);
    const locations: DatabaseLocation[] = [
      ...stateDirs(context).map((dir) => ({ path: stateDatabasePath(dir.dir), layout: 'stateDb' as const, agent: null })),
      ...discovery.agents.map((agent) => ({ path: join(agent.dir, 'openclaw-agent.sqlite'), layout: 'agentDb' as const, agent: agent.agent })),
    ];
    const results = await Promise.all(locations.map((location) => readDatabase(location, context.now)));
    return { profiles: await resolveReferences(results.flatMap((r) => r.profiles), context), visits: results.flatMap((r) => r.visits) };
  },
};
