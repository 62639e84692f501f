import { spawn } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath } from './helpers/cli.js';
import { DAY } from './helpers/clock.js';
import { startDaemon } from './helpers/daemon.js';
import { agentStore, makeHome } from './helpers/home.js';
import { startSink } from './helpers/http-sink.js';
import { childPreload } from './helpers/link-denied.js';
import { startProcess } from './helpers/processes.js';
import { trackChild } from './helpers/children.js';

// Randomized runs of the real CLI against one alert memory and a real webhook receiver: runs
// SIGKILLed anywhere, up to six overlapping, a daemon checking every second on the same state,
// locks left naming a live unrelated process (a reused pid) or an earlier boot, clocks jumped
// ahead (with the receiver refusing those deliveries) and back, and stores caught mid-rewrite.
// Every world owes one new notice; the receiver counts how often each arrives. Every run (and
// the daemon) has link() denied, as on Android (the `link-denied` project in vitest.config.ts).

/** Runs are scaled to how long one takes here (a busy machine runs fewer), between these. */
const MAX_RUNS = 500;
const MIN_RUNS = 100;
const T0 = Date.now();
/** Expired under every clock the runs use (up to 20 days either way). */
const EXPIRED_AT = T0 - 30 * DAY;
const firingWindowMs = 45 * 60_000;
const otherBoot = '00000000-0000-4000-8000-000000000000';

function storeFor(world: number): string {
  const profiles: Record<string, unknown> = { 'steady:default': { type: 'api_key', provider: 'steady', key: 'k' } };
  for (let p = 0; p <= world; p++) profiles[`p${p}:default`] = { type: 'token', provider: `p${p}`, token: `t${p}`, expires: EXPIRED_AT };
  return JSON.stringify({ version: 1, profiles });
}

interface Run {
  spawnAt: number;
  killAt: number | null;
  code: number | null;
  stderr: string;
  offsetMs: number;
}

function startRun(home: string, offsetMs: number, killAfterMs: number | null): Promise<Run> {
  const args = offsetMs === 0 ? ['check'] : ['check', '--send', '--now', new Date(Date.now() + offsetMs).toISOString()];
  return new Promise((resolve, reject) => {
    const child = trackChild(spawn(process.execPath, [cliPath, ...args], { env: { PATH: process.env.PATH, HOME: home, TZ: 'UTC', ...childPreload() }, stdio: ['ignore', 'ignore', 'pipe'] }));
    const run: Run = { spawnAt: Date.now(), killAt: null, code: null, stderr: '', offsetMs };
    child.stderr.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
    const timer =
      killAfterMs === null
        ? null
        : setTimeout(() => {
            run.killAt = Date.now();
            child.kill('SIGKILL');
          }, killAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') run.killAt = null; // it had finished before the kill
      run.code = code;
      resolve(run);
    });
  });
}

const startOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
};

