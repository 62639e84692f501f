import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { DAY, HOUR, NOW, NOW_ISO } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';
import { freePort, startProcess, waitFor } from './helpers/processes.js';
import { toolForTest } from './helpers/tools.js';

const promtool = toolForTest('promtool');
const nodeExporter = toolForTest('prometheus-node-exporter');
const pushgateway = toolForTest('prometheus-pushgateway');

function homeWithProfiles() {
  return makeHome({
    [agentStore('main')]: {
      json: {
        version: 1,
        profiles: {
          'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-PLANTEDSECRET', expires: NOW + 3 * HOUR },
          'openrouter:default': { type: 'api_key', provider: 'openrouter', key: 'sk-or-PLANTEDSECRET' },
          'openai-codex:me@example.com': { type: 'oauth', provider: 'openai-codex', access: 'PLANTEDSECRET-a', refresh: 'PLANTEDSECRET-r', expires: NOW + 30 * DAY },
        },
      },
    },
  });
}

describe('check --textfile', () => {
  it('writes the collector file atomically, mode 0644, no timestamps, no secrets; promtool accepts it', async () => {
    const home = homeWithProfiles();
    const dir = join(home, 'textfile');
    mkdirSync(dir);
    const file = join(dir, 'authwatch.prom');
    const result = await runCli(['check', '--now', NOW_ISO, '--textfile', file], { home });
    expect(result.code).toBe(2);
    expect(readdirSync(dir)).toEqual(['authwatch.prom']);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('authwatch_credential_status{profile="anthropic:default",provider="anthropic",source="openclaw",agent="main",status="expiring"} 1');
    expect(text).not.toContain('PLANTEDSECRET');
    if (promtool) execFileSync(promtool, ['check', 'metrics'], { input: text });
  });

  it('a textfile that cannot be written is exit 3 with the path, and no half-written file', async () => {
    const home = homeWithProfiles();
    writeFileSync(join(home, 'not-a-dir'), 'x');
    const target = join(home, 'not-a-dir', 'authwatch.prom');
    const result = await runCli(['check', '--now', NOW_ISO, '--textfile', target], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`cannot write the textfile '${target}': a parent of this path is not a directory`);
    const wrongName = await runCli(['check', '--textfile', join(home, 'authwatch.txt')], { home });
    expect(wrongName.code).toBe(3);
    expect(wrongName.stderr).toMatch(/node_exporter only reads files ending in \.prom/);
  });

  it.runIf(Boolean(nodeExporter))('node_exporter (textfile collector only) exports the series without a scrape error', async () => {
    const home = homeWithProfiles();
    const dir = join(home, 'textfile');
    mkdirSync(dir);
    expect((await runCli(['check', '--now', NOW_ISO, '--textfile', join(dir, 'authwatch.prom')], { home })).code).toBe(2);
    const port = await freePort();
    startProcess(
      nodeExporter!,
      [`--web.listen-address=127.0.0.1:${port}`, '--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${dir}`],
      { PATH: process.env.PATH },
    );
    const body = await waitFor('node_exporter', async () => {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      return response.ok ? response.text() : undefined;
    });
    expect(body).toMatch(/^node_textfile_scrape_error 0$/m);
    expect(body).toContain('authwatch_credential_status{agent="main",profile="anthropic:default",provider="anthropic",source="openclaw",status="expiring"} 1');
    expect(body).toMatch(/^authwatch_last_run_success 1$/m);
    expect(body).not.toContain('PLANTEDSECRET');
  });
});

describe.runIf(Boolean(pushgateway))('check --push (real Pushgateway)', () => {
  it('PUTs the snapshot under job authwatch and this host; a later push replaces it', async () => {
    const home = homeWithProfiles();
    const port = await freePort();
    startProcess(pushgateway!, [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${join(home, 'pg.data')}`], { PATH: process.env.PATH });
    const base = `http://127.0.0.1:${port}`;
    await waitFor('pushgateway', async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined));
    expect((await runCli(['check', '--now', NOW_ISO, '--push', base], { home })).code).toBe(2);
    const host = execFileSync('hostname', { encoding: 'utf8' }).trim();
    const scrape = await (await fetch(`${base}/metrics`)).text();
    expect(scrape).toContain(`authwatch_credential_status{agent="main",instance="${host}",job="authwatch",profile="anthropic:default",provider="anthropic",source="openclaw",status="expiring"} 1`);
    expect(scrape).toMatch(new RegExp(`push_time_seconds\\{instance="${host}",job="authwatch"\\} \\d`));
    expect(scrape).not.toContain('PLANTEDSECRET');
    // The profile is gone from the home: PUT replaces the whole group, no stale series.
    writeFileSync(join(home, agentStore('main')), JSON.stringify({ version: 1, profiles: { 'openrouter:default': { type: 'api_key', provider: 'openrouter', key: 'k' } } }));
    expect((await runCli(['check', '--now', NOW_ISO, '--push', base], { home })).code).toBe(0);
    const after = await (await fetch(`${base}/metrics`)).text();
    expect(after).not.toContain('profile="anthropic:default"');
    expect(after).toContain('profile="openrouter:default"');
  });

  it('an unreachable Pushgateway is exit 3 naming the URL', async () => {
    const port = await freePort();
    const env = { AUTHWATCH_PUSH_USER: 'user', AUTHWATCH_PUSH_PASSWORD: 'PLANTEDSECRET' };
    const result = await runCli(['check', '--now', NOW_ISO, '--push', `http://127.0.0.1:${port}`], { home: homeWithProfiles(), env });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(new RegExp(`push: PUT http://127.0.0.1:${port}/… failed: connect ECONNREFUSED`));
    expect(result.stderr).not.toContain('PLANTEDSECRET');
  });
});

describe.runIf(Boolean(promtool))('alert rules (promtool)', () => {
  const rules = new URL('../deploy/prometheus/', import.meta.url).pathname;
  it('check rules passes', () => {
    const run = spawnSync(promtool!, ['check', 'rules', join(rules, 'authwatch.rules.yml')], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).toMatch(/SUCCESS: \d+ rules found/);
    expect(run.status).toBe(0);
  });
  it('the unit tests of every alert pass (firing and not firing)', () => {
    const run = spawnSync(promtool!, ['test', 'rules', 'authwatch.rules.test.yml'], { cwd: rules, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toMatch(/SUCCESS/);
    expect(run.status).toBe(0);
    const tested = new Set([...readFileSync(join(rules, 'authwatch.rules.test.yml'), 'utf8').matchAll(/alertname: (\w+)/g)].map((m) => m[1]));
    const defined = new Set([...readFileSync(join(rules, 'authwatch.rules.yml'), 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1]));
    expect(tested).toEqual(defined);
  });
});
