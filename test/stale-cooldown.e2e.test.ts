import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { HOUR, NOW } from './helpers/clock.js';
import { startSink } from './helpers/http-sink.js';
import { agentStore, makeHome, writeFiles } from './helpers/home.js';

// A billing disable the old key earned, still blocking the key that replaced it: OpenClaw keeps
// usageStats when a profile gets a new credential. authwatch sees the change between its runs.

const MIN = 60_000;
const at = (ms: number) => new Date(ms).toISOString();
const staleLine = /stale: set before its credential changed/;

function store(secret: string, lastFailureAt: number, disabledUntil = NOW + 3 * HOUR) {
  return {
    [agentStore('main')]: {
      json: {
        version: 1,
        profiles: { 'anthropic:work': { type: 'api_key', provider: 'anthropic', key: secret } },
        usageStats: { 'anthropic:work': { disabledUntil, disabledReason: 'billing', lastFailureAt } },
      },
    },
  };
}

const value = (text: string, series: string) => text.split('\n').find((line) => line.startsWith(`${series} `))?.split(' ')[1];
const staleSeries = 'authwatch_credential_unusable_stale{profile="anthropic:work",provider="anthropic",source="openclaw",agent="main",reason="billing"}';

describe('stale cooldown', () => {
  it('a key replaced during its billing disable: stale in the table, JSON, metrics and a new notice; the new key failing ends it', async () => {
    const sink = await startSink();
    const home = makeHome({ ...store('sk-ant-OLDPLANTEDSECRET', NOW - HOUR), '.config/authwatch/config.json5': `{ channels: [{ name: "hook", type: "webhook", url: "${sink.url}/hook" }] }` });
    mkdirSync(join(home, 'metrics'));
    const textfile = join(home, 'metrics', 'authwatch.prom');
    const check = (now: number) => runCli(['check', '--now', at(now), '--send', '--textfile', textfile], { home });

    const first = await check(NOW);
    expect(first.code, first.stderr).toBe(1); // the only anthropic profile is disabled
    expect(first.stdout).toMatch(/unavailable, recovers .*anthropic:work disabled: billing until /);
    expect(first.stdout).not.toMatch(staleLine);
    expect(value(readFileSync(textfile, 'utf8'), staleSeries)).toBe('0');
    expect(sink.requests).toHaveLength(1);

    // The user pastes a new key; OpenClaw keeps the window.
    writeFiles(home, store('sk-ant-NEWPLANTEDSECRET', NOW - HOUR));
    const changed = await check(NOW + 15 * MIN);
    expect(changed.code, changed.stderr).toBe(1);
    expect(changed.stdout).toMatch(staleLine);
    expect(value(readFileSync(textfile, 'utf8'), staleSeries)).toBe('1');
    // Same status, but the window is news: the channel hears it.
    expect(sink.requests).toHaveLength(2);
    expect(sink.requests[1]!.body).toMatch(staleLine);
    const json = JSON.parse((await runCli(['check', '--now', at(NOW + 20 * MIN), '--json', '--no-alerts'], { home })).stdout);
    expect(json.providers[0].unusable[0]).toMatchObject({ profile: 'anthropic:work', kind: 'disabled', reason: 'billing', credentialChangedAt: at(NOW + 15 * MIN) });

    // The gateway tries the new key and it fails too: the window is its own now.
    writeFiles(home, store('sk-ant-NEWPLANTEDSECRET', NOW + 25 * MIN, NOW + 4 * HOUR));
    const failedAgain = await check(NOW + 30 * MIN);
    expect(failedAgain.stdout).not.toMatch(staleLine);
    expect(value(readFileSync(textfile, 'utf8'), staleSeries)).toBe('0');

    const stateDir = join(home, '.local/state/authwatch');
    // A what-if (--now without --send) sees the memory and leaves it alone.
    const remembered = readFileSync(join(stateDir, 'credentials.json'), 'utf8');
    writeFiles(home, store('sk-ant-THIRDPLANTEDSECRET', NOW - HOUR, NOW + 4 * HOUR));
    await runCli(['check', '--now', at(NOW + 40 * MIN)], { home });
    expect(readFileSync(join(stateDir, 'credentials.json'), 'utf8')).toBe(remembered);

    const everything = [first, changed, failedAgain].map((r) => r.stdout + r.stderr).join('\n') + readFileSync(textfile, 'utf8') + sink.requests.map((r) => r.body).join('\n') + readdirSync(stateDir).map((f) => readFileSync(join(stateDir, f), 'utf8')).join('\n');
    expect(everything).not.toContain('PLANTEDSECRET');
    expect(JSON.parse(readFileSync(join(stateDir, 'credentials.json'), 'utf8')).credentials[`openclaw ${join(home, agentStore('main'))} main/anthropic:work`]).toMatchObject({ fingerprint: expect.stringMatching(/^[0-9a-f]{8}$/) });
  }, 60_000);

  it('a memory that does not read, or a state dir that cannot be written, costs the hint and a warning, never the run', async () => {
    const home = makeHome(store('sk-ant-PLANTEDSECRET-1', NOW - HOUR));
    const stateDir = join(home, '.local/state/authwatch');

    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(stateDir, 'credentials.json'), '{"version": 1, "credentials": {"main/anthropic:work": {"fingerprint": 5}}}', { mode: 0o600 });
    const corrupt = await runCli(['check', '--now', at(NOW), '--send'], { home });
    expect(corrupt.code, corrupt.stderr).toBe(1);
    expect(corrupt.stderr).toMatch(/credential memory was unreadable/);
    // Rewritten: the next change is seen.
    writeFiles(home, store('sk-ant-PLANTEDSECRET-2', NOW - HOUR));
    expect((await runCli(['check', '--now', at(NOW + 15 * MIN), '--send'], { home })).stdout).toMatch(staleLine);

    // A directory where the file should be: neither read nor written, the run goes on.
    const other = makeHome(store('sk-ant-PLANTEDSECRET-3', NOW - HOUR));
    mkdirSync(join(other, '.local/state/authwatch/credentials.json'), { recursive: true, mode: 0o700 });
    const blocked = await runCli(['check', '--now', at(NOW), '--send'], { home: other });
    expect(blocked.code, blocked.stderr).toBe(1);
    expect(blocked.stdout).toMatch(/unavailable, recovers .*anthropic:work disabled: billing until /);
    expect(blocked.stderr).toMatch(/cannot read the credential memory/);
    expect(blocked.stdout + blocked.stderr).not.toContain('PLANTEDSECRET');

    // A FIFO in its place is refused at once, not waited on (the alert state's too: it is read the same way).
    const fifo = makeHome(store('sk-ant-PLANTEDSECRET-4', NOW - HOUR));
    const fifoDir = join(fifo, '.local/state/authwatch');
    mkdirSync(fifoDir, { recursive: true, mode: 0o700 });
    execFileSync('mkfifo', [join(fifoDir, 'credentials.json')]);
    const piped = await runCli(['check', '--now', at(NOW), '--send'], { home: fifo, timeoutMs: 15_000 });
    expect(piped.code, piped.stderr).toBe(1);
    expect(piped.stderr).toMatch(/credential memory .*credentials\.json cannot be read: .*not a regular file/);
    rmSync(join(fifoDir, 'credentials.json'));
    execFileSync('mkfifo', [join(fifoDir, 'state.json')]);
    writeFiles(fifo, { '.config/authwatch/config.json5': '{ channels: [{ name: "hook", type: "webhook", url: "http://127.0.0.1:9/hook" }] }' });
    const alerting = await runCli(['check', '--now', at(NOW), '--send'], { home: fifo, timeoutMs: 15_000 });
    expect(alerting.code).toBe(3);
    expect(alerting.stderr).toMatch(/alert state .*state\.json cannot be read: .*not a regular file; fix: remove it/);
  }, 60_000);
});
