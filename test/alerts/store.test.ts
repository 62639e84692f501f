import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { lockState } from '../../src/core/state-lock.js';
import { loadState, saveState } from '../../src/alerts/store.js';
import { emptyState } from '../../src/alerts/decide.js';
import { AuthwatchError } from '../../src/core/errors.js';
import { silentLog } from '../helpers/context.js';
import { NOW } from '../helpers/clock.js';
import { trackChild } from '../helpers/children.js';
import { startProcess } from '../helpers/processes.js';

const freshDir = () => mkdtempSync(join(tmpdir(), 'authwatch-lock-'));
const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const startOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
};
/** A lock file as a run with this identity leaves it. */
const lockLine = (pid: number, start: string, boot = bootId, nonce = `n${pid}x${start}`) => `${pid} ${start} ${boot} ${nonce}\n`;

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

/** A live process that has nothing to do with authwatch: what a recorded pid belongs to after a reboot. */
function unrelatedProcess(): number {
  return startProcess('sleep', ['60'], { PATH: process.env.PATH }).child.pid!;
}

const old = (path: string) => utimesSync(path, (Date.now() - 120_000) / 1000, (Date.now() - 120_000) / 1000);
const others = (dir: string) => readdirSync(dir).filter((name) => name !== 'state.lock' && !name.startsWith('.state.lock.'));

describe('the state lock', () => {
  it('is exclusive while held, names this run of this process, and is free again once released', async () => {
    const dir = freshDir();
    const { release } = await lockState(dir, 0);
    const [pid, start, boot] = readFileSync(join(dir, 'state.lock'), 'utf8').split(' ');
    expect([Number(pid), start, boot]).toEqual([process.pid, startOf(process.pid), bootId]);
    expect((await lockState(dir, 100)).heldBy).toBeDefined();
    release!();
    expect(readdirSync(dir)).toEqual([]);
    expect((await lockState(dir, 0)).release).toBeDefined();
  });

  it('is taken over from a process that died holding it', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'state.lock'), lockLine(deadPid(), '12345'));
    expect((await lockState(dir, 0)).release).toBeDefined();
    expect(readFileSync(join(dir, 'state.lock'), 'utf8')).toMatch(new RegExp(`^${process.pid} `));
  });

  it('is taken over at once when its pid now belongs to another live process (pid reuse, a restarted container)', async () => {
    const dir = freshDir();
    const stranger = unrelatedProcess();
    writeFileSync(join(dir, 'state.lock'), lockLine(stranger, String(Number(startOf(stranger)) - 1)));
    expect((await lockState(dir, 0)).release).toBeDefined();
  });

  it('is taken over when it comes from an earlier boot, even if that pid and start time are alive now', async () => {
    const dir = freshDir();
    const stranger = unrelatedProcess();
    writeFileSync(join(dir, 'state.lock'), lockLine(stranger, startOf(stranger), '00000000-0000-4000-8000-000000000000'));
    expect((await lockState(dir, 0)).release).toBeDefined();
  });

  it('is waited for while its holder runs', async () => {
    const dir = freshDir();
    const holder = unrelatedProcess();
    writeFileSync(join(dir, 'state.lock'), lockLine(holder, startOf(holder)));
    expect((await lockState(dir, 150)).heldBy).toBeDefined();
  });

  it('in the older bare-pid format: taken over once the pid is gone or the file is old, waited for while young and alive', async () => {
    const dir = freshDir();
    const lock = join(dir, 'state.lock');
    writeFileSync(lock, String(deadPid()));
    (await lockState(dir, 0)).release!();
    writeFileSync(lock, String(unrelatedProcess()));
    expect((await lockState(dir, 100)).heldBy).toBeDefined();
    old(lock);
    (await lockState(dir, 0)).release!();
    writeFileSync(lock, ''); // torn
    expect((await lockState(dir, 100)).heldBy).toBeDefined();
    old(lock);
    expect((await lockState(dir, 0)).release).toBeDefined();
  });

  it('is taken over when the run that was taking it over died too, and the claims are tidied away', async () => {
    const dir = freshDir();
    const deadNonce = `${deadPid()}-7-a`;
    writeFileSync(join(dir, 'state.lock'), lockLine(deadPid(), '7', bootId, deadNonce));
    const claimer = `${deadPid()}-8-b`;
    writeFileSync(join(dir, `state.lock.claim-${deadNonce}`), lockLine(deadPid(), '8', bootId, claimer));
    writeFileSync(join(dir, `state.lock.claim-${claimer}`), lockLine(deadPid(), '9', bootId, 'c')); // one more level
    writeFileSync(join(dir, `.state.lock.${claimer}`), lockLine(deadPid(), '8', bootId, claimer)); // the claimer's own file
    const { release } = await lockState(dir, 0);
    expect(release).toBeDefined();
    expect(others(dir)).toEqual([]);
    expect(readdirSync(dir).filter((name) => name.startsWith('.state.lock.'))).toHaveLength(1); // this run's
    release!();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('processes that keep finding a dead lock together: never two holders at once', { timeout: 120_000 }, async () => {
    // Each child is the real lock code in its own process. It takes the lock, stays inside a
    // moment (a directory only one can create), then "dies" holding it: a dead run's lock is
    // put in its place, which all the others find and race to take over. They start together
    // when all are ready (a busy machine starts processes slowly) and each stops after a count
    // of takeovers, not at a time.
    const work = freshDir();
    const bundle = join(work, 'lock.mjs');
    buildSync({ entryPoints: [new URL('../../src/core/state-lock.ts', import.meta.url).pathname], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent' });
    const child = join(work, 'child.mjs');
    writeFileSync(
      child,
      `import { mkdirSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { lockState } from ${JSON.stringify(bundle)};
import { existsSync } from 'node:fs';
const [dir, go, target, dead, boot] = process.argv.slice(2);
process.stdout.write('ready\\n');
const nap = new Int32Array(new SharedArrayBuffer(4));
while (!existsSync(go)) Atomics.wait(nap, 0, 0, 5); // all start together
let wins = 0, clashes = 0, tries = 0;
// A cap on tries bounds a child that keeps losing every race.
while (wins < Number(target) && tries < 2000000) {
  tries++;
  if (!(await lockState(dir, -1)).release) continue; // one try, no wait
  wins++;
  let inside = true;
  try { mkdirSync(dir + '/inside'); } catch { inside = false; clashes++; }
  const leave = Date.now() + 1;
  while (Date.now() < leave);
  if (inside) rmdirSync(dir + '/inside');
  writeFileSync(dir + '/dead.' + process.pid, dead + ' 5 ' + boot + ' ' + dead + '-5-' + process.pid + 'x' + wins + '\\n');
  renameSync(dir + '/dead.' + process.pid, dir + '/state.lock');
  for (const name of readdirSync(dir)) if (name.startsWith('.state.lock.' + process.pid + '-')) unlinkSync(dir + '/' + name);
}
process.stdout.write(JSON.stringify({ wins, clashes, tries }) + '\\n');
`,
    );
    const dir = join(work, 'state');
    mkdirSync(dir);
    const PROCESSES = 6;
    const TAKEOVERS_EACH = 10;
    const go = join(work, 'go');
    const gone = deadPid();
    let ready = 0;
    let everyoneReady = () => {};
    const allReady = new Promise<void>((resolve) => (everyoneReady = resolve));
    const finished = Array.from(
      { length: PROCESSES },
      () =>
        new Promise<{ wins: number; clashes: number; tries: number }>((resolve, reject) => {
          const p = trackChild(spawn(process.execPath, [child, dir, go, String(TAKEOVERS_EACH), String(gone), bootId], { stdio: ['ignore', 'pipe', 'pipe'] }));
          let out = '';
          let stderr = '';
          p.stdout.on('data', (chunk: Buffer) => {
            if (!out.includes('ready') && (out + chunk.toString()).includes('ready') && ++ready === PROCESSES) everyoneReady();
            out += chunk.toString();
          });
          p.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.split('\n').at(-2)!)) : reject(new Error(stderr))));
        }),
    );
    await Promise.race([allReady, Promise.all(finished)]); // a child that failed to start fails the test
    writeFileSync(go, '');
    const results = await Promise.all(finished);
    const sum = (key: 'wins' | 'clashes' | 'tries') => results.reduce((total, r) => total + r[key], 0);
    console.log(`lock takeover: ${PROCESSES} processes, ${sum('tries')} tries, ${sum('wins')} takeovers of a dead lock, ${sum('clashes')} times two holders at once`);
    expect(sum('clashes')).toBe(0);
    expect(sum('wins')).toBeGreaterThan(30);
    expect(results.filter((r) => r.wins > 0).length).toBeGreaterThan(1);
  });
});

