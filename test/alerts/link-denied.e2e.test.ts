import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HOUR, NOW, NOW_ISO } from '../helpers/clock.js';
import { agentStore, makeHome } from '../helpers/home.js';
import { startSink } from '../helpers/http-sink.js';
import { linkDeniedShim } from '../helpers/link-denied.js';
import { startProcess, waitFor } from '../helpers/processes.js';

// Android's SELinux policy denies apps link() (EACCES) since Android 6: every authwatch here
// runs under an LD_PRELOAD shim that does the same, and so does every run of the alert-chaos
// suite and the channel tests (the `link-denied` project in vitest.config.ts). The second half
// is what a hostile or left-over `state.lock` must not do: block, flood, or silence a run —
// on Android, and on plain Linux where the earlier link() lock worked.

const shim = linkDeniedShim();
const android = { LD_PRELOAD: shim };

async function homeOwingOneNotice() {
  const sink = await startSink();
  const home = makeHome({
    [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 't', expires: NOW - HOUR } } } },
    '.config/authwatch/config.json5': `{ channels: [{ name: "hook", type: "webhook", url: "${sink.url}/hook", timeout: "3s" }] }`,
  });
  const dir = join(home, '.local/state/authwatch');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return { home, sink, dir, lock: join(dir, 'state.lock') };
}

/** A run on Android (link() denied), or with `plain`, on plain Linux. */
const check = (home: string, ...extra: string[]) =>
  runCli(['check', '--json', '--send', '--now', NOW_ISO, ...extra.filter((a) => a !== plain)], { home, env: extra.includes(plain) ? {} : android, timeoutMs: 60_000 });
const plain = '<plain linux>';

const startOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
};
const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

/** The JSON document a run printed, with the profile the notice is about. */
function documentOf(stdout: string) {
  const document = JSON.parse(stdout) as { exitCode: number; alerts?: { error?: string; skipped?: boolean; channels: { result: string; notices: number }[] } | null; profiles: { id: string; status: string }[] };
  expect(document.profiles.map((p) => [p.id, p.status])).toContainEqual(['anthropic:default', 'expired']);
  return document;
}

describe('alerts where link() is denied (Android)', () => {
  it('the shim denies link() the way Android does', () => {
    const probe = spawnSync(process.execPath, ['-e', 'const fs=require("fs");const d=fs.mkdtempSync(require("os").tmpdir()+"/l-");fs.writeFileSync(d+"/a","");try{fs.linkSync(d+"/a",d+"/b")}catch(e){process.stdout.write(e.code)}fs.rmSync(d,{recursive:true})'], {
      env: { PATH: process.env.PATH, ...android },
      encoding: 'utf8',
    });
    expect(probe.stdout).toBe('EACCES');
  });

  it('a run with something to say sends it once, prints its JSON and exits by the report', async () => {
    const { home, sink } = await homeOwingOneNotice();
    const first = await check(home);
    expect(first.code, first.stderr).toBe(1);
    expect(documentOf(first.stdout).alerts?.channels).toMatchObject([{ result: 'sent', notices: 1 }]);
    expect(sink.requests).toHaveLength(1);
    const again = await check(home);
    expect(again.code, again.stderr).toBe(1);
    expect(sink.requests, 'told once').toHaveLength(1);
  });

  it('where symbolic links are refused too (shared storage): exit 3 with the fix, the JSON printed, the notice still owed', async () => {
    const { home, sink } = await homeOwingOneNotice();
    const sdcard = { LD_PRELOAD: linkDeniedShim({ symlinks: false }) };
    const run = await runCli(['check', '--json', '--send', '--now', NOW_ISO], { home, env: sdcard, timeoutMs: 60_000 });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain("fix: keep the state directory on a file system with symbolic links (on Android: inside Termux's $HOME, not shared storage /sdcard)");
    expect(documentOf(run.stdout).alerts?.error).toContain('cannot lock the alert state');
    expect(sink.requests).toHaveLength(0);
    expect((await check(home)).code).toBe(1);
    expect(sink.requests).toHaveLength(1);
  });

  it('overlapping runs: one sends, none repeats it', async () => {
    const { home, sink } = await homeOwingOneNotice();
    const runs = await Promise.all(Array.from({ length: 5 }, () => check(home)));
    for (const run of runs) expect(run.code, run.stderr).toBe(1);
    expect(sink.requests).toHaveLength(1);
  });
});

