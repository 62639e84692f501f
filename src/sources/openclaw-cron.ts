import { join } from 'node:path';
import { isJsonObject } from '../core/json-reader.js';
import { parseJsonText } from '../core/files.js';
import { normalizeAgentId } from './openclaw-agents.js';
import { primaryStateDir, stateDatabasePath, userPath } from './openclaw-paths.js';
import { readSqlite } from './sqlite-read.js';
import type { SourceContext } from './source.js';

// The model overrides of OpenClaw 2026.9.6's cron jobs (issue 30 §4), read-only from the state
// DB's `cron_jobs` table (DDL in dist/openclaw-state-db-read-connection-*.mjs; rows written by
// dist/row-codec-*.mjs `bindCronJobRow`): the gateway loads the rows of one store key
// (`loadCronRows(db, storeKey)`), `path.resolve` of the store path — openclaw.json's
// `cron.store`, else the `cron.store` row of `config_machine_state`, else
// `<stateDir>/cron/jobs.json` (dist/paths-*.mjs `resolveCronJobsStorePath`). An agent job's
// `job_json.payload` (`kind: "agentTurn"`) holds `model` and `fallbacks`
// (`openclaw cron add --model … --fallbacks …`); `agent_id` names the agent that runs it, none
// the default agent.

/** An enabled agent job's model override. */
export interface CronModelJob {
  id: string;
  name: string;
  /** The agent that runs it; `null`: the default agent. */
  agent: string | null;
  model: string | null;
  fallbacks: string[];
}

/** More jobs than this are not read (a bound on a hostile table; OpenClaw's own stores hold far fewer). */
const maxJobs = 10_000;

const columns = ['job_id', 'name', 'enabled', 'agent_id', 'payload_kind', 'job_json'] as const;

/** The jobs' overrides, or why they cannot be read (naming the file); none when the DB or table is absent. */
export async function readCronModelJobs(context: SourceContext, configured: unknown): Promise<{ jobs: CronModelJob[]; problem: string | null }> {
  const stateDir = primaryStateDir(context);
  const dbPath = stateDatabasePath(stateDir);
  const read = await readSqlite(dbPath, (db) => {
    const stored = db.findOptional('config_machine_state', 'state_key', 'cron.store', ['value_json']);
    const storedPath = typeof stored?.value_json === 'string' ? parseJsonText(stored.value_json) : null;
    const fromState = storedPath?.ok && typeof storedPath.value === 'string' && storedPath.value.trim() ? storedPath.value.trim() : null;
    const fromConfig = typeof configured === 'string' && configured.trim() ? configured.trim() : null;
    const storeKey = userPath(fromConfig ?? fromState ?? join(stateDir, 'cron', 'jobs.json'), context);
    return db.where('cron_jobs', 'store_key', storeKey, columns, maxJobs);
  });
  if (read.kind === 'absent') return { jobs: [], problem: null };
  if (read.kind === 'error') return { jobs: [], problem: `${dbPath}: cron jobs unreadable: ${read.message}` };
  const jobs: CronModelJob[] = [];
  const bad: string[] = [];
  for (const row of read.value ?? []) {
    if (row.enabled !== 1 || row.payload_kind !== 'agentTurn') continue;
    const json = typeof row.job_json === 'string' ? parseJsonText(row.job_json) : null;
    const payload = json?.ok && isJsonObject(json.value) && isJsonObject(json.value.payload) ? json.value.payload : null;
    const id = String(row.job_id);
    if (!payload) {
      bad.push(id);
      continue;
    }
    const model = typeof payload.model === 'string' && payload.model.trim() ? payload.model.trim() : null;
    const fallbacks = Array.isArray(payload.fallbacks) ? payload.fallbacks.filter((ref): ref is string => typeof ref === 'string' && ref.trim() !== '').map((ref) => ref.trim()) : [];
    if (model === null && fallbacks.length === 0) continue;
    const agent = typeof row.agent_id === 'string' && row.agent_id.trim() ? normalizeAgentId(row.agent_id) : null;
    jobs.push({ id, name: typeof row.name === 'string' && row.name.trim() ? row.name.trim() : id, agent, model, fallbacks });
  }
  const problems = [
    ...(bad.length > 0 ? [`the job_json of ${bad.slice(0, 3).join(', ')}${bad.length > 3 ? ` and ${bad.length - 3} more` : ''} is not a job with a payload`] : []),
    ...((read.value?.length ?? 0) >= maxJobs ? [`over ${maxJobs} jobs in the store: the rest were not read`] : []),
  ];
  return { jobs, problem: problems.length > 0 ? `${dbPath}: cron_jobs: ${problems.join('; ')}` : null };
}
