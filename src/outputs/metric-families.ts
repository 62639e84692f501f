import packageJson from '../../package.json' with { type: 'json' };
import type { Report } from '../evaluate/report.js';
import { openWindows } from '../evaluate/live.js';
import { statuses } from '../evaluate/status.js';

/** What the metrics describe: the last check and how the runs have gone. */
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

/** Running totals the daemon keeps across checks (a one-shot run has none). Replaced, never mutated. */
export interface DaemonCounters {
  /** Checks in which a source could not be read, per source name. */
  sourceErrors: ReadonlyMap<string, number>;
  /** Alert deliveries per channel and result (sent, failed). */
  notifications: ReadonlyMap<string, { channel: string; result: string; count: number }>;
}

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  labelNames: readonly string[];
  samples: Sample[];
}

const credentialLabelNames = ['profile', 'provider', 'source', 'agent'] as const;

/** Labels that identify one credential row. Report ids repeat across OpenClaw agents, so `agent` is one of them. */
function credentialLabels(e: Report['evaluations'][number]) {
  return { profile: e.profile.id, provider: e.profile.provider, source: e.profile.source, agent: e.profile.agent ?? '' };
}

/** The source names a report looked at, each up unless one of its visits failed. */
export function sourceHealth(report: Report): Map<string, boolean> {
  const health = new Map<string, boolean>();
  for (const visit of report.visits) health.set(visit.name, (health.get(visit.name) ?? true) && visit.ok);
  return health;
}

const seconds = (ms: number) => ms / 1000;
const single = (value: number | null): Sample[] => (value === null ? [] : [{ labels: {}, value }]);

/**
 * Every authwatch metric with its samples, built from the last run. Pure: the textfile, the
 * Pushgateway and the daemon's registry all render this, so they cannot disagree. A profile
 * that is gone from the report is gone from here: no stale series.
 */
export function metricFamilies(run: RunRecord, counters?: DaemonCounters): MetricFamily[] {
  const evaluations = run.report?.evaluations ?? [];
  const families: MetricFamily[] = [
    {
      name: 'authwatch_credential_expiry_timestamp_seconds',
      help: 'When the credential stops working, as a Unix timestamp; absent when it has no known expiry.',
      type: 'gauge',
      labelNames: credentialLabelNames,
      samples: evaluations.filter((e) => e.expiresAt !== null && e.status !== 'missing').map((e) => ({ labels: credentialLabels(e), value: seconds(e.expiresAt!) })),
    },
    {
      name: 'authwatch_credential_status',
      help: 'Credential status: one series per status value, exactly one of them 1.',
      type: 'gauge',
      labelNames: [...credentialLabelNames, 'status'],
      samples: evaluations.flatMap((e) => statuses.map((status) => ({ labels: { ...credentialLabels(e), status }, value: e.status === status ? 1 : 0 }))),
    },
    {
      name: 'authwatch_credential_info',
      help: 'Credential metadata (always 1), for joins on profile.',
      type: 'gauge',
      labelNames: [...credentialLabelNames, 'type', 'refreshable'],
      samples: evaluations.map((e) => ({ labels: { ...credentialLabels(e), type: e.profile.type ?? '', refreshable: String(e.profile.refreshable) }, value: 1 })),
    },
    {
      name: 'authwatch_credential_file_exposed',
      help: 'Whether the file holding the credential can be read by other users (1) or only its owner (0).',
      type: 'gauge',
      labelNames: credentialLabelNames,
      samples: evaluations.filter((e) => e.profile.path !== null && e.profile.problem === null).map((e) => ({ labels: credentialLabels(e), value: e.profile.fileExposed ? 1 : 0 })),
    },
    {
      name: 'authwatch_source_up',
      help: 'Whether every place of a credential source could be read (1) or not (0).',
      type: 'gauge',
      labelNames: ['source'],
      samples: run.report ? [...sourceHealth(run.report)].map(([source, up]) => ({ labels: { source }, value: up ? 1 : 0 })) : [],
    },
    {
      name: 'authwatch_last_run_timestamp_seconds',
      help: 'End of the last check run, as a Unix timestamp (also when it failed).',
      type: 'gauge',
      labelNames: [],
      samples: single(run.lastRunAt === null ? null : seconds(run.lastRunAt)),
    },
    {
      name: 'authwatch_last_success_timestamp_seconds',
      help: 'End of the last check run that completed, as a Unix timestamp.',
      type: 'gauge',
      labelNames: [],
      samples: single(run.lastSuccessAt === null ? null : seconds(run.lastSuccessAt)),
    },
    {
      name: 'authwatch_last_run_duration_seconds',
      help: 'How long the last check run took, in seconds.',
      type: 'gauge',
      labelNames: [],
      samples: single(run.lastRunDurationMs === null ? null : seconds(run.lastRunDurationMs)),
    },
    {
      name: 'authwatch_last_run_success',
      help: 'Whether the last check run completed (1) or failed (0).',
      type: 'gauge',
      labelNames: [],
      samples: single(run.lastRunAt === null ? null : run.lastRunSuccess ? 1 : 0),
    },
    {
      name: 'authwatch_build_info',
      help: 'authwatch build information (always 1).',
      type: 'gauge',
      labelNames: ['version', 'node_version'],
      samples: [{ labels: { version: packageJson.version, node_version: process.version }, value: 1 }],
    },
    {
      name: 'authwatch_notifications_pending',
      help: 'Alert notices not delivered yet per channel (failed, backing off, or held by quiet hours).',
      type: 'gauge',
      labelNames: ['channel'],
      samples: [...(run.pendingNotifications ?? [])].map(([channel, value]) => ({ labels: { channel }, value })),
    },
  ];
  families.push(...liveFamilies(evaluations, run.report?.checkedAt ?? 0));
  if (counters) {
    families.push(
      {
        name: 'authwatch_source_errors_total',
        help: 'Checks in which a credential source could not be read, per source.',
        type: 'counter',
        labelNames: ['source'],
        samples: [...counters.sourceErrors].map(([source, value]) => ({ labels: { source }, value })),
      },
      {
        name: 'authwatch_notifications_total',
        help: 'Alert deliveries per channel and result (sent, failed).',
        type: 'counter',
        labelNames: ['channel', 'result'],
        samples: [...counters.notifications.values()].map(({ channel, result, count }) => ({ labels: { channel, result }, value: count })),
      },
    );
  }
  return families;
}