describe('alert memory under crashes, overlap, pid reuse and clock jumps', () => {
  it(`${MIN_RUNS}–${MAX_RUNS} randomized runs: every owed notice arrives, none twice unless its sender was killed`, { timeout: 600_000 }, async () => {
    const arrivals: { profile: string; status: string; at: number }[] = [];
    let refused = 0;
    const sink = await startSink((request) => {
      const alerts = JSON.parse(request.body).alerts as { status: string; endsAt: string; labels: { profile: string } }[];
      const first = alerts[0]!;
      const batchNow = Date.parse(first.endsAt) - (first.status === 'firing' ? firingWindowMs : 0);
      // A receiver that is down while the clock is ahead: the failure is stored at that time.
      if (batchNow > Date.now() + DAY / 2) {
        refused++;
        return 503;
      }
      for (const alert of alerts) arrivals.push({ profile: alert.labels.profile, status: alert.status, at: Date.now() });
      return 200;
    });
    const home = makeHome({ [agentStore('main')]: storeFor(0), '.config/authwatch/config.json5': '{}' });
    const storePath = join(home, agentStore('main'));
    const stateDir = join(home, '.local/state/authwatch');
    const lockPath = join(stateDir, 'state.lock');
    const writeStore = (text: string) => {
      writeFileSync(`${storePath}.new`, text);
      renameSync(`${storePath}.new`, storePath);
    };
    const never = '3650d'; // no reminders: every firing arrival is a new notice or a repeat after a kill
    const daemon = await startDaemon(
      home,
      `{ schedule: "* * * * * *", channels: [{ name: "hook", type: "webhook", url: "${sink.url}/hook", timeout: "5s" }],
         alerting: { repeat: { expiring: "${never}", expired: "${never}", missing: "${never}", error: "${never}" } } }`,
    );
    const stranger = startProcess('sleep', ['300'], { PATH: process.env.PATH }).child.pid!;
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();

    let seed = 0x9e3779b9;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const pick = (n: number) => Math.floor(random() * n);

    // How long one run takes here, so the kills land across a whole run.
    let runMs = Infinity;
    for (let i = 0; i < 3; i++) {
      const run = await startRun(home, 0, null);
      expect(run.code, run.stderr).toBe(1);
      runMs = Math.min(runMs, Date.now() - run.spawnAt);
    }
    // Rounds overlap (3.5 runs on average, most killed early): about a minute of rounds.
    const RUNS = Math.max(MIN_RUNS, Math.min(MAX_RUNS, Math.floor(120_000 / runMs)));
    const runs: Run[] = [];
    const figures = { rounds: 0, overlapping: 0, kills: 0, pidReuse: 0, earlierBoot: 0, ahead: 0, behind: 0, torn: 0, saidSo: 0, worlds: 0 };
    let world = 0;
    const owedArrived = () => {
      const delivered = new Set(arrivals.filter((a) => a.status === 'firing').map((a) => a.profile));
      for (let p = 0; p <= world; p++) if (!delivered.has(`p${p}:default`)) return `p${p}:default`;
      return null;
    };

    while (runs.length < RUNS) {
      figures.rounds++;
      // Before the round: a lock left by a run whose pid now belongs to a live unrelated
      // process, or one from an earlier boot (only where no live run holds the lock).
      const plant = random();
      if (plant < 0.2) {
        const pid = plant < 0.06 || plant > 0.16 ? stranger : process.pid;
        const reused = plant < 0.12;
        const line = reused ? `${pid} ${Number(startOf(pid)) - 1} ${bootId} planted${figures.rounds}` : `${pid} ${startOf(pid)} ${otherBoot} planted${figures.rounds}`;
        try {
          writeFileSync(lockPath, `${line}\n`, { flag: 'wx' });
          if (reused) figures.pidReuse++;
          else figures.earlierBoot++;
        } catch {
          // held (by the daemon) or left by a killed run: that is the test too
        }
      }
      const torn = random() < 0.05 || figures.rounds % 8 === 4; // every 8th round too: fewer rounds on a busy machine
      if (torn) {
        figures.torn++;
        const text = storeFor(world);
        writeStore(text.slice(0, Math.floor(text.length / 2))); // caught mid-rewrite
      }
      const count = Math.min(1 + pick(6), RUNS - runs.length);
      if (count > 1) figures.overlapping++;
      const round = await Promise.all(
        Array.from({ length: count }, async () => {
          const jump = random();
          const offsetMs = jump < 0.1 ? (1 + pick(20)) * DAY : jump < 0.2 ? -(1 + pick(20)) * DAY : 0;
          const killAfterMs = random() < 0.35 ? null : pick(Math.ceil(runMs * 1.2));
          await new Promise((resolve) => setTimeout(resolve, pick(Math.ceil(runMs / 2))));
          return startRun(home, offsetMs, killAfterMs);
        }),
      );
      if (torn) writeStore(storeFor(world));
      runs.push(...round);
      let completedInTime = false;
      if (torn && round.some((run) => run.stderr.includes('a credential source could not be read'))) figures.saidSo++;
      for (const run of round) {
        expect(run.stderr, 'no run waits for a lock its holder no longer holds').not.toContain('the alert-state lock stayed held');
        if (run.offsetMs > 0) figures.ahead++;
        if (run.offsetMs < 0) figures.behind++;
        if (run.killAt !== null) {
          figures.kills++;
          continue;
        }
        // Ahead: the receiver refuses (exit 3). A torn store is an error row (exit 3).
        if (run.offsetMs > 0 || torn) expect([1, 3], run.stderr).toContain(run.code);
        else {
          expect(run.code, run.stderr).toBe(1);
          completedInTime = true;
        }
      }
      if (completedInTime && !torn) {
        // A run that completed has delivered everything owed so far; the world moves on.
        expect(owedArrived(), `round ${figures.rounds}, world ${world}`).toBeNull();
        writeStore(storeFor(++world));
      }
    }
    // The next timer tick: it completes, and nothing is owed after it.
    const last = await startRun(home, 0, null);
    expect(last.code, last.stderr).toBe(1);
    expect(owedArrived()).toBeNull();
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    const daemonSends = daemon.output.stderr.split('\n').filter((line) => line.includes('"alert sent"')).length;
    figures.worlds = world + 1;

    // A notice may arrive again only if a run that was alive when it arrived was then killed
    // (between sending it and writing down that it was sent) before the repeat arrived.
    const perNotice = new Map<number, number>();
    for (let p = 0; p <= world; p++) {
      const times = arrivals.filter((a) => a.profile === `p${p}:default` && a.status === 'firing').map((a) => a.at);
      perNotice.set(times.length, (perNotice.get(times.length) ?? 0) + 1);
      for (let i = 1; i < times.length; i++) {
        const [first, again] = [times[i - 1]!, times[i]!];
        const explained = runs.some((run) => run.killAt !== null && run.spawnAt <= first && run.killAt >= first - 250 && run.killAt <= again);
        expect(explained, `p${p}:default arrived again at +${again - T0} ms with no kill after its arrival at +${first - T0} ms`).toBe(true);
      }
    }
    expect(arrivals.filter((a) => a.profile.startsWith('p') && a.status === 'resolved'), 'an unreadable store resolves nothing').toEqual([]);
    const histogram = [...perNotice].sort(([a], [b]) => a - b).map(([times, notices]) => `${notices}× ${times}`);
    console.log(
      `alert chaos: ${runs.length + 4} CLI runs in ${figures.rounds} rounds (${figures.overlapping} overlapping, up to 6), ${figures.kills} SIGKILLed, ` +
        `${figures.pidReuse} locks naming a reused pid + ${figures.earlierBoot} from an earlier boot, clock ${figures.ahead}× ahead / ${figures.behind}× back ` +
        `(${refused} deliveries refused while ahead), ${figures.torn} stores caught mid-rewrite (said so in ${figures.saidSo}), a daemon on the same state (${daemonSends} sends); ` +
        `${figures.worlds} notices owed, arrivals per notice: ${histogram.join(', ')}; ${Math.round((Date.now() - T0) / 1000)} s`,
    );
    expect(figures.kills).toBeGreaterThan(RUNS / 3);
    expect(figures.worlds).toBeGreaterThan(RUNS / 12);
    expect(perNotice.get(0) ?? 0).toBe(0);
    expect(figures.saidSo, 'a round on a torn store says why its profiles are kept').toBeGreaterThan(0);
  });
});
