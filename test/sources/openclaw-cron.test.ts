import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { providerUsesOf } from '../../src/sources/openclaw-config.js';
import { readCronModelJobs } from '../../src/sources/openclaw-cron.js';
import { runCli } from '../helpers/cli.js';
import { NOW } from '../helpers/clock.js';
import { contextFor } from '../helpers/context.js';
import { makeHome, writeFiles } from '../helpers/home.js';

// The cron jobs' model overrides as OpenClaw 2026.9.6 stores them: its own DDL for cron_jobs
// (dist/openclaw-state-db-read-connection-*.mjs) and rows shaped as `bindCronJobRow` writes them
// (dist/row-codec-*.mjs); test/cron-models.e2e.test.ts has jobs made by the real CLI.

const ddl = `CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS cron_jobs (
  store_key TEXT NOT NULL, job_id TEXT NOT NULL, declaration_key TEXT, owner_agent_id TEXT, name TEXT NOT NULL, description TEXT,
  enabled INTEGER NOT NULL, agent_id TEXT, payload_kind TEXT NOT NULL, job_json TEXT NOT NULL, grant_definition_revision TEXT,
  grant_definition_generation INTEGER, grant_definition_updated_at INTEGER, state_json TEXT NOT NULL DEFAULT '{}', runtime_updated_at_ms INTEGER,
  schedule_identity TEXT, sort_order INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL, PRIMARY KEY (store_key, job_id)
) STRICT;`;

