import type * as PromClient from 'prom-client';
import packageJson from '../../package.json' with { type: 'json' };
import type { Report } from '../evaluate/report.js';
import { statuses } from '../evaluate/status.js';

/** What the metrics describe: the last check and how the runs have gone. */
/** Running totals the daemon keeps across checks (a one-shot run has none). */
export interface DaemonCounters {
  /** Checks in which a source could not be read, per source name. */
  sourceErrors: Map<string, number>;
  /** Alert deliveries per `channel` and `result` (sent, failed). */
  notifications: Map<string, { channel: string; result: string; count: number }>;
}

export interface RunRecord {
  /** The last completed check; `null` before the first one finished. */
  report: Report | null;
  /** End of the last run (also a failed one), epoch ms. */
  lastRunAt: number | null;
  lastRunDurationMs: number | null;
  lastRunSuccess: boolean;
  lastSuccessAt: number | null;
  /** Alert notices still owed per channel after the last run; `null` without channels. */
  pendingNotifications: ReadonlyMap<string, number> | null;
}

export const metricNames = {
  expiry: 'authwatch_credential_expiry_timestamp_seconds',
  status: 'authwatch_credential_status',
  info: 'authwatch_credential_info',
  sourceUp: 'authwatch_source_up',
  sourceErrors: 'authwatch_source_errors_total',
  lastRun: 'authwatch_last_run_timestamp_seconds',
  lastSuccess: 'authwatch_last_success_timestamp_seconds',
  lastDuration: 'authwatch_last_run_duration_seconds',
  lastRunSuccess: 'authwatch_last_run_success',
  buildInfo: 'authwatch_build_info',
  notificationsPending: 'authwatch_notifications_pending',
  notificationsTotal: 'authwatch_notifications_total',
} as const;

type Client = typeof PromClient;
type Registry = PromClient.Registry;

/** Labels that identify one credential row. Report ids repeat across OpenClaw agents, so `agent` is one of them. */
function credentialLabels(e: Report['evaluations'][number]) {
  return { profile: e.profile.id, provider: e.profile.provider, source: e.profile.source, agent: e.profile.agent ?? '' };
}

const seconds = (ms: number) => ms / 1000;

/** The source names a report looked at, each up (1) unless one of its visits failed. */
export function sourceHealth(report: Report): Map<string, boolean> {
  const health = new Map<string, boolean>();
  for (const visit of report.visits) health.set(visit.name, (health.get(visit.name) ?? true) && visit.ok);
  return health;
}

/**
 * Registers authwatch's gauges on `registry`. Values are filled at collection time from
 * `latest()` after a reset, so a profile that disappeared leaves no stale series behind.
 */
