import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HOUR, NOW_ISO, NOW } from '../helpers/clock.js';
import { agentStore, makeHome } from '../helpers/home.js';
import { startHostileSink } from '../helpers/http-sink.js';
import { startDrippingSmtp, startSmtp } from '../helpers/smtp.js';

// Every channel's `timeout` is a deadline for the whole delivery, not for silence: a receiver
// that keeps the connection busy, a byte or a line at a time, is cut off all the same.

const TIMEOUT_S = 2;
/**
 * Start-up and exit of the CLI around the deadline: 5 s, or four times what a run that delivers
 * at once takes on this machine now (measured before the tests), whichever is more — a loaded
 * machine stretches the run, never the deadline under test. The receivers below drip or stall
 * for far longer than that, so a delivery that ignored its deadline still fails.
 */
let SLACK_MS = 5_000;

function homeWith(channel: string) {
  return makeHome({
    [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-x', expires: NOW - HOUR } } } },
    '.config/authwatch/config.json5': `{ channels: [{ name: "ch", timeout: "${TIMEOUT_S}s", ${channel} }] }`,
  });
}

/** Runs a check, asserts it took at least the timeout and at most timeout + slack, failed (3), and still owes the notice. */
async function boundedFailure(home: string) {
  const started = Date.now();
  const run = await runCli(['check', '--send', '--now', NOW_ISO], { home, timeoutMs: 30_000 });
  const elapsed = Date.now() - started;
  expect(run.code, run.stderr).toBe(3);
  expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_S * 1000);
  expect(elapsed).toBeLessThan(TIMEOUT_S * 1000 + SLACK_MS);
  const memory = JSON.parse(readFileSync(join(home, '.local/state/authwatch/state.json'), 'utf8')).channels.ch;
  expect(memory).toMatchObject({ told: {}, failures: 1 });
  expect(memory.lastError).toBeTruthy();
  return { run, elapsed };
}

beforeAll(async () => {
  const home = homeWith('type: "command", command: ["true"]');
  const started = Date.now();
  const run = await runCli(['check', '--send', '--now', NOW_ISO], { home, timeoutMs: 30_000 });
  expect(run.code, run.stderr).toBe(1);
  SLACK_MS = Math.max(SLACK_MS, 4 * (Date.now() - started));
}, 40_000);

describe('a hard deadline for every delivery', () => {
  it.each(['lines', 'bytes'] as const)('SMTP that drips (%s) one a second', async (kind) => {
    const smtp = await startDrippingSmtp(kind);
    const home = homeWith(`type: "email", smtp: { host: "127.0.0.1", port: ${smtp.port} }, from: "a@example.com", to: ["b@example.com"]`);
    const { run } = await boundedFailure(home);
    expect(run.stderr).toContain(`alert channel ch failed: SMTP 127.0.0.1:${smtp.port} failed: not delivered within ${TIMEOUT_S}s`);
  }, 20_000);

  it.each(['webhook', 'ntfy', 'alertmanager'] as const)('%s: HTTP that sends the headers, then drips the body', async (type) => {
    const sink = await startHostileSink('drip');
    const home = homeWith(`type: "${type}", url: "${sink.url}/x"${type === 'ntfy' ? ', topic: "t"' : ''}`);
    const { run } = await boundedFailure(home);
    expect(sink.requests()).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`alert channel ch failed: POST http://127\\.0\\.0\\.1:\\d+/… answered HTTP 500: x* \\(the rest of the answer did not come within ${TIMEOUT_S}s\\)`));
  }, 20_000);

  it('webhook: HTTP that never answers', async () => {
    const sink = await startHostileSink('silent');
    const { run } = await boundedFailure(homeWith(`type: "webhook", url: "${sink.url}"`));
    expect(run.stderr).toContain(`failed: no answer within ${TIMEOUT_S}s`);
  }, 20_000);

  it('a command whose child holds stderr open and never ends: the whole group is killed at the deadline', async () => {
    const home = homeWith('type: "command", command: ["true"]');
    const script = join(home, 'notify.sh');
    writeFileSync(script, `#!/bin/sh\nsleep 60 &\necho $! > "${join(home, 'grandchild.pid')}"\nsleep 60\n`);
    chmodSync(script, 0o755);
    writeFileSync(join(home, '.config/authwatch/config.json5'), `{ channels: [{ name: "ch", timeout: "${TIMEOUT_S}s", type: "command", command: ["${script}"] }] }`);
    const { run } = await boundedFailure(home);
    expect(run.stderr).toContain(`command ${script} did not finish within ${TIMEOUT_S}s (killed)`);
    const grandchild = Number(readFileSync(join(home, 'grandchild.pid'), 'utf8'));
    // Gone with its group: no such process, or a zombie waiting for a reaper that is not us.
    const state = () => {
      try {
        return readFileSync(`/proc/${grandchild}/stat`, 'utf8').split(') ')[1]![0];
      } catch {
        return 'gone';
      }
    };
    expect(['gone', 'Z']).toContain(state());
  }, 20_000);

  it('a command that fails at once but leaves a child holding stderr: no waiting for the child', async () => {
    const home = homeWith(`type: "command", command: ["sh", "-c", "sleep 60 & echo 'termux-api is not installed' >&2; exit 1"]`);
    const started = Date.now();
    const run = await runCli(['check', '--send', '--now', NOW_ISO], { home, timeoutMs: 30_000 });
    expect(Date.now() - started).toBeLessThan(SLACK_MS);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('command sh exited with 1: termux-api is not installed');
  }, 20_000);

  it('the Pushgateway push: one that never answers is cut off at the push deadline', async () => {
    const sink = await startHostileSink('silent');
    const home = homeWith('type: "command", command: ["true"]');
    writeFileSync(join(home, '.config/authwatch/config.json5'), '{}');
    const started = Date.now();
    const run = await runCli(['check', '--send', '--now', NOW_ISO, '--push', sink.url], { home, timeoutMs: 30_000 });
    expect(Date.now() - started).toBeLessThan(10_000 + SLACK_MS);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/push: PUT http:\/\/127\.0\.0\.1:\d+\/… failed: no answer within 10s/);
  }, 25_000);
});

describe('SMTP TLS mismatch', () => {
  it('secure: true against a plain SMTP port says so in words, not OpenSSL\'s', async () => {
    const smtp = await startSmtp();
    const home = homeWith(`type: "email", smtp: { host: "127.0.0.1", port: ${smtp.port}, secure: true }, from: "a@example.com", to: ["b@example.com"]`);
    const run = await runCli(['check', '--send', '--now', NOW_ISO], { home, timeoutMs: 15_000 });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`SMTP 127.0.0.1:${smtp.port} failed: this port does not speak TLS: use secure: false (STARTTLS) or port 465`);
    expect(run.stderr).not.toMatch(/ssl3|wrong version|SSL routines/i);
    expect(smtp.received).toHaveLength(0);
  }, 20_000);
});
