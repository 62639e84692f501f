import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { NOW_ISO } from './helpers/clock.js';
import { startDaemon } from './helpers/daemon.js';
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

  it('the daemon\'s answers pass the scrubber too: /status, /metrics and /healthz', async () => {
    const home = makeHome({ [agentStore('main')]: { json: { version: 1, profiles: { [`anthropic:${key}`]: { type: 'api_key', provider: 'anthropic', key }, ...brokenIds } } }, '.config/authwatch/config.json5': '{}' });
    const daemon = await startDaemon(home);
    try {
      for (const path of ['/status', '/metrics', '/healthz']) {
        const answer = await daemon.get(path);
        const text = await answer.text();
        expect(answer.status, path).toBeLessThan(500);
        expect(text, path).not.toMatch(/PLANTEDIDSECRET|PLANTEDBROKENID|PLANTEDBADDATE/);
      }
      const status = (await (await daemon.get('/status')).json()) as { profiles: { id: string }[] };
      expect(status.profiles.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['anthropic:…', 'openai:…', 'openrouter:…']));
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
  }, 30_000);
});

describe('a live-check baseUrl with a token in it (a proxy)', () => {
  it('the path token and the userinfo never come back: not from a proxy\'s 502 page quoting the URL, not from fetch\'s own error', async () => {
    const pathToken = 'Px9kQ2mPLANTEDPATH'; // short of the 16 characters a path segment needs to look like a token by itself
    const proxy = createServer((request, response) => {
      response.writeHead(502, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: `upstream failed for http://${request.headers.host}${request.url}` } }));
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = proxy.address() as { port: number };
      const home = makeHome({
        [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:a': { type: 'api_key', provider: 'anthropic', key: 'sk-ant-api03-PLANTEDKEY-0123456789' }, 'openai:o': { type: 'api_key', provider: 'openai', key: 'sk-proj-PLANTEDKEY2-0123456789' } } } },
        '.config/authwatch/config.json5': {
          json: {
            live: {
              enabled: true,
              providers: { anthropic: { baseUrl: `http://127.0.0.1:${port}/t/${pathToken}/anthropic` }, openai: { baseUrl: `http://proxyuser:PLANTEDUSERPASS@127.0.0.1:${port}/v1` } },
            },
          },
        },
      });
      const json = await runCli(['check', '--now', NOW_ISO, '--json'], { home });
      const table = await runCli(['check', '--now', NOW_ISO], { home });
      const report = JSON.parse(json.stdout);
      const byId = Object.fromEntries(report.profiles.map((p: { id: string }) => [p.id, p]));
      expect(byId['anthropic:a'].live.verdict).toBe('inconclusive'); // the proxy's 502 was read
      const everything = [json.stdout, json.stderr, table.stdout, table.stderr, readFileSync(join(home, '.local/state/authwatch/live.json'), 'utf8')].join('\n');
      expect(everything).not.toMatch(/PLANTEDPATH|PLANTEDUSERPASS|PLANTEDKEY/);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  }, 30_000);
});
