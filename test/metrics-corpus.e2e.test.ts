import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { agentStore, makeHome, writeFiles } from './helpers/home.js';
import { freePort, waitFor } from './helpers/processes.js';
import { toolForTest } from './helpers/tools.js';
import { trackChild } from './helpers/children.js';

const promtool = toolForTest('promtool');
const pushgateway = toolForTest('prometheus-pushgateway');
const corpus = fileURLToPath(new URL('./corpus/store/', import.meta.url));
const sqliteFixtures = fileURLToPath(new URL('./fixtures/openclaw-sqlite/', import.meta.url));
const NOW_ISO = '2026-11-24T12:00:00Z';
const store = (profiles: Record<string, unknown>) => ({ json: { version: 1, profiles } });
const token = { type: 'token', provider: 'anthropic', token: 'sk-ant-PLANTEDSECRET', expires: Date.parse('2027-01-01') };

/** Every home of the corpus and the fixtures, plus the layouts that once gave two series one identity. */
const homes: [string, (home: string) => void][] = [
  ...readdirSync(corpus).map((file): [string, (home: string) => void] => [
    `corpus store ${file}`,
    (home) => {
      mkdirSync(join(home, '.openclaw/agents/broken/agent'), { recursive: true });
      copyFileSync(join(corpus, file), join(home, agentStore('broken')));
    },
  ]),
  ...readdirSync(sqliteFixtures, { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== 'agent-db').map((entry): [string, (home: string) => void] => [
    `SQLite fixture ${entry.name}`,
    (home) => cpSync(join(sqliteFixtures, entry.name), join(home, '.openclaw/state'), { recursive: true }),
  ]),
  ['SQLite fixture agent-db', (home) => cpSync(join(sqliteFixtures, 'agent-db/openclaw-agent.sqlite'), join(home, '.openclaw/agents/main/agent/openclaw-agent.sqlite'))],
  ['a legacy ~/.clawdbot next to ~/.openclaw, same agent and ids', (home) => writeFiles(home, { [agentStore('main')]: store({ 'anthropic:default': token }), '.clawdbot/agents/main/agent/auth-profiles.json': store({ 'anthropic:default': token }) })],
  [
    'an unmigrated store: auth-profiles.json and auth-state.json next to the state database',
    (home) => {
      cpSync(join(sqliteFixtures, 'state-db'), join(home, '.openclaw/state'), { recursive: true });
      writeFiles(home, { [agentStore('main')]: store({ 'anthropic:default': token }), '.openclaw/agents/main/agent/auth-state.json': { json: { version: 1, usageStats: {} } } });
    },
  ],
  [
    'declared credentials with one id twice, and ids that differ only in a lone surrogate',
    (home) =>
      writeFiles(home, {
        '.config/authwatch/config.json5': JSON.stringify({ declared: [{ id: 'same', provider: 'p', env: 'A' }, { id: 'same', provider: 'p', env: 'B' }, { id: 'same (no file)', provider: 'p', env: 'C' }] }),
        [agentStore('main')]: { text: '{"version":1,"profiles":{"x\\ud800":{"type":"api_key","provider":"x","key":"k"},"x\\udc00":{"type":"api_key","provider":"x","key":"k"}}}' },
      }),
  ],
];

describe.runIf(Boolean(promtool && pushgateway))('the exposition of every corpus home: promtool and a real Pushgateway accept it', () => {
  // One Pushgateway for all the homes (started here, not with startProcess, which stops its
  // processes after each test); each push replaces the group, so each home is judged alone.
  let base = '';
  let gateway: ChildProcess | null = null;
  beforeAll(async () => {
    const port = await freePort();
    gateway = trackChild(spawn(pushgateway!, [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' }));
    base = `http://127.0.0.1:${port}`;
    await waitFor('pushgateway', async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined));
  });
  afterAll(() => void gateway?.kill('SIGKILL'));

  it.each(homes)('%s', async (_name, setup) => {
    const home = makeHome();
    setup(home);
    const file = join(home, 'authwatch.prom');
    const result = await runCli(['check', '--now', NOW_ISO, '--textfile', file, '--push', base], { home, env: { A: 'a', B: 'b', C: 'c' } });
    expect(result.stderr).not.toMatch(/push to .* failed/);
    expect(result.code).not.toBe(3);
    const text = readFileSync(file, 'utf8');
    const lint = spawnSync(promtool!, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.status).toBe(0);
    const series = text.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.slice(0, line.lastIndexOf(' ')));
    expect(new Set(series).size).toBe(series.length);
    expect(text).not.toContain('PLANTEDSECRET');
  }, 20_000);
});
