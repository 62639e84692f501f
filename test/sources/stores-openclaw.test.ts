import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DAY, NOW, NOW_ISO } from '../helpers/clock.js';
import { agentStore, makeHome } from '../helpers/home.js';
import { checkJson } from './stores-helpers.js';

// OpenClaw 2026.9.6's own DDL for the two tables read here (openclaw-state-db-read-connection-*.mjs).
const schema = `
CREATE TABLE config_machine_state (state_key TEXT PRIMARY KEY, value_json TEXT, updated_at_ms INTEGER);
CREATE TABLE IF NOT EXISTS secret_store_entries (
  scope_kind TEXT NOT NULL CHECK (scope_kind IN ('team', 'identity')),
  scope_id TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('secret', 'env')),
  created_at_ms INTEGER NOT NULL CHECK (created_at_ms >= 0),
  updated_at_ms INTEGER NOT NULL CHECK (updated_at_ms >= 0),
  updated_by TEXT,
  deleted_at_ms INTEGER,
  allowed_hosts TEXT,
  CHECK ((scope_kind = 'team' AND scope_id = '') OR (scope_kind = 'identity' AND length(scope_id) > 0)),
  PRIMARY KEY (scope_kind, scope_id, name)
) STRICT;`;

const sql = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** A state DB made with the real sqlite3: a store whose profiles hold `store` refs, and secret store entries. */
function stateDb(stateDir: string, profiles: Record<string, unknown>, entries: { name: string; value: string; deleted?: boolean }[], withTable = true) {
  mkdirSync(join(stateDir, 'state'), { recursive: true });
  const store = JSON.stringify({ version: 1, profiles });
  const rows = entries.map((e) => `INSERT INTO secret_store_entries VALUES ('team', '', ${sql(e.name)}, ${sql(e.value)}, 'secret', 1, 1, 'cli', ${e.deleted ? 5 : 'NULL'}, NULL);`);
  const ddl = withTable ? schema : schema.slice(0, schema.indexOf('CREATE TABLE IF NOT EXISTS'));
  execFileSync('sqlite3', [join(stateDir, 'state/openclaw.sqlite')], { input: `${ddl}\nINSERT INTO config_machine_state VALUES ('authProfiles.store', ${sql(store)}, ${NOW});\n${rows.join('\n')}\n` });
}

const storeRef = (provider: string, id: string) => ({ type: 'api_key', provider, keyRef: { source: 'store', provider: 'default', id } });

describe('OpenClaw --profile state dirs and store secret refs, through the built CLI', { timeout: 30_000 }, () => {
  it('openclaw.profiles in the authwatch config reads ~/.openclaw-NAME too; unnamed ones are not read', async () => {
    const token = (expires: number) => ({ version: 1, profiles: { 'anthropic:work': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-PLANTED', expires } } });
    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'openrouter:default': { type: 'api_key', provider: 'openrouter', key: 'sk-or-PLANTED' } } } },
      '.openclaw-work/agents/main/agent/auth-profiles.json': { json: token(NOW - DAY) },
      '.openclaw-other/agents/main/agent/auth-profiles.json': { json: token(NOW + DAY) },
      '.config/authwatch/config.json5': '{ openclaw: { profiles: ["work"] } }',
    });
    const result = await checkJson(home);
    expect(result.row('anthropic:work')).toMatchObject({ status: 'expired', path: join(home, '.openclaw-work/agents/main/agent/auth-profiles.json') });
    expect(result.profiles.filter((p) => p.id === 'anthropic:work')).toHaveLength(1);
    expect(result.row('openrouter:default')).toMatchObject({ status: 'ok' });
  });

  it('a profile name OpenClaw would refuse is a config error naming the field', async () => {
    const home = makeHome({ '.config/authwatch/config.json5': '{ openclaw: { profiles: ["../etc"] } }' });
    const run = await runCli(['check', '--now', NOW_ISO], { home });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/config.json5: openclaw\.profiles\[0\]: expected an OpenClaw profile name/);
  });

  it('store refs: present when the entry exists (fingerprint only), missing when absent or deleted', async () => {
    const home = makeHome();
    stateDb(join(home, '.openclaw'), { 'openrouter:default': storeRef('openrouter', 'OPENROUTER_KEY'), 'groq:default': storeRef('groq', 'GROQ_KEY'), 'xai:default': storeRef('xai', 'XAI_KEY') }, [
      { name: 'OPENROUTER_KEY', value: 'sk-or-PLANTED-stored' },
      { name: 'XAI_KEY', value: 'xai-PLANTED-deleted', deleted: true },
    ]);
    const result = await checkJson(home);
    expect(result.row('openrouter:default')).toMatchObject({ status: 'ok' });
    expect(result.row('openrouter:default')!.detail).toMatch(/held in OpenClaw's secret store \(OPENROUTER_KEY\)/);
    expect(result.row('openrouter:default')!.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(result.row('groq:default')).toMatchObject({ status: 'missing' });
    expect(result.row('groq:default')!.detail).toMatch(/its secret store entry GROQ_KEY is not in .*state\/openclaw.sqlite/);
    expect(result.row('xai:default')).toMatchObject({ status: 'missing' });
  });

  it('a state DB without the secret store table: no entries (as OpenClaw reads it); an id OpenClaw rejects is never quoted', async () => {
    const home = makeHome();
    stateDb(join(home, '.openclaw'), { 'groq:default': storeRef('groq', 'GROQ_KEY'), 'xai:default': storeRef('xai', 'xai-PLANTED-pasted-key') }, [], false);
    const result = await checkJson(home);
    expect(result.row('groq:default')).toMatchObject({ status: 'missing' });
    expect(result.row('xai:default')).toMatchObject({ status: 'missing' });
    expect(result.row('xai:default')!.detail).toMatch(/\(store ref id, fingerprint [0-9a-f]{8}\) is not a name OpenClaw accepts/);
  });

  it("a --profile dir's store refs resolve against that dir's own state DB", async () => {
    const home = makeHome({ '.config/authwatch/config.json5': '{ openclaw: { profiles: ["work"] } }' });
    stateDb(join(home, '.openclaw'), {}, [{ name: 'WORK_KEY', value: 'PLANTED-main-dir' }]);
    stateDb(join(home, '.openclaw-work'), { 'groq:work': storeRef('groq', 'WORK_KEY') }, []);
    const result = await checkJson(home);
    expect(result.row('groq:work')).toMatchObject({ status: 'missing', path: join(home, '.openclaw-work/state/openclaw.sqlite') });
  });
});
