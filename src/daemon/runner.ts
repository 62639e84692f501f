import type { Config } from '../config/schema.js';
import { describeSpan } from '../core/duration.js';
import { policyFromConfig } from '../evaluate/policy.js';
import type { Report } from '../evaluate/report.js';
import type { Logger } from '../core/log.js';
import type { Machine, RunRecord } from '../outputs/metric-families.js';
import { saveLastRun } from '../pipeline/last-run.js';
import { runCheck } from '../pipeline/run-check.js';
import { gatewayInputs } from '../pipeline/gateway-inputs.js';
import { prepareLive } from '../live/prepare.js';
import { AuthwatchError, ExitCode } from '../core/errors.js';
import type { HeartbeatSession, RunEnd } from '../alerts/heartbeats.js';

/** The daemon's channel outcomes are in the alert state (status reads them there). */
const daemonRun = { command: 'daemon', channels: null, heartbeats: null, metrics: 'daemon /metrics' } as const;

export interface RunnerDeps {
  env: NodeJS.ProcessEnv;
  home: string;
  log: Logger;
  config: () => Config;
  /** The machine's name and check interval, read when a check ends (a reload may change them). */
  machine: () => Machine;
  /** Called with every completed check, before its record is published (the daemon's counters). */
  checked: (report: Report) => void;
  /** Sends the alerts a check calls for; resolves to the notices still owed, `null` without channels. */
  deliver: (report: Report, now: number) => Promise<ReadonlyMap<string, number> | null>;
  /** Starts the heartbeat pings of a check (`null` without targets); scrape checks ping nothing. */
  heartbeats?: () => Promise<HeartbeatSession | null>;
}

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs checks one at a time and keeps the last one as the snapshot every HTTP answer is made
 * from. A check publishes its record as soon as the credentials are judged; its alert delivery
 * runs after that, on its own, so a receiver that never answers holds up no scrape and no next
 * check. Requests for a check while one runs share it; deliveries run one at a time, and a
 * check that ends while one is under way leaves only its report waiting (a newer one replaces
 * it). A check or a delivery that throws is logged and never stops the daemon.
 */
export class CheckRunner {
  record: RunRecord;
  private checking: Promise<void> | null = null;
  private delivering: Promise<void> | null = null;
  private waiting: { report: Report; now: number } | null = null;
  private stopping = false;
  /** Each reported row's status at the last check (`agent/id`), for logging only what changed. */
  private statuses = new Map<string, { status: string; detail: string }>();

  constructor(private readonly deps: RunnerDeps) {
    this.record = { report: null, lastRunAt: null, lastRunDurationMs: null, lastRunSuccess: false, lastSuccessAt: null, pendingNotifications: null, machine: deps.machine() };
  }

  /** Starts a check unless one is running; resolves once its record is published (not its delivery). */
  run(reason: string): Promise<void> {
    if (this.stopping) return Promise.resolve();
    this.checking ??= this.checkOnce(reason).finally(() => (this.checking = null));
    return this.checking;
  }

  /**
   * Delivers the last check's report again, now: what the alerts add to it of their own (the
   * gateways' live events) goes out at once instead of with the next check. Before the first
   * check has finished, that check's delivery takes it along.
   */
  redeliver(): void {
    if (this.record.report !== null) this.queueDelivery(this.record.report, Date.now());
  }

  /** Starts a check in the background when the last one is older than `ttlMs`; never waits for it. */
  refresh(ttlMs: number): void {
    const last = this.record.lastRunAt;
    if (this.checking === null && (last === null || Date.now() - last > ttlMs)) void this.run('scrape');
  }

