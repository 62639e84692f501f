import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDeadlineMs } from '../src/cli/deadline.js';
import { parseDuration } from '../src/core/duration.js';
import { runCli } from './helpers/cli.js';
import { HOUR, NOW, NOW_ISO } from './helpers/clock.js';
import { agentStore, makeHome, writeFiles } from './helpers/home.js';
import { startSink } from './helpers/http-sink.js';
import { waitFor } from './helpers/processes.js';

// The whole run has a deadline: past it, the run stops what it waits on, says what that was, saves nothing and exits 3.

const expired = { [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 't', expires: NOW - HOUR } } } } };

/** A program that records its pid, then hangs far longer than any deadline here. */
function hangingProgram(home: string, name: string): { path: string; pid: () => number | undefined } {
  const path = join(home, name);
  const pidFile = join(home, `${name}.pid`);
  writeFileSync(path, `#!/bin/sh\necho $$ > "${pidFile}"\nexec sleep 60\n`);
  chmodSync(path, 0o755);
  return { path, pid: () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined) };
}

/** Gone, or a zombie waiting for init to reap it: either way no longer running. */
const running = (pid: number) => existsSync(`/proc/${pid}`) && !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

async function timed<T>(work: () => Promise<T>): Promise<T & { ms: number }> {
  const started = Date.now();
  const result = await work();
  return { ...result, ms: Date.now() - started };
}

describe('the run-level deadline (child processes)', () => {
  it('a declared credential command that hangs: exit 3 at the deadline, naming it; the program is killed', async () => {
    const home = makeHome(expired);
    const program = hangingProgram(home, 'vault-expiry');
    writeFiles(home, {
      '.config/authwatch/config.json5': { json: { declared: [{ id: 'vault', provider: 'acme', command: [program.path, '--token=SECRET-MARKER'], unit: 's', timeout: '60s' }] } },
    });
    const run = await timed(() => runCli(['check', '--send', '--now', NOW_ISO, '--deadline', '1s'], { home }));
    expect(run.code).toBe(3);
    expect(run.ms).toBeLessThan(8_000);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      "authwatch: stopped after the run's deadline of 1s, still reading the credentials (waiting for vault-expiry); nothing was saved from this run\n" +
        "hint: --deadline DURATION gives it longer (keep it below the unit's TimeoutStartSec)\n",
    );
    const pid = program.pid();
    expect(pid).toBeGreaterThan(0);
    await waitFor('the hanging program to be killed', () => (running(pid!) ? undefined : true), 5_000);
  }, 20_000);

  it('--from-openclaw with an openclaw that never answers', async () => {
    const home = makeHome(expired);
    const openclaw = hangingProgram(home, 'openclaw');
    writeFiles(home, { '.config/authwatch/config.json5': { json: { openclaw: { command: [openclaw.path], timeout: '60s' } } } });
    const run = await timed(() => runCli(['check', '--send', '--from-openclaw', '--json', '--now', NOW_ISO, '--deadline', '1500ms'], { home }));
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(run.ms).toBeLessThan(8_000);
    expect(run.stderr).toContain("deadline of 1.5s, still reading the credentials (waiting for openclaw)");
  }, 20_000);

  it('an alert receiver that never answers: the table is out, the alert is not remembered as sent', async () => {
    const sink = await startSink(() => 'hang');
    const home = makeHome({
      ...expired,
      '.config/authwatch/config.json5': `{ channels: [{ name: "hook", type: "webhook", url: "${sink.url}/hook", timeout: "60s" }] }`,
    });
    const run = await timed(() => runCli(['check', '--send', '--now', NOW_ISO, '--deadline', '1s'], { home }));
    expect(run.code).toBe(3);
    expect(run.ms).toBeLessThan(8_000);
    expect(run.stdout).toContain('anthropic:default');
    expect(run.stderr).toContain('still sending alerts;');
    expect(sink.requests).toHaveLength(1);
    expect(existsSync(join(home, '.local/state/authwatch/state.json'))).toBe(false);
    // Within the deadline the same run delivers as ever.
    const fine = await startSink();
    writeFileSync(join(home, '.config/authwatch/config.json5'), `{ channels: [{ name: "hook", type: "webhook", url: "${fine.url}/hook" }] }`);
    expect(await runCli(['check', '--send', '--now', NOW_ISO, '--deadline', '10s'], { home })).toMatchObject({ code: 1, stderr: 'authwatch: alert channel hook: sent 1 notice\n' });
    expect(fine.requests).toHaveLength(1);
  }, 20_000);

  it('alert test through a receiver that never answers', async () => {
    const sink = await startSink(() => 'hang');
    const home = makeHome({ '.config/authwatch/config.json5': `{ channels: [{ name: "hook", type: "webhook", url: "${sink.url}/hook", timeout: "60s" }] }` });
    const run = await timed(() => runCli(['alert', 'test', '--deadline', '1s'], { home }));
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(run.ms).toBeLessThan(8_000);
    expect(run.stderr).toContain('still sending to hook;');
  }, 20_000);

  it('a deadline that is not a duration is a usage error', async () => {
    const run = await runCli(['check', '--deadline', 'soon'], { home: makeHome() });
    expect(run).toMatchObject({ code: 3, stdout: '' });
    expect(run.stderr).toBe('authwatch: --deadline: expected a duration like "45m", "24h", "14d" or "2w"\n');
  });

  it("the default is below the installed check units' TimeoutStartSec", () => {
    for (const mode of ['user', 'system']) {
      const unit = readFileSync(new URL(`../deploy/systemd/${mode}/authwatch-check.service.in`, import.meta.url), 'utf8');
      const limit = parseDuration(/^TimeoutStartSec=(\S+)$/m.exec(unit)![1]!.replace(/min$/, 'm'));
      expect(defaultDeadlineMs, mode).toBeLessThan(limit!);
    }
  });
});