describe('the state directory and file are ours alone', () => {
  it('refuses a state directory or file that other users can write to', async () => {
    const dir = freshDir();
    await saveState(dir, emptyState());
    chmodSync(dir, 0o777);
    await expect(loadState(dir, silentLog, NOW)).rejects.toThrow(`the state directory ${dir} is writable by every user (mode 0777), who could change what it says; fix: chmod go-w ${dir}`);
    await expect(lockState(dir, 0)).rejects.toThrow(/writable by every user/);
    chmodSync(dir, 0o700);
    chmodSync(join(dir, 'state.json'), 0o666);
    await expect(loadState(dir, silentLog, NOW)).rejects.toThrow(`the alert state ${join(dir, 'state.json')} is writable by every user (mode 0666), who could change what it says`);
    chmodSync(join(dir, 'state.json'), 0o644);
    await expect(loadState(dir, silentLog, NOW)).resolves.toEqual(emptyState());
    // The fix is a command to paste: a path with a blank is quoted for the shell.
    const spaced = join(dir, 'state dir');
    mkdirSync(spaced, { recursive: true, mode: 0o700 });
    chmodSync(spaced, 0o777);
    await expect(loadState(spaced, silentLog, NOW)).rejects.toThrow(`the state directory ${spaced} is writable by every user (mode 0777), who could change what it says; fix: chmod go-w '${spaced}'`);
  });

  it.runIf(process.getuid?.() === 0)('refuses a state directory or file owned by another user', async () => {
    const dir = freshDir();
    await saveState(dir, emptyState());
    chownSync(join(dir, 'state.json'), 1234, 1234);
    const error = await loadState(dir, silentLog, NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthwatchError);
    expect((error as Error).message).toMatch(/alert state .*state\.json belongs to uid 1234, not to this user \(uid 0\), who could change it; fix: chown 0 /);
    expect((error as Error).message).toContain('; or point $XDG_STATE_HOME (or $STATE_DIRECTORY) at a directory of your own');
    chownSync(dir, 1234, 1234);
    await expect(lockState(dir, 0)).rejects.toThrow(/state directory .* belongs to uid 1234/);
    expect(existsSync(join(dir, 'state.lock'))).toBe(false);
  });
});