describe.each([
  ['on Android', null],
  ['on plain Linux', plain],
])('a state.lock that is not a lock, or whose holder cannot be proven alive, %s', (_, where) => {
  const checkHere = (home: string, ...extra: string[]) => check(home, ...extra, ...(where ? [where] : []));
  it('a FIFO is never opened: the run delivers within its deadline', async () => {
    const { home, sink, lock } = await homeOwingOneNotice();
    expect(spawnSync('mkfifo', [lock]).status).toBe(0);
    const run = await checkHere(home, '--deadline', '20s');
    expect(run.code, run.stderr).toBe(1);
    expect(sink.requests).toHaveLength(1);
  });

  it('a link to /dev/zero is never followed: the run delivers and reads nothing through it', async () => {
    const { home, sink, lock } = await homeOwingOneNotice();
    symlinkSync('/dev/zero', lock);
    const run = await checkHere(home, '--deadline', '20s');
    expect(run.code, run.stderr).toBe(1);
    expect(sink.requests).toHaveLength(1);
  });

  it('a bare pid now owned by a process that started after the lock was written is stale at once', async () => {
    const { home, sink, lock } = await homeOwingOneNotice();
    writeFileSync(lock, '');
    const written = (Date.now() - 10_000) / 1000;
    utimesSync(lock, written, written);
    const stranger = startProcess('sleep', ['300'], { PATH: process.env.PATH }).child.pid!;
    writeFileSync(lock, `${stranger}\n`);
    utimesSync(lock, written, written); // written before the stranger started
    const run = await checkHere(home);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).not.toContain('alerts NOT sent');
    expect(sink.requests).toHaveLength(1);
  });

  it('a bare pid of a live process, older than a run can last, is stale', async () => {
    const { home, sink, lock } = await homeOwingOneNotice();
    const stranger = startProcess('sleep', ['300'], { PATH: process.env.PATH }).child.pid!;
    await waitFor('the stranger to run', () => (startOf(stranger) ? true : undefined));
    writeFileSync(lock, `${stranger}\n`);
    const long = (Date.now() - 10 * 60_000) / 1000;
    utimesSync(lock, long, long);
    const run = await checkHere(home);
    expect(run.code, run.stderr).toBe(1);
    expect(sink.requests).toHaveLength(1);
  });

  it('a live holder that keeps it: exit 3 within the deadline, said loudly, the JSON printed, the notice still owed', async () => {
    const { home, sink, lock } = await homeOwingOneNotice();
    const holder = startProcess('sleep', ['300'], { PATH: process.env.PATH }).child.pid!;
    await waitFor('the holder to run', () => (startOf(holder) ? true : undefined));
    writeFileSync(lock, `${holder} ${startOf(holder)} ${bootId} held-by-a-live-run\n`);
    const run = await checkHere(home, '--deadline', '8s');
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(`authwatch: alerts NOT sent: another authwatch run (pid ${holder}) kept the alert-state lock for the whole wait; every notice stays owed (exit 3)`);
    const document = documentOf(run.stdout);
    expect(document.exitCode).toBe(3);
    expect(document.alerts).toMatchObject({ skipped: true, channels: [{ result: 'failed', notices: 1 }] });
    expect(sink.requests).toHaveLength(0);
    rmSync(lock);
    const next = await checkHere(home);
    expect(next.code, next.stderr).toBe(1);
    expect(sink.requests, 'the owed notice goes out on the next run').toHaveLength(1);
  });

  it('a lock that cannot be taken (a directory in its place): exit 3 naming it and the fix, the JSON printed, the notice still owed', async () => {
    const { home, sink, lock } = await homeOwingOneNotice();
    mkdirSync(join(lock, 'something'), { recursive: true });
    const run = await checkHere(home);
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toContain(`authwatch: cannot lock the alert state: ${lock}:`);
    expect(run.stderr).toContain(`fix: remove ${lock}`);
    const document = documentOf(run.stdout);
    expect(document.exitCode).toBe(3);
    expect(document.alerts?.error).toContain('cannot lock the alert state');
    expect(sink.requests).toHaveLength(0);
    rmSync(lock, { recursive: true });
    const next = await checkHere(home);
    expect(next.code, next.stderr).toBe(1);
    expect(sink.requests).toHaveLength(1);
  });
});