/**
 * The live checks' families (src/live), only when some profile had one: a run without live
 * checks exports exactly what it did before. `live_ok` is 1 works, 0 rejected or no credit;
 * the other verdicts say nothing about the credential and give no sample.
 */
function liveFamilies(evaluations: Report['evaluations'], now: number): MetricFamily[] {
  const checked = evaluations.filter((e) => e.live !== undefined && e.live.verdict !== 'not-checkable');
  if (checked.length === 0) return [];
  const windows = checked.flatMap((e) => openWindows(e.live!, now).map((window) => ({ e, window })));
  return [
    {
      name: 'authwatch_credential_live_ok',
      help: 'Whether the provider accepted the credential at its last live check (1) or refused it (0: rejected, no credit).',
      type: 'gauge',
      labelNames: credentialLabelNames,
      samples: checked.filter((e) => ['works', 'rejected', 'no-credit'].includes(e.live!.verdict)).map((e) => ({ labels: credentialLabels(e), value: e.live!.verdict === 'works' ? 1 : 0 })),
    },
    {
      name: 'authwatch_credential_live_checked_timestamp_seconds',
      help: 'When the last live check of the credential got its verdict, as a Unix timestamp.',
      type: 'gauge',
      labelNames: credentialLabelNames,
      samples: checked.map((e) => ({ labels: credentialLabels(e), value: seconds(e.live!.observedAt) })),
    },
    {
      name: 'authwatch_quota_utilization_ratio',
      help: 'Share of a usage window used at the last live check (0–1; 1 = out of quota).',
      type: 'gauge',
      labelNames: [...credentialLabelNames, 'window'],
      samples: windows.map(({ e, window }) => ({ labels: { ...credentialLabels(e), window: window.name }, value: window.utilization })),
    },
    {
      name: 'authwatch_quota_resets_timestamp_seconds',
      help: 'When a usage window resets, as a Unix timestamp.',
      type: 'gauge',
      labelNames: [...credentialLabelNames, 'window'],
      samples: windows.filter(({ window }) => window.resetsAt !== null).map(({ e, window }) => ({ labels: { ...credentialLabels(e), window: window.name }, value: seconds(window.resetsAt!) })),
    },
  ];
}

/** The record of a single completed check run (the `check` command's one run). */
export function singleRun(report: Report, durationMs: number, pendingNotifications: ReadonlyMap<string, number> | null = null): RunRecord {
  return { report, lastRunAt: report.checkedAt, lastRunDurationMs: durationMs, lastRunSuccess: true, lastSuccessAt: report.checkedAt, pendingNotifications };
}
