import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HOUR, NOW } from '../helpers/clock.js';
import { startDaemon } from '../helpers/daemon.js';
import { startSink } from '../helpers/http-sink.js';
import { agentStore, makeHome, writeFiles } from '../helpers/home.js';
import { liveConfig, startProviders } from '../live/providers.js';

// Times from outside, out of any Date's range or on no calendar: a provider's usage answer,
// and our own state files (live.json, credentials.json, state.json, last-run.json) as a crash,
// a bug or a hand may leave them. None may crash a run, print NaN, or be kept to crash the next.
const bounded = { timeout: 60_000 };
const iso = (ms: number) => new Date(ms).toISOString();
const MARKER = 'TIMEMARKER5b2c';
const oauth = (provider: string, scenario: string) => ({ type: 'oauth', provider, access: `${scenario}.${MARKER}x`, refresh: `refresh-${MARKER}`, expires: NOW + 30 * 86_400_000 });
const stateDir = (home: string) => join(home, '.local/state/authwatch');
const noCrash = (result: { code: number | null; stdout: string; stderr: string }) => {
  expect(result.stderr).not.toMatch(/RangeError|Invalid time value|this is a bug/);
  expect(result.stdout).not.toMatch(/NaN/);
  expect(result.code, result.stderr).not.toBe(3);
};
/** Rewrites a JSON state file in place. */
function edit(path: string, change: (document: any) => void): void {
  const document = JSON.parse(readFileSync(path, 'utf8'));
  change(document);
  writeFileSync(path, JSON.stringify(document));
}

describe('usage answers with times beyond any date', () => {
  it('resets_at 1e300 (Anthropic) and reset_at 9e15 (Codex): check answers in JSON and the table, keeps nothing out of range, and the next run does too', bounded, async () => {
    const providers = await startProviders();
    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:far': oauth('anthropic', 'farreset'), 'openai-codex:far': oauth('openai-codex', 'farreset') } } },
      '.config/authwatch/config.json5': { json: liveConfig(providers.url) },
    });
    for (const now of [NOW, NOW + 10 * 60_000]) {
      const json = await runCli(['check', '--json', '--now', iso(now)], { home });
      noCrash(json);
      const report = JSON.parse(json.stdout);
      for (const profile of report.profiles) for (const window of profile.live?.windows ?? []) expect(window.resetsAt).toBeNull();
      noCrash(await runCli(['check', '--now', iso(now)], { home }));
    }
    const kept = readFileSync(join(stateDir(home), 'live.json'), 'utf8');
    expect(kept).not.toMatch(/e\+300|9000000000000000|275760/);
    expect(providers.seen.length).toBeGreaterThan(0);
  });

  it('the daemon: /status and /metrics answer 200 after such an answer, not 500', bounded, async () => {
    const providers = await startProviders();
    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:far': oauth('anthropic', 'farreset'), 'openai-codex:far': oauth('openai-codex', 'farreset') } } },
      '.config/authwatch/config.json5': '{}',
    });
    const daemon = await startDaemon(home, JSON.stringify({ schedule: '0 0 1 1 *', ...liveConfig(providers.url) }));
    try {
      for (const path of ['/status', '/metrics']) {
        const answer = await daemon.get(path);
        expect(answer.status, path).toBe(200);
        expect(await answer.text(), path).not.toMatch(/NaN/);
      }
      expect(providers.seen.length).toBeGreaterThan(0);
    } finally {
      daemon.child.kill('SIGTERM');
      await daemon.exited;
    }
  });

  it('a Retry-After of 1e300 asks again within a day, not never', bounded, async () => {
    const providers = await startProviders();
    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:slow': { type: 'api_key', provider: 'anthropic', key: `waitforever.${MARKER}` } } } },
      '.config/authwatch/config.json5': { json: liveConfig(providers.url) },
    });
    noCrash(await runCli(['check', '--json', '--now', iso(NOW)], { home }));
    const { results } = JSON.parse(readFileSync(join(stateDir(home), 'live.json'), 'utf8'));
    const entries = Object.values(results) as { nextAt: number }[];
    expect(entries).toHaveLength(1);
    expect(entries[0]!.nextAt).toBeLessThanOrEqual(NOW + 24 * HOUR);
  });
});

