import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAlertState } from '../src/alerts/state-format.js';
import { cliPath } from './helpers/cli.js';
import { HOUR, NOW } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';
import { startSink } from './helpers/http-sink.js';
import { trackChild } from './helpers/children.js';

/** Runs are scaled to how long one takes here (a busy machine runs fewer), between these. */
const MAX_RUNS = 200;
const MIN_RUNS = 40;
/** About this much time goes to the killed and finished runs. */
const BUDGET_MS = 60_000;

/** World `w`: profiles p0 … p<w> have expired, so each new world owes exactly one new notice. */
function storeForWorld(world: number): string {
  const profiles: Record<string, unknown> = { 'steady:default': { type: 'api_key', provider: 'steady', key: 'k' } };
  for (let p = 0; p <= world; p++) profiles[`p${p}:default`] = { type: 'token', provider: `p${p}`, token: `t${p}`, expires: NOW - HOUR };
  return JSON.stringify({ version: 1, profiles });
}

/** Runs one check and SIGKILLs it after `killAfterMs` (null: let it finish). */
function runOnce(home: string, now: number, killAfterMs: number | null): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = trackChild(spawn(process.execPath, [cliPath, 'check', '--send', '--now', new Date(now).toISOString()], {
      env: { PATH: process.env.PATH, HOME: home, TZ: 'UTC' },
      stdio: 'ignore',
    }));
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('SIGKILL at random points', () => {
  it(`${MIN_RUNS}–${MAX_RUNS} runs: the state file always parses, every notice is delivered, never twice after a completed run`, { timeout: 600_000 }, async () => {
    const sink = await startSink();
    const home = makeHome({
      [agentStore('main')]: storeForWorld(0),
      '.config/authwatch/config.json5': `{ channels: [{ name: "hook", type: "webhook", url: "${sink.url}/hook", timeout: "5s" }] }`,
    });
    const storePath = join(home, agentStore('main'));
    const statePath = join(home, '.local/state/authwatch/state.json');

    // The first run keeps the validated config and the second the program's compiled code (it
    // has nothing new to say); every later run loads both. The kills must land across a whole
    // run: the shortest of three that each deliver a notice says how long one takes here (one
    // sample, taken while the machine was busy, once left fewer than half the runs killed).
    await runOnce(home, NOW, null);
    await runOnce(home, NOW, null);
    expect(sink.requests).toHaveLength(1);
    const deliveries: { profile: string; run: number; runKilled: boolean }[] = [{ profile: 'p0:default', run: 0, runKilled: false }];
    let world = 0;
    let runMs = Infinity;
    for (let calibration = 0; calibration < 3; calibration++) {
      writeFileSync(storePath, storeForWorld(++world));
      const started = Date.now();
      await runOnce(home, NOW + world * 60_000, null);
      runMs = Math.min(runMs, Math.max(50, Date.now() - started));
      deliveries.push({ profile: `p${world}:default`, run: 0, runKilled: false });
    }
    expect(sink.requests).toHaveLength(1 + world);
    /** Attributes what the sink received since `before` to this (sequential) run. */
    const recordDeliveries = (before: number, run: number, runKilled: boolean) => {
      for (const request of sink.requests.slice(before)) {
        for (const alert of JSON.parse(request.body).alerts) deliveries.push({ profile: alert.labels.profile, run, runKilled });
      }
    };

    // Measured: a run of the loop (spawn, kill or finish, checks) costs about 1.7 whole runs'
    // time (load 21: 90 runs of a 1,057 ms run took 159 s).
    const RUNS = Math.max(MIN_RUNS, Math.min(MAX_RUNS, Math.floor(BUDGET_MS / (runMs * 1.7))));
    let kills = 0;
    let seed = 0x2545f491;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let run = 1; run <= RUNS; run++) {
      const before = sink.requests.length;
      // A quarter of the runs finish; the rest are killed anywhere from the first instruction to the end.
      const killAfterMs = random() < 1 / 4 ? null : Math.floor(random() * runMs);
      const started = Date.now();
      const result = await runOnce(home, NOW + world * 60_000, killAfterMs);
      // A run that finished says how long one takes now: kill times follow the machine's speed
      // (calibrated while it was busy and then quieter, only 14 of 42 runs were killed).
      if (!result.killed) runMs = Math.min(runMs, Math.max(50, Date.now() - started));
      await settle();
      if (result.killed) kills++;
      else expect([0, 1, 2]).toContain(result.code ?? -1);
      recordDeliveries(before, run, result.killed);
      if (existsSync(statePath)) {
        expect(readAlertState(JSON.parse(readFileSync(statePath, 'utf8'))), `state after run ${run}`).toMatchObject({ ok: true });
      }
      if (!result.killed) {
        // A completed run has delivered everything owed so far; the world moves on.
        const delivered = new Set(deliveries.map((d) => d.profile));
        for (let p = 0; p <= world; p++) expect(delivered, `run ${run}, world ${world}`).toContain(`p${p}:default`);
        world++;
        writeFileSync(storePath, storeForWorld(world));
      }
    }

    // One last run that finishes, as the next timer tick would: it owes nothing new and tidies up.
    const before = sink.requests.length;
    expect((await runOnce(home, NOW + world * 60_000, null)).killed).toBe(false);
    await settle();
    recordDeliveries(before, RUNS + 1, false);

    // Exactly once after a success: a notice may come again only after a run that was killed
    // between sending it and writing down that it was sent.
    const byProfile = new Map<string, typeof deliveries>();
    for (const d of deliveries) byProfile.set(d.profile, [...(byProfile.get(d.profile) ?? []), d]);
    let duplicates = 0;
    for (const [profile, list] of byProfile) {
      for (const earlier of list.slice(0, -1)) expect(earlier.runKilled, `${profile} sent again after run ${earlier.run} completed`).toBe(true);
      duplicates += list.length - 1;
    }
    expect(byProfile.has('steady:default')).toBe(false);
    const leftovers = readdirSync(join(home, '.local/state/authwatch')).filter((name) => name !== 'state.json' && name !== 'state.lock' && name !== 'last-run.json');
    expect(leftovers).toEqual([]);
    console.info(`SIGKILL test: ${RUNS} runs (one takes ${runMs} ms here), ${kills} killed, ${world} worlds, ${deliveries.length} notices delivered, ${duplicates} resent after a kill; no temp file left`);
    expect(kills).toBeGreaterThan(RUNS / 2);
    expect(world).toBeGreaterThan(RUNS / 10);
  });
});