  /**
   * For a clean shutdown: no new check or delivery starts, a waiting delivery is dropped (its
   * notices are still owed in the state, so the next start sends them), and this resolves once
   * the running check and the running delivery are over — a delivery under way saves what it
   * sent, so nothing goes out twice.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    this.waiting = null;
    while (this.checking || this.delivering) await Promise.all([this.checking, this.delivering]);
  }

  health(staleAfterMs: number): { ok: boolean; message: string } {
    const { lastSuccessAt, lastRunSuccess, lastRunAt } = this.record;
    if (lastRunAt === null) return { ok: false, message: 'no check has run yet' };
    if (!lastRunSuccess) return { ok: false, message: 'the last check failed' };
    const age = Date.now() - (lastSuccessAt ?? 0);
    if (age > staleAfterMs) return { ok: false, message: `stale: the last completed check was ${describeSpan(-age)}` };
    return { ok: true, message: `ok: last check ${describeSpan(-age)}` };
  }

  private async checkOnce(reason: string): Promise<void> {
    const { env, home, log } = this.deps;
    const started = performance.now();
    const now = Date.now();
    // The schedule's checks (and start and reload) ping; the scrapes' would flood the service.
    const pings = reason === 'scrape' ? null : await this.deps.heartbeats?.().catch(() => null);
    try {
      const config = this.deps.config();
      // Made per check from the config of now: a reload that turns live checks on or off counts
      // from the next check. Its requests run inside the check, never on a request's path.
      const live = await prepareLive(config, false, { env, home, now, log });
      const context = { env, home, now, agent: null, openclawProfiles: config.openclaw.profiles };
      // The gateways of the config of now, like the live checks: a reload counts from the next check.
      const gateways = await gatewayInputs(context, undefined, config, null, log);
      const report = await runCheck({ context, config, policy: policyFromConfig(config), log, remembers: true, live, gateways });
      const durationMs = performance.now() - started;
      this.deps.checked(report);
      // Info is for changes (and the rarer start, schedule and reload checks); a scrape's check is debug.
      const changes = statusChanges(this.statuses, report);
      this.statuses = statusesOf(report);
      for (const change of changes) log.info(change, 'profile status changed');
      const previous = this.record.report?.status ?? null;
      const finished = { reason, status: report.status, ...(previous !== null && previous !== report.status ? { previous } : {}), profiles: report.evaluations.length, durationMs: Math.round(durationMs) };
      if (reason !== 'scrape' || previous !== report.status) log.info(finished, 'check finished');
      else log.debug(finished, 'check finished');
      const at = Date.now();
      this.record = { ...this.record, report, lastRunAt: at, lastRunDurationMs: durationMs, lastRunSuccess: true, lastSuccessAt: at, machine: this.deps.machine() };
      saveLastRun(env, home, { ...daemonRun, finishedAt: at, durationMs, exitCode: report.exitCode, status: report.status, error: null });
      this.queueDelivery(report, now);
      await this.endPings(pings, { exitCode: report.exitCode, durationMs, report, error: null });
    } catch (error) {
      this.record = { ...this.record, lastRunAt: Date.now(), lastRunDurationMs: performance.now() - started, lastRunSuccess: false, machine: this.deps.machine() };
      log.error({ reason, error: errorMessage(error) }, 'check failed; keeping the last good values');
      const message = error instanceof AuthwatchError ? error.message : 'the check failed (see the log)';
      saveLastRun(env, home, { ...daemonRun, finishedAt: Date.now(), durationMs: performance.now() - started, exitCode: ExitCode.CouldNotRun, status: null, error: message });
      await this.endPings(pings, { exitCode: ExitCode.CouldNotRun, durationMs: performance.now() - started, report: null, error: message });
    }
  }

  /** A failed ping is a warning in the log; it never fails the check. */
  private async endPings(pings: HeartbeatSession | null | undefined, end: RunEnd): Promise<void> {
    if (!pings) return;
    for (const outcome of await pings.finish(end)) {
      if (outcome.result === 'failed') this.deps.log.warn({ heartbeat: outcome.name, error: outcome.error }, 'heartbeat ping failed; the check is not affected, the service will report a missed ping');
    }
  }

  private queueDelivery(report: Report, now: number): void {
    if (this.stopping) return;
    this.waiting = { report, now };
    this.delivering ??= this.deliverWaiting();
  }

  /** Delivers the waiting report, and the next one that came meanwhile, until none waits. */
  private async deliverWaiting(): Promise<void> {
    try {
      for (let next = this.waiting; next !== null; next = this.waiting) {
        this.waiting = null;
        try {
          const pending = await this.deps.deliver(next.report, next.now);
          this.record = { ...this.record, pendingNotifications: pending };
        } catch (error) {
          this.deps.log.error({ error: errorMessage(error) }, 'alert delivery failed; the notices stay pending');
        }
      }
    } finally {
      // In the same step as the last look at `waiting`: a report queued later starts a new round.
      this.delivering = null;
    }
  }
}

/** Every row the last check reported, route rows included, by `agent/id`. */
function statusesOf(report: Report): Map<string, { status: string; detail: string }> {
  const rows = [...report.evaluations, ...report.alertRows.filter((row) => row.profile.source === 'route')];
  return new Map(rows.map((row) => [`${row.profile.agent ?? ''}/${row.profile.id}`, { status: row.status, detail: row.detail }]));
}

/**
 * The rows whose status differs from the last check's (a row first seen counts as coming from
 * ok: a daemon's first check names what is already bad), and bad rows no longer reported.
 */
function statusChanges(before: ReadonlyMap<string, { status: string }>, report: Report): { profile: string; from: string; to: string; detail?: string }[] {
  const now = statusesOf(report);
  const changes: { profile: string; from: string; to: string; detail?: string }[] = [];
  for (const [key, { status, detail }] of now) {
    const from = before.get(key)?.status ?? 'ok';
    if (from !== status) changes.push({ profile: key.replace(/^\//, ''), from, to: status, ...(status === 'ok' ? {} : { detail }) });
  }
  for (const [key, { status }] of before) if (!now.has(key) && status !== 'ok') changes.push({ profile: key.replace(/^\//, ''), from: status, to: 'gone' });
  return changes;
}