describe('our own state files with times out of range', () => {
  it('live.json: observedAt 1e300, lastWorkedAt -1e300, a window resetting at 1e300: the entry is checked again, no crash', bounded, async () => {
    const providers = await startProviders();
    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:ok': oauth('anthropic', 'works') } } },
      '.config/authwatch/config.json5': { json: liveConfig(providers.url) },
    });
    noCrash(await runCli(['check', '--json', '--now', iso(NOW)], { home }));
    const path = join(stateDir(home), 'live.json');
    for (const damage of [
      (entry: any) => (entry.observedAt = 1e300),
      (entry: any) => (entry.lastWorkedAt = -1e300),
      (entry: any) => (entry.windows[0].resetsAt = 1e300),
      (entry: any) => (entry.nextAt = -1e300),
    ]) {
      edit(path, (document) => Object.values(document.results).forEach(damage));
      const asked = providers.seen.length;
      const result = await runCli(['check', '--json', '--now', iso(NOW + 60_000)], { home });
      noCrash(result);
      expect(providers.seen.length, String(damage)).toBeGreaterThan(asked); // checked again
      noCrash(await runCli(['check', '--now', iso(NOW + 60_000)], { home }));
    }
  });

  it('state.json: since -1e300 is an unreadable memory moved aside with a warning; the reminder still goes out', bounded, async () => {
    const sink = await startSink();
    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:gone': { type: 'token', provider: 'anthropic', token: `sk-ant-oat01-${MARKER}`, expires: NOW - HOUR } } } },
      '.config/authwatch/config.json5': `{ channels: [{ name: "hook", type: "webhook", url: "${sink.url}/hook" }] }`,
    });
    expect((await runCli(['check', '--send', '--now', iso(NOW)], { home })).code).toBe(1);
    expect(sink.requests).toHaveLength(1);
    edit(join(stateDir(home), 'state.json'), (state) => Object.values(state.profiles).forEach((memory: any) => (memory.since = -1e300)));
    const after = await runCli(['check', '--send', '--now', iso(NOW + 25 * HOUR)], { home });
    noCrash(after);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/alert state was unreadable/);
    expect(sink.requests.length).toBeGreaterThan(1);
    // and the run after that reads its own new state
    noCrash(await runCli(['check', '--send', '--now', iso(NOW + 26 * HOUR)], { home }));
  });

  it('credentials.json: changedAt -1e300 costs the stale hint and a warning, never the run', bounded, async () => {
    const key = 'sk-ant-PLANTED-stale-key';
    const store = { version: 1, profiles: { 'anthropic:work': { type: 'api_key', provider: 'anthropic', key } }, usageStats: { 'anthropic:work': { disabledUntil: NOW + 3 * HOUR, disabledReason: 'billing', lastFailureAt: NOW - HOUR } } };
    const home = makeHome({ [agentStore('main')]: { json: store } });
    expect((await runCli(['check', '--send', '--now', iso(NOW)], { home })).code).toBe(1);
    const path = join(stateDir(home), 'credentials.json');
    const remembered = readFileSync(path, 'utf8');
    for (const damage of [{ changedAt: -1e300 }, { changedAt: 1e300, changedAfter: -1e300 }, { seenAt: 1e300 }]) {
      writeFileSync(path, remembered);
      edit(path, (memory) => Object.values(memory.credentials).forEach((entry: any) => Object.assign(entry, damage)));
      for (const args of [['--json'], []]) {
        const result = await runCli(['check', '--send', '--now', iso(NOW + 15 * 60_000), ...args], { home });
        noCrash(result);
        expect(result.code).toBe(1);
      }
    }
    // and a key changed after such a memory is still told apart on the next runs
    writeFiles(home, { [agentStore('main')]: { json: { ...store, profiles: { 'anthropic:work': { ...store.profiles['anthropic:work'], key: `${key}-new` } } } } });
    noCrash(await runCli(['check', '--send', '--json', '--now', iso(NOW + 30 * 60_000)], { home }));
  });

  it.each([
    [1e300, /last-run.json is unreadable .*finishedAt/],
    [-1e300, /last-run.json is unreadable .*finishedAt/],
    [NOW + 30 * 86_400_000, /the last run says it finished 30d from now: is the clock right\?/],
  ])('last-run.json: finishedAt %s is not "working"', async (finishedAt, problem) => {
    const home = makeHome({
      '.local/state/authwatch/last-run.json': { json: { version: 1, command: 'check', finishedAt, durationMs: 5, exitCode: 0, status: 'ok', error: null, channels: null, metrics: null }, mode: 0o600 },
    });
    const status = await runCli(['status', '--json', '--now', iso(NOW)], { home });
    noCrash(status);
    const report = JSON.parse(status.stdout);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(problem);
    noCrash(await runCli(['status', '--now', iso(NOW)], { home }));
  });
});