const sql = (value: string | null) => (value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`);

interface Job {
  id: string;
  name: string;
  enabled?: boolean;
  agent?: string;
  kind?: string;
  payload?: Record<string, unknown>;
  json?: string;
  store?: string;
}

function homeWith(jobs: (home: string) => Job[], state: Record<string, unknown> = {}): string {
  const home = makeHome();
  mkdirSync(join(home, '.openclaw/state'), { recursive: true });
  const defaultStore = join(home, '.openclaw/cron/jobs.json');
  const rows = jobs(home).map((job) => {
    const json = job.json ?? JSON.stringify({ id: job.id, name: job.name, enabled: job.enabled !== false, schedule: { kind: 'every', everyMs: 3_600_000 }, payload: { kind: job.kind ?? 'agentTurn', message: 'hi', ...job.payload }, state: {} });
    return `INSERT INTO cron_jobs (store_key, job_id, name, enabled, agent_id, payload_kind, job_json, updated_at) VALUES (${sql(job.store ?? defaultStore)}, ${sql(job.id)}, ${sql(job.name)}, ${job.enabled === false ? 0 : 1}, ${sql(job.agent ?? null)}, ${sql(job.kind ?? 'agentTurn')}, ${sql(json)}, ${NOW});`;
  });
  const stateRows = Object.entries(state).map(([key, value]) => `INSERT INTO config_machine_state VALUES (${sql(key)}, ${sql(JSON.stringify(value))}, ${NOW});`);
  execFileSync('sqlite3', [join(home, '.openclaw/state/openclaw.sqlite')], { input: `${ddl}\n${[...rows, ...stateRows].join('\n')}\n` });
  return home;
}

describe("cron jobs' model overrides (state DB cron_jobs)", () => {
  it("reads the enabled agent jobs of the gateway's store with an override; not disabled ones, command jobs, other stores", async () => {
    const home = homeWith((h) => [
      { id: 'j1', name: 'nightly', payload: { model: 'openai/gpt-4-retired', fallbacks: ['openai/gpt-6-astra'] } },
      { id: 'j2', name: 'paused', enabled: false, payload: { model: 'openai/gpt-2' } },
      { id: 'j3', name: 'shell', kind: 'command', payload: { model: 'openai/gpt-2' } },
      { id: 'j4', name: 'plain' },
      { id: 'j5', name: 'elsewhere', store: join(h, 'old/jobs.json'), payload: { model: 'openai/gpt-2' } },
      { id: 'j6', name: 'ops', agent: 'Ops', payload: { model: 'anthropic/claude-haiku-4-5' } },
    ]);
    const read = await readCronModelJobs(contextFor(home), undefined);
    expect(read).toEqual({
      jobs: [
        { id: 'j1', name: 'nightly', agent: null, model: 'openai/gpt-4-retired', fallbacks: ['openai/gpt-6-astra'] },
        { id: 'j6', name: 'ops', agent: 'ops', model: 'anthropic/claude-haiku-4-5', fallbacks: [] },
      ],
      problem: null,
    });
    // Each job's models go to the agent that runs it (none: the default agent), never to `models status`.
    const document = { agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-6' } }, list: [{ id: 'main', default: true }, { id: 'ops' }] } };
    const roles = (agent: string, statusView = false) => providerUsesOf(document, agent, statusView, read.jobs).uses.map((use) => `${use.role}: ${use.model}`);
    expect(roles('main')).toContain('cron job nightly: openai/gpt-4-retired');
    expect(roles('main')).toContain('cron job nightly fallback: openai/gpt-6-astra');
    expect(roles('main').join()).not.toContain('haiku');
    expect(roles('ops')).toContain('cron job ops: anthropic/claude-haiku-4-5');
    expect(roles('main', true).join()).not.toContain('cron');
  });

  it("the store openclaw.json names (cron.store, ~ is OpenClaw's home), else the one the state DB records", async () => {
    const jobs = (h: string) => [
      { id: 'a', name: 'configured', store: join(h, 'mine/jobs.json'), payload: { model: 'openai/a' } },
      { id: 'b', name: 'recorded', store: join(h, 'recorded/jobs.json'), payload: { model: 'openai/b' } },
      { id: 'c', name: 'under OPENCLAW_HOME', store: join(h, 'oc/mine/jobs.json'), payload: { model: 'openai/c' } },
    ];
    const home = homeWith(jobs, { 'cron.store': '~/recorded/jobs.json' });
    expect((await readCronModelJobs(contextFor(home), '~/mine/jobs.json')).jobs.map((j) => j.name)).toEqual(['configured']);
    expect((await readCronModelJobs(contextFor(home), undefined)).jobs.map((j) => j.name)).toEqual(['recorded']);
    // OPENCLAW_HOME moves `~` as it does for OpenClaw (resolveCronJobsStorePath expands against the effective home).
    const moved = contextFor(home, { OPENCLAW_HOME: join(home, 'oc'), OPENCLAW_STATE_DIR: join(home, '.openclaw') });
    expect((await readCronModelJobs(moved, '~/mine/jobs.json')).jobs.map((j) => j.name)).toEqual(['under OPENCLAW_HOME']);
  });

  it('a job_json that is not a job is a problem naming the file; the other jobs are still read; no DB, no table: no jobs', async () => {
    const home = homeWith(() => [
      { id: 'bad', name: 'bad', json: '{"payload": ' },
      { id: 'ok', name: 'ok', payload: { model: 'openai/gpt-6-astra' } },
    ]);
    const read = await readCronModelJobs(contextFor(home), undefined);
    expect(read.jobs.map((j) => j.id)).toEqual(['ok']);
    expect(read.problem).toBe(`${join(home, '.openclaw/state/openclaw.sqlite')}: cron_jobs: the job_json of bad is not a job with a payload`);
    expect(await readCronModelJobs(contextFor(makeHome()), undefined)).toEqual({ jobs: [], problem: null });
    // A state DB without config_machine_state (an older schema) records no store: the default one is read.
    const older = makeHome();
    mkdirSync(join(older, '.openclaw/state'), { recursive: true });
    const row = `INSERT INTO cron_jobs (store_key, job_id, name, enabled, payload_kind, job_json, updated_at) VALUES (${sql(join(older, '.openclaw/cron/jobs.json'))}, 'j', 'j', 1, 'agentTurn', '{"payload":{"model":"openai/x"}}', ${NOW});`;
    execFileSync('sqlite3', [join(older, '.openclaw/state/openclaw.sqlite')], { input: `${ddl.slice(ddl.indexOf('CREATE TABLE IF NOT EXISTS'))}\n${row}\n` });
    expect(await readCronModelJobs(contextFor(older), undefined)).toEqual({ jobs: [{ id: 'j', name: 'j', agent: null, model: 'openai/x', fallbacks: [] }], problem: null });
  });

  it('through the CLI with live checks: an unreadable job is an error row naming the file under authwatch\'s policy, nothing under --policy openclaw; without live checks the jobs are not read', async () => {
    const home = homeWith(() => [{ id: 'bad', name: 'bad', json: '[]' }]);
    writeFiles(home, { '.openclaw/openclaw.json': { json: { agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-6' } } } } } });
    const plain = JSON.parse((await runCli(['check', '--json', '--no-alerts'], { home })).stdout);
    expect(plain.profiles.map((p: { id: string }) => p.id)).not.toContain('openclaw:cron');
    const own = JSON.parse((await runCli(['check', '--json', '--no-alerts', '--live'], { home })).stdout);
    const row = own.profiles.find((p: { id: string }) => p.id === 'openclaw:cron');
    expect(row).toMatchObject({ status: 'error' });
    expect(row.detail).toContain(`${join(home, '.openclaw/state/openclaw.sqlite')}: cron_jobs: the job_json of bad is not a job with a payload`);
    const parity = JSON.parse((await runCli(['check', '--json', '--no-alerts', '--live', '--policy', 'openclaw'], { home })).stdout);
    expect(parity.profiles.map((p: { id: string }) => p.id)).not.toContain('openclaw:cron');
  }, 60_000);
});
