import type { Config } from '../config/schema.js';
import { describeSpan } from '../core/duration.js';
import { policyFromConfig } from '../evaluate/policy.js';
import type { Report } from '../evaluate/report.js';
import type { Logger } from '../core/log.js';
import type { RunRecord } from '../outputs/metric-families.js';
import { saveLastRun } from '../pipeline/last-run.js';
import { runCheck } from '../pipeline/run-check.js';
import { AuthwatchError, ExitCode } from '../core/errors.js';

/** The daemon's channel outcomes are in the alert state (status reads them there). */
const daemonRun = { command: 'daemon', channels: null, metrics: 'daemon /metrics' } as const;

export interface RunnerDeps {
  env: NodeJS.ProcessEnv;
  home: string;
  log: Logger;
  config: () => Config;
  /** Called after every completed check (metrics counters; alert delivery); may report pending notices. */
  afterCheck: (report: Report, now: number) => Promise<ReadonlyMap<string, number> | null | void> | void;
  /** Called once a check is over and its results are stored, whether it succeeded or not. */
  settled?: () => void;
}

/**
 * Runs checks one at a time and remembers the last one. Overlapping requests for a check (the
 * schedule firing while a scrape refreshes) share the run in flight; a check that throws is
 * recorded as a failed run and never stops the daemon, which keeps serving the last good report.
 */
export class CheckRunner {
  record: RunRecord = { report: null, lastRunAt: null, lastRunDurationMs: null, lastRunSuccess: false, lastSuccessAt: null, pendingNotifications: null };
  private inFlight: Promise<void> | null = null;

  constructor(private readonly deps: RunnerDeps) {}

  run(reason: string): Promise<void> {
    this.inFlight ??= this.runOnce(reason).finally(() => {
      this.inFlight = null;
      this.deps.settled?.();
    });
    return this.inFlight;
  }

  /** Re-reads the credentials first when the last check is older than `ttlMs`. */
  async ensureFresh(ttlMs: number): Promise<void> {
    const last = this.record.lastRunAt;
    if (last === null || Date.now() - last > ttlMs) await this.run('scrape');
  }

  /** Resolves when no check is running (for a clean shutdown). */
  async idle(): Promise<void> {
    await this.inFlight;
  }

  health(staleAfterMs: number): { ok: boolean; message: string } {
    const { lastSuccessAt, lastRunSuccess, lastRunAt } = this.record;
    if (lastRunAt === null) return { ok: false, message: 'no check has run yet' };
    if (!lastRunSuccess) return { ok: false, message: 'the last check failed' };
    const age = Date.now() - (lastSuccessAt ?? 0);
    if (age > staleAfterMs) return { ok: false, message: `stale: the last completed check was ${describeSpan(-age)}` };
    return { ok: true, message: `ok: last check ${describeSpan(-age)}` };
  }

  private async runOnce(reason: string): Promise<void> {
    const { env, home, log } = this.deps;
    const started = performance.now();
    const now = Date.now();
    try {
      const config = this.deps.config();
      const report = await runCheck({ context: { env, home, now, agent: null }, config, policy: policyFromConfig(config), log });
      const durationMs = performance.now() - started;
      log.info({ reason, status: report.status, profiles: report.evaluations.length, durationMs: Math.round(durationMs) }, 'check finished');
      const pending = await Promise.resolve(this.deps.afterCheck(report, now)).catch((error: unknown) => {
        log.error({ error: error instanceof Error ? error.message : String(error) }, 'after-check step failed');
        return this.record.pendingNotifications;
      });
      this.record = {
        report,
        lastRunAt: Date.now(),
        lastRunDurationMs: durationMs,
        lastRunSuccess: true,
        lastSuccessAt: Date.now(),
        pendingNotifications: pending ?? null,
      };
      saveLastRun(env, home, { ...daemonRun, finishedAt: Date.now(), durationMs, exitCode: report.exitCode, status: report.status, error: null });
    } catch (error) {
      this.record = { ...this.record, lastRunAt: Date.now(), lastRunDurationMs: performance.now() - started, lastRunSuccess: false };
      log.error({ reason, err: error }, 'check failed; keeping the last good values');
      const message = error instanceof AuthwatchError ? error.message : 'the check failed (see the log)';
      saveLastRun(env, home, { ...daemonRun, finishedAt: Date.now(), durationMs: performance.now() - started, exitCode: ExitCode.CouldNotRun, status: null, error: message });
    }
  }
}