export function registerAuthwatchMetrics(client: Client, registry: Registry, latest: () => RunRecord, counters?: DaemonCounters): void {
  const registers = [registry];
  if (counters) {
    new client.Counter({
      name: metricNames.sourceErrors,
      help: 'Checks in which a credential source could not be read, per source.',
      labelNames: ['source'],
      registers,
      collect() {
        this.reset();
        for (const [source, count] of counters.sourceErrors) this.inc({ source }, count);
      },
    });
    new client.Counter({
      name: metricNames.notificationsTotal,
      help: 'Alert deliveries per channel and result (sent, failed).',
      labelNames: ['channel', 'result'],
      registers,
      collect() {
        this.reset();
        for (const { channel, result, count } of counters.notifications.values()) this.inc({ channel, result }, count);
      },
    });
  }
  new client.Gauge({
    name: metricNames.notificationsPending,
    help: 'Alert notices not delivered yet per channel (failed, backing off, or held by quiet hours).',
    labelNames: ['channel'],
    registers,
    collect() {
      this.reset();
      for (const [channel, count] of latest().pendingNotifications ?? []) this.set({ channel }, count);
    },
  });
  const credentials = ['profile', 'provider', 'source', 'agent'] as const;
  const report = () => latest().report;

  new client.Gauge({
    name: metricNames.expiry,
    help: 'When the credential stops working, as a Unix timestamp; absent when it has no known expiry.',
    labelNames: credentials,
    registers,
    collect() {
      this.reset();
      for (const e of report()?.evaluations ?? []) {
        if (e.expiresAt !== null && e.status !== 'missing') this.set(credentialLabels(e), seconds(e.expiresAt));
      }
    },
  });
  new client.Gauge({
    name: metricNames.status,
    help: 'Credential status: one series per status value, exactly one of them 1.',
    labelNames: [...credentials, 'status'],
    registers,
    collect() {
      this.reset();
      for (const e of report()?.evaluations ?? []) {
        for (const status of statuses.options) this.set({ ...credentialLabels(e), status }, e.status === status ? 1 : 0);
      }
    },
  });
  new client.Gauge({
    name: metricNames.info,
    help: 'Credential metadata (always 1), for joins on profile.',
    labelNames: [...credentials, 'type', 'refreshable'],
    registers,
    collect() {
      this.reset();
      for (const e of report()?.evaluations ?? []) {
        this.set({ ...credentialLabels(e), type: e.profile.type ?? '', refreshable: String(e.profile.refreshable) }, 1);
      }
    },
  });
  new client.Gauge({
    name: metricNames.sourceUp,
    help: 'Whether every place of a credential source could be read (1) or not (0).',
    labelNames: ['source'],
    registers,
    collect() {
      this.reset();
      const current = report();
      if (current) for (const [source, up] of sourceHealth(current)) this.set({ source }, up ? 1 : 0);
    },
  });
  const runGauge = (name: string, help: string, value: (run: RunRecord) => number | null) =>
    new client.Gauge({
      name,
      help,
      registers,
      collect() {
        this.reset();
        const v = value(latest());
        if (v !== null) this.set(v);
      },
    });
  runGauge(metricNames.lastRun, 'End of the last check run, as a Unix timestamp (also when it failed).', (r) => (r.lastRunAt === null ? null : seconds(r.lastRunAt)));
  runGauge(metricNames.lastSuccess, 'End of the last check run that completed, as a Unix timestamp.', (r) => (r.lastSuccessAt === null ? null : seconds(r.lastSuccessAt)));
  runGauge(metricNames.lastDuration, 'How long the last check run took, in seconds.', (r) => (r.lastRunDurationMs === null ? null : seconds(r.lastRunDurationMs)));
  runGauge(metricNames.lastRunSuccess, 'Whether the last check run completed (1) or failed (0).', (r) => (r.lastRunAt === null ? null : r.lastRunSuccess ? 1 : 0));
  new client.Gauge({ name: metricNames.buildInfo, help: 'authwatch build information (always 1).', labelNames: ['version', 'node_version'], registers }).set(
    { version: packageJson.version, node_version: process.version },
    1,
  );
}

export async function loadPromClient(): Promise<Client> {
  return import('prom-client');
}

/**
 * One run's metrics in the Prometheus text format 0.0.4, for the node_exporter textfile and
 * the Pushgateway: a fresh registry without process metrics (an exited process's CPU time is
 * noise) and no sample timestamps (node_exporter rejects files that have them).
 */
export async function renderMetricsText(run: RunRecord): Promise<string> {
  const client = await loadPromClient();
  const registry = new client.Registry();
  registerAuthwatchMetrics(client, registry, () => run);
  return registry.metrics();
}

/** The record of a single completed check run (the `check` command's one run). */
export function singleRun(report: Report, durationMs: number, pendingNotifications: ReadonlyMap<string, number> | null = null): RunRecord {
  return { report, lastRunAt: report.checkedAt, lastRunDurationMs: durationMs, lastRunSuccess: true, lastSuccessAt: report.checkedAt, pendingNotifications };
}
