import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { NOW_ISO } from './helpers/clock.js';
import { startSink } from './helpers/http-sink.js';
import { agentStore, makeHome } from './helpers/home.js';

// A key pasted where the profile id goes (`--profile-id sk-…`): the id is then a secret too.
// Every text that leaves the process — table, JSON, metrics, alert bodies — goes through the
// scrubber, which knows the key.
const key = 'sk-ant-api03-PLANTEDIDSECRET-0123456789';
// Entries that are not credentials keep the id they are stored under: an error row names it.
const brokenIds = { 'openai:sk-proj-PLANTEDBROKENID-0123456789': 'not an object', 'openrouter:sk-or-v1-PLANTEDBADDATE-0123456789': { type: 'token', provider: 'openrouter', token: 'x', expires: 'soon' } };

describe('a profile id that is the secret itself', () => {
  it('is never written out, a malformed entry\'s id included: table, JSON, textfile and an alert body say …, the state files keep a fingerprint', async () => {
    const sink = await startSink();
    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { [`anthropic:${key}`]: { type: 'api_key', provider: 'anthropic', key }, ...brokenIds } } },
      '.config/authwatch/config.json5': `{ require: ["openai"], channels: [{ name: "hook", type: "webhook", url: "${sink.url}/hook" }] }`,
    });
    mkdirSync(join(home, 'metrics'));
    const textfile = join(home, 'metrics', 'authwatch.prom');
    const table = await runCli(['check', '--now', NOW_ISO, '--send', '--textfile', textfile], { home });
    const json = await runCli(['check', '--now', NOW_ISO, '--json'], { home });
    expect(table.code, table.stderr).toBe(1);
    expect(sink.requests.length).toBeGreaterThan(0);
    const stateDir = join(home, '.local/state/authwatch');
    const stateFiles = readdirSync(stateDir).map((name) => readFileSync(join(stateDir, name), 'utf8'));
    expect(stateFiles.length).toBeGreaterThan(1); // the alert state and the run record at least
    const everything = [table.stdout, table.stderr, json.stdout, json.stderr, readFileSync(textfile, 'utf8'), ...sink.requests.map((r) => r.body), ...stateFiles].join('\n');
    for (const [where, text] of Object.entries({ table: table.stdout + table.stderr, json: json.stdout + json.stderr, textfile: readFileSync(textfile, 'utf8'), alert: sink.requests.map((r) => r.body).join('\n') })) {
      expect(text, where).not.toMatch(/PLANTEDIDSECRET|PLANTEDBROKENID|PLANTEDBADDATE/);
    }
    expect(everything).not.toMatch(/PLANTEDIDSECRET|PLANTEDBROKENID|PLANTEDBADDATE/);
    expect(readFileSync(textfile, 'utf8')).toMatch(/profile="anthropic:…"/);
    expect(JSON.parse(json.stdout).profiles.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['anthropic:…', 'openai:…', 'openrouter:…']));
  }, 30_000);
});
