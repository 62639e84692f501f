import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliPath } from './helpers/cli.js';
import { DAY, NOW, NOW_ISO } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';
import { findTool } from './helpers/tools.js';
import { trackChild } from './helpers/children.js';

// `check` writes its output straight to fd 1 (no process.stdout): every kind of stdout must
// still get all of it, or stop cleanly when the reader goes away.

const profiles = 3_000;
const bigHome = () => {
  const entries: Record<string, unknown> = {};
  for (let i = 0; i < profiles; i++) entries[`p${i % 7}:profile-${i}`] = { type: 'token', provider: `p${i % 7}`, token: `t-${i}`, expires: NOW + 30 * DAY };
  return makeHome({ [agentStore('main')]: { json: { version: 1, profiles: entries } } });
};
const env = (home: string) => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TZ: 'UTC' });
const checkArgs = ['check', '--json', '--now', NOW_ISO];

/** Runs `command`, reading nothing of its stdout for `stallMs`, then everything. */
function runWithSlowReader(command: string, args: string[], home: string, stallMs: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = trackChild(spawn(command, args, { env: env(home), stdio: ['ignore', 'pipe', 'pipe'] }));
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), stallMs);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(chunks).toString(), stderr }));
  });
}

/** Runs the CLI with its stdout and/or stderr a pipe whose reader is gone before the CLI starts: every write to it meets EPIPE. */
function runWithClosedReader(args: string[], home: string, closed: ('stdout' | 'stderr')[]) {
  return new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve, reject) => {
    const child = trackChild(spawn(process.execPath, [cliPath, ...args], { env: env(home), stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 }));
    for (const stream of closed) child[stream].destroy();
    let stderr = '';
    if (!closed.includes('stderr')) child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a reader that is gone (EPIPE): every command ends quietly with its own exit code (child processes)', () => {
  it('check with a large output', async () => {
    expect(await runWithClosedReader(checkArgs, bigHome(), ['stdout'])).toEqual({ code: 0, signal: null, stderr: '' });
  });

  it('install systemd --dry-run', async () => {
    expect(await runWithClosedReader(['install', 'systemd', '--user', '--dry-run'], makeHome(), ['stdout'])).toEqual({ code: 0, signal: null, stderr: '' });
  });

  it('--help, and a command whose error message meets a closed stderr', async () => {
    expect(await runWithClosedReader(['--help'], makeHome(), ['stdout'])).toEqual({ code: 0, signal: null, stderr: '' });
    expect(await runWithClosedReader(['nope'], makeHome(), ['stderr'])).toMatchObject({ code: 3, signal: null });
  });

  it('debug logs and output, both readers gone', async () => {
    expect(await runWithClosedReader([...checkArgs, '--log-level', 'debug'], bigHome(), ['stdout', 'stderr'])).toMatchObject({ code: 0, signal: null });
  });
});

describe('check output on any stdout (child processes)', () => {
  it('more than a pipe holds, read late: all of it arrives', async () => {
    const home = bigHome();
    const run = await runWithSlowReader(process.execPath, [cliPath, ...checkArgs], home, 300);
    expect(run.stdout.length).toBeGreaterThan(1_000_000);
    expect(JSON.parse(run.stdout).profiles).toHaveLength(profiles);
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  it.runIf(Boolean(findTool('perl')))('a non-blocking stdout that fills up (EAGAIN) still gets all of it', async () => {
    const home = bigHome();
    const nonBlocking = 'use Fcntl; fcntl(STDOUT, F_SETFL, fcntl(STDOUT, F_GETFL, 0) | O_NONBLOCK) or die; exec @ARGV or die';
    const run = await runWithSlowReader('perl', ['-e', nonBlocking, process.execPath, cliPath, ...checkArgs], home, 300);
    expect(JSON.parse(run.stdout).profiles).toHaveLength(profiles);
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });

  it('a reader that stops early (| head): the check ends with its own exit code and no error', () => {
    const home = bigHome();
    const run = spawnSync('bash', ['-c', `"${process.execPath}" "${cliPath}" check --now ${NOW_ISO} | head -c 100 >/dev/null; echo "exit \${PIPESTATUS[0]}" >&2`], { env: env(home), encoding: 'utf8' });
    expect(run.stderr).toBe('exit 0\n');
  });

  it.runIf(existsSync('/dev/full'))('a stdout that cannot take it (a full disk): exit 3 with the reason, not a crash', () => {
    const home = bigHome();
    const full = openSync('/dev/full', 'w');
    const run = spawnSync(process.execPath, [cliPath, ...checkArgs], { env: env(home), encoding: 'utf8', stdio: ['ignore', full, 'pipe'] });
    closeSync(full);
    expect(run.status).toBe(3);
    expect(run.stderr).toBe('authwatch: cannot write the output: no space left on device\n');
  });

  it.runIf(Boolean(findTool('script')))('colours in a terminal only: not to a pipe, a file or /dev/null', () => {
    const home = makeHome({ [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 't', expires: NOW - DAY } } } } });
    const command = `"${process.execPath}" "${cliPath}" check --now ${NOW_ISO}`;
    const terminal = spawnSync('script', ['-qec', command, '/dev/null'], { env: env(home), encoding: 'utf8' });
    expect(terminal.stdout).toContain('\u001b[31mexpired');
    const piped = spawnSync('bash', ['-c', command], { env: env(home), encoding: 'utf8' });
    expect(piped.stdout).toContain('expired');
    expect(piped.stdout).not.toContain('\u001b[');
    const toNull = spawnSync('bash', ['-c', `${command} >/dev/null; echo "exit $?"`], { env: env(home), encoding: 'utf8' });
    expect(toNull.stdout).toBe('exit 1\n');
  });
});
