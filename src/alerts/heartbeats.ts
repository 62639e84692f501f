import { scrub } from '../core/scrub.js';
import { providerAvailability, runSummary, type ProviderAvailability } from '../evaluate/availability.js';
import { statusRank } from '../evaluate/status.js';
import { heartbeatTargets, type HeartbeatConfig } from './heartbeat-targets.js';
import type { Heartbeat, HeartbeatVerdict } from './heartbeat-types.js';
import type { Report } from '../evaluate/report.js';
import type { NotifierDeps } from './notifier.js';

/** How a run ended, as every heartbeat target hears it. */
export interface RunEnd {
  exitCode: number;
  durationMs: number;
  /** `null` when the run ended before the credentials were judged. */
  report: Report | null;
  /** Why the run could not run or owes something (exit 3), in one line; `null` otherwise. */
  error: string | null;
}

const bad = (e: ProviderAvailability, expiringFails: boolean) => !e.available || (expiringFails && e.status === 'expiring');

/**
 * What one target hears at the end of a run. The whole run fails on exit 1 (expired, missing,
 * unreadable) and 3 (could not run, alerts owed), and on 2 with `expiringFails`; a provider's
 * target fails while its provider is unavailable (or not in use at all: it was asked to watch it).
 */
function verdictFor(target: Pick<HeartbeatConfig, 'provider' | 'expiringFails'>, end: RunEnd, runId: string): HeartbeatVerdict {
  const base = { exitCode: end.exitCode, durationMs: end.durationMs, runId };
  const tail = `exit ${end.exitCode}, took ${Math.round(end.durationMs)} ms`;
  if (end.report === null) {
    const line = `could not run: ${end.error ?? 'see the log'}`;
    return { ...base, failed: true, line, body: `${line}\n${tail}\n` };
  }
  const providers = providerAvailability(end.report);
  if (target.provider !== undefined) {
    const mine = providers.filter((p) => p.provider === target.provider).toSorted((a, b) => Number(a.available) - Number(b.available) || statusRank[b.status] - statusRank[a.status]);
    const failed = mine.length === 0 || mine.some((p) => bad(p, target.expiringFails));
    const line = mine.length === 0 ? `${target.provider} is not in use here (no route or credential for it)` : mine[0]!.line;
    return { ...base, failed, line, body: `${[line, ...mine.slice(1).map((p) => p.line)].join('\n')}\n${tail}\n` };
  }
  const failed = end.exitCode === 1 || end.exitCode === 3 || (target.expiringFails && end.exitCode === 2);
  const summary = runSummary(end.report);
  const line = end.exitCode === 3 && end.error ? `${end.error}; ${summary}` : summary;
  return { ...base, failed, line, body: `${[line, ...providers.map((p) => p.line)].join('\n')}\n${tail}\n` };
}

interface HeartbeatOutcome {
  name: string;
  result: 'sent' | 'failed';
  error: string | null;
}

export interface HeartbeatSession {
  /** Sends each target's end signal; never rejects: a failed ping is an outcome, not a failed check. */
  finish(end: RunEnd): Promise<HeartbeatOutcome[]>;
}

/**
 * Starts the run's heartbeats: the start signals go out at once, in parallel, and the run does
 * not wait for them (the end signals do). A ping that fails is logged and reported, never thrown.
 */
export function startHeartbeats(targets: readonly HeartbeatConfig[], deps: NotifierDeps): HeartbeatSession {
  const runId = process.getBuiltinModule('node:crypto').randomUUID();
  const errors = new Map<string, string>();
  const fail = (name: string, when: string) => (error: unknown) => {
    const message = scrub(error instanceof Error ? error.message : String(error));
    deps.log.debug({ heartbeat: name, error: message }, `heartbeat ${when} ping failed; the check's result is not affected`);
    errors.set(name, errors.has(name) ? `${errors.get(name)}; ${message}` : message);
  };
  const started = targets.map((target) => {
    const heartbeat = (heartbeatTargets[target.type].create as (config: HeartbeatConfig, deps: NotifierDeps) => Heartbeat)(target, deps);
    return { target, heartbeat, start: heartbeat.start(runId).catch(fail(target.name, 'start')) };
  });
  return {
    async finish(end) {
      return Promise.all(
        started.map(async ({ target, heartbeat, start }): Promise<HeartbeatOutcome> => {
          await start;
          await heartbeat.finish(verdictFor(target, end, runId)).catch(fail(target.name, 'end'));
          const error = errors.get(target.name) ?? null;
          return { name: target.name, result: error === null ? 'sent' : 'failed', error };
        }),
      );
    },
  };
}

/** One line for stderr about a failed ping. */
export function describeHeartbeat(outcome: HeartbeatOutcome): string | null {
  return outcome.result === 'failed' ? `heartbeat ${outcome.name} failed: ${outcome.error} (the check's result is not affected; the service will report a missed ping)` : null;
}

