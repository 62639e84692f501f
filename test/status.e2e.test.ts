import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli } from './helpers/cli.js';
import { HOUR } from './helpers/clock.js';
import { agentStore, makeHome, writeFiles } from './helpers/home.js';

// Real homes, real check runs, then `authwatch status` reading what they left behind.

const MARKER = 'STATUSMARK';
const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const realNow = () => Date.now();

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
const store = { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: `sk-ant-${MARKER}`, expires: Date.now() + 30 * 24 * HOUR } } } };

describe('authwatch status', { timeout: 60_000 }, () => {
  it('no run yet is broken; after a real check it works and shows the run, the launchers and the OpenClaw home', async () => {
    const home = makeHome({
      [agentStore('main')]: store,
      '.openclaw/openclaw.json': '{ gateway: { mode: "local" }, meta: { lastTouchedVersion: "2026.9.6" } }',
    });
    const before = await runCli(['status'], { home });
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('authwatch status: BROKEN (1 problem)');
    expect(before.stdout).toContain('no run recorded yet: run `authwatch check`');

    // A check by hand, on a terminal (script(1) gives it one).
    const byHand = spawnSync('script', ['-qec', `${shellQuote(process.execPath)} ${shellQuote(cliPath)} check`, '/dev/null'], { env: { PATH: process.env.PATH, HOME: home, TZ: 'UTC' }, encoding: 'utf8', timeout: 60_000 });
    expect(byHand.status, byHand.stdout).toBe(0);
    const manual = await runCli(['status'], { home });
    expect(manual.code).toBe(1);
    expect(manual.stdout.split('\n')[0]).toBe('authwatch status: NOT MONITORING: nothing runs the check on a schedule, and nobody is told of trouble');
    expect(manual.stdout).toContain('  - nothing runs the check on a schedule: the last run was by hand, and no timer, Termux job or daemon is installed: `authwatch install systemd`');
    expect(JSON.parse((await runCli(['status', '--json'], { home })).stdout)).toMatchObject({ ok: false, problems: [], lastRun: { byHand: true } });
    // The same check from a timer, cron or a job (no terminal) may be one of many: only nobody-told remains.
    expect((await runCli(['check'], { home })).code).toBe(0);
    expect((await runCli(['status'], { home })).stdout.split('\n')[0]).toBe('authwatch status: NOT MONITORING: nobody is told of trouble');
    // By hand with the output to a file: only stdin is the terminal.
    const toFile = spawnSync('script', ['-qec', `${shellQuote(process.execPath)} ${shellQuote(cliPath)} check > ${shellQuote(join(home, 'out.txt'))}`, '/dev/null'], { env: { PATH: process.env.PATH, HOME: home, TZ: 'UTC' }, encoding: 'utf8', timeout: 60_000 });
    expect(toFile.status, toFile.stdout).toBe(0);
    expect(JSON.parse((await runCli(['status', '--json'], { home })).stdout)).toMatchObject({ lastRun: { byHand: true } });
    expect((await runCli(['check'], { home })).code).toBe(0);
    // The textfile is how Prometheus hears of trouble here (no channel).
    await runCli(['install', 'systemd', '--user', '--textfile', join(home, 'authwatch.prom')], { home }); // writes the units; systemctl may be unreachable here
    expect(existsSync(join(home, '.config/systemd/user/authwatch-check.timer'))).toBe(true);

    const after = await runCli(['status'], { home });
    expect(after.code, after.stdout).toBe(0);
    expect(after.stdout).toContain('authwatch status: monitoring is working');
    expect(after.stdout).toMatch(/^last run {3}check, just now \(.*\), exit 0 \(ok\), \d+ ms; expected every 15m$/m);
    expect(after.stdout).toContain(`config     (none: defaults)`);
    expect(after.stdout).toContain(`state dir  ${join(home, '.local/state/authwatch')}`);
    expect(after.stdout).toMatch(new RegExp(`^launchers  systemd-user authwatch-check\\.timer: ${home}/\\.config/systemd/user/authwatch-check\\.timer; (next run|unknown: systemctl|not active)`, 'm'));
    expect(after.stdout).toContain(`systemd-user authwatch-check.service: ${home}/.config/systemd/user/authwatch-check.service (check --interval 15m --textfile ${home}/authwatch.prom)`);
    expect(after.stdout).toContain(`openclaw   ${home}/.openclaw: JSON stores, agents main, version 2026.9.6`);

    const json = JSON.parse((await runCli(['status', '--json'], { home })).stdout);
    expect(json).toMatchObject({ ok: true, problems: [], missing: [], config: { path: null, error: null }, intervalMs: 15 * 60_000, metrics: `textfile ${home}/authwatch.prom` });
    expect(json.lastRun).toMatchObject({ version: 1, command: 'check', exitCode: 0, status: 'ok', error: null, channels: null });
    expect(Math.abs(json.lastRun.finishedAt - realNow())).toBeLessThan(60_000);
    expect(json.openclaw).toEqual([{ dir: join(home, '.openclaw'), legacy: false, layout: ['JSON stores'], agents: ['main'], version: '2026.9.6' }]);
  });

  it('names each OpenClaw layout found: the state DB, per-agent DBs, a legacy clawdbot dir', async () => {
    const home = makeHome({ '.openclaw/state/openclaw.sqlite': '', '.openclaw/agents/work/agent/openclaw-agent.sqlite': '', '.clawdbot/agent/auth-profiles.json': '{}' });
    const json = JSON.parse((await runCli(['status', '--json'], { home })).stdout);
    expect(json.openclaw).toEqual([
      { dir: join(home, '.openclaw'), legacy: false, layout: ['state DB', 'agent DBs'], agents: ['work'], version: null },
      { dir: join(home, '.clawdbot'), legacy: true, layout: ['pre-multi-agent store'], agents: [], version: null },
    ]);
  });

  it('no run in three schedule periods is broken', async () => {
    const home = makeHome({ [agentStore('main')]: store, '.config/authwatch/config.json5': '{ schedule: "*/10 * * * *" }' });
    expect((await runCli(['check', '--textfile', join(home, 'authwatch.prom')], { home })).code).toBe(0);
    const fresh = await runCli(['status', '--json', '--now', new Date(realNow() + 29 * 60_000).toISOString()], { home });
    expect(JSON.parse(fresh.stdout)).toMatchObject({ ok: true, intervalMs: 10 * 60_000, metrics: `textfile ${join(home, 'authwatch.prom')}` });
    const stale = await runCli(['status', '--now', new Date(realNow() + 2 * HOUR).toISOString()], { home });
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/- no run for [12]h \(expected every 10m\): is the timer or daemon running\?/);
  });

  it('a failing channel is broken: its error, failures, owed notices and next attempt, without its secret', async () => {
    const home = makeHome({ [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-x', expires: Date.now() - HOUR } } } } });
    const port = await closedPort();
    writeFiles(home, { '.config/authwatch/config.json5': `{ channels: [{ name: "hook", type: "webhook", url: "http://127.0.0.1:${port}/api/webhooks/1/${MARKER}webhooksecret", timeout: "2s" }] }` });
    const run = await runCli(['check'], { home });
    expect(run.code).toBe(3);
    const result = await runCli(['status'], { home });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^channels {3}hook \(webhook\), last run: failed, owes 1, 1 failure, next attempt (within a minute|in 1m), last error: POST http:\/\/127\.0\.0\.1:\d+\/… failed: connect ECONNREFUSED/m);
    expect(result.stdout).toContain(`- alert channel hook is failing: POST http://127.0.0.1:${port}/… failed`);
    const json = JSON.parse((await runCli(['status', '--json'], { home })).stdout);
    expect(json.channels).toEqual([{ name: 'hook', type: 'webhook', lastResult: 'failed', owed: 1, failures: 1, nextAttemptAt: expect.any(Number), lastError: expect.stringContaining('ECONNREFUSED') }]);
    expect(json.lastRun).toMatchObject({ exitCode: 3, status: 'expired', channels: { hook: { result: 'failed', notices: 1, owed: 1 } } });
    expect(result.stdout + JSON.stringify(json)).not.toContain(MARKER);
  });

  it('a run that could not run, and a config that does not read, are broken and say why', async () => {
    const home = makeHome({ [agentStore('main')]: store, '.config/authwatch/config.json5': '{ warn: "soon" }' });
    const run = await runCli(['check'], { home });
    expect(run.code).toBe(3);
    const result = await runCli(['status', '--json'], { home });
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json.config.path).toBe(join(home, '.config/authwatch/config.json5'));
    expect(json.problems[0]).toMatch(/^the config cannot be used: .*warn: expected a duration/s);
    expect(json.problems[1]).toMatch(/^the last run could not run: .*warn: expected a duration/s);
    expect(json.lastRun).toMatchObject({ command: 'check', exitCode: 3, status: null });

    writeFileSync(join(home, '.local/state/authwatch/last-run.json'), '{"version":1');
    const unreadable = await runCli(['status'], { home });
    expect(unreadable.stdout).toMatch(/- the run record .*last-run\.json is unreadable \(.*\): the next run replaces it/);

    // A FIFO in its place is said at once, not waited on.
    rmSync(join(home, '.local/state/authwatch/last-run.json'));
    execFileSync('mkfifo', [join(home, '.local/state/authwatch/last-run.json')]);
    const fifo = await runCli(['status'], { home, timeoutMs: 15_000 });
    expect(fifo.code).toBe(1);
    expect(fifo.stdout).toMatch(/- the run record .*last-run\.json is unreadable \(.*not a regular file.*\)/);
  });
});
