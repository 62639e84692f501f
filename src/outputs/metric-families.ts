import packageJson from '../../package.json' with { type: 'json' };
import type { Report } from '../evaluate/report.js';
import { skipsWorkingCredential, type Route } from '../evaluate/routes.js';
import { openWindows } from '../evaluate/live.js';
import { paceOf } from '../evaluate/pace.js';
import { balanceFindings } from '../evaluate/balance.js';
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
  machine: Machine;
}

/** Who ran the checks and how often they are due: what every route's dead-man rules need. */
export interface Machine {
  /** The machine's name (`alerting.host`, else the host name): the same on every route. */
  host: string;
  /** Seconds between scheduled checks (the daemon's schedule, `check --interval`); `null` when unknown. */
  checkIntervalSeconds: number | null;
}

/** Running totals the daemon keeps across checks (a one-shot run has none). Replaced, never mutated. */
export interface DaemonCounters {
  /** Checks in which a source could not be read, per source (and fleet gateway). */
  sourceErrors: ReadonlyMap<string, { labels: SourceLabels; count: number }>;
  /** Alert deliveries per channel and result (sent, failed). */
  notifications: ReadonlyMap<string, { channel: string; result: string; count: number }>;
  /** Credential failures the gateways' live events reported, per gateway, provider, reason and kind. */
  gatewayEvents: ReadonlyMap<string, { labels: GatewayEventLabels; count: number }>;
  /** Whether each watched gateway's event connection is open (1) or not (0). */
  gatewayConnected: ReadonlyMap<string, { labels: { gateway?: string }; connected: boolean }>;
}

/** A live event's labels: the fleet gateway (as every gateway series), the provider, the failover reason, failed or fallback. */
export interface GatewayEventLabels {
  gateway?: string;
  provider: string;
  reason: string;
  kind: string;
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

/**
 * `gateway` is the fleet name of the gateway that reported the row (the config's `gateways`)
 * and is left out of every other sample: Prometheus treats a missing label as an empty one, so
 * the series of the files and of a single gateway found otherwise stay what they were.
 */
const credentialLabelNames = ['profile', 'provider', 'source', 'agent', 'gateway'] as const;
type CredentialLabels = Record<Exclude<(typeof credentialLabelNames)[number], 'gateway'>, string> & { gateway?: string };
type Evaluation = Report['evaluations'][number];

/** What the text becomes in UTF-8: a lone surrogate turns into U+FFFD. */
const wellFormed = (text: string) => text.toWellFormed();
const identity = (l: CredentialLabels) => `${l.profile}\u0000${l.provider}\u0000${l.source}\u0000${l.agent}\u0000${l.gateway ?? ''}`;
/** The `gateway` label of a row or route, only where a fleet gateway reported it. */
export const gatewayLabel = (gateway: string | null | undefined): { gateway?: string } => (gateway ? { gateway: wellFormed(gateway) } : {});

/**
 * The labels of every credential row, unique by construction: a Pushgateway refuses a push with
 * two series of one identity (and Prometheus keeps only one). Rows that would share one — the
 * same id in `~/.clawdbot` and `~/.openclaw`, or in a store and its state file — get the file
 * they came from in `profile`; should that still repeat, an ordinal. Values are made
 * well-formed first: two ids differing only in a lone surrogate are one string in UTF-8.
 */
function credentialLabelSets(evaluations: readonly Evaluation[]): CredentialLabels[] {
  const labels: CredentialLabels[] = new Array<CredentialLabels>(evaluations.length);
  const counts = new Map<string, number>();
  for (let i = 0; i < evaluations.length; i++) {
    const { profile } = evaluations[i]!;
    const l = { profile: wellFormed(profile.id), provider: wellFormed(profile.provider), source: wellFormed(profile.source), agent: wellFormed(profile.agent ?? ''), ...gatewayLabel(profile.gateway) };
    labels[i] = l;
    counts.set(identity(l), (counts.get(identity(l)) ?? 0) + 1);
  }
  const taken = new Set<string>();
  for (let i = 0; i < labels.length; i++) {
    let l = labels[i]!;
    if (counts.get(identity(l))! > 1) l = { ...l, profile: `${l.profile} (${wellFormed(evaluations[i]!.profile.path ?? 'no file')})` };
    const base = l.profile;
    for (let n = 2; taken.has(identity(l)); n++) l = { ...l, profile: `${base} #${n}` };
    taken.add(identity(l));
    labels[i] = l;
  }
  return labels;
}

/** One sample per evaluation that `include` takes, labelled as `credentialLabelSets` says. */
function credentialSamples(evaluations: readonly Evaluation[], labels: readonly CredentialLabels[], include: (e: Evaluation) => boolean, sample: (e: Evaluation, labels: CredentialLabels) => Sample): Sample[] {
  const samples: Sample[] = [];
  for (let i = 0; i < evaluations.length; i++) if (include(evaluations[i]!)) samples.push(sample(evaluations[i]!, labels[i]!));
  return samples;
}

/** A source as its metrics name it: each gateway of the config's `gateways` on its own. */
export interface SourceLabels {
  source: string;
  gateway?: string;
}

/** The sources a report looked at (by `source` and `gateway` label), each up unless one of its visits failed. */
export function sourceHealth(report: Report): Map<string, { labels: SourceLabels; up: boolean }> {
  const health = new Map<string, { labels: SourceLabels; up: boolean }>();
  for (const visit of report.visits) {
    const labels = { source: visit.name, ...gatewayLabel(visit.gateway) };
    const key = `${labels.source}\u0000${labels.gateway ?? ''}`;
    health.set(key, { labels, up: (health.get(key)?.up ?? true) && visit.ok });
  }
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
  const labels = credentialLabelSets(evaluations);
  const all = () => true;
  const families: MetricFamily[] = [
    {
      name: 'authwatch_credential_expiry_timestamp_seconds',
      help: 'When the credential stops working, as a Unix timestamp; absent when it has no known expiry.',
      type: 'gauge',
      labelNames: credentialLabelNames,
      samples: credentialSamples(evaluations, labels, (e) => e.expiresAt !== null && e.status !== 'missing', (e, l) => ({ labels: l, value: seconds(e.expiresAt!) })),
    },
    {
      name: 'authwatch_credential_status',
      help: 'Credential status: one series per status value, exactly one of them 1.',
      type: 'gauge',
      labelNames: [...credentialLabelNames, 'status'],
      samples: evaluations.flatMap((e, i) => statuses.map((status) => ({ labels: { ...labels[i]!, status }, value: e.status === status ? 1 : 0 }))),
    },
    {
      name: 'authwatch_credential_info',
      help: 'Credential metadata (always 1), for joins on profile.',
      type: 'gauge',
      labelNames: [...credentialLabelNames, 'type', 'refreshable'],
      samples: credentialSamples(evaluations, labels, all, (e, l) => ({ labels: { ...l, type: e.profile.type ?? '', refreshable: String(e.profile.refreshable) }, value: 1 })),
    },
    {
      name: 'authwatch_credential_file_exposed',
      help: 'Whether the file holding the credential can be read by other users (1) or only its owner (0).',
      type: 'gauge',
      labelNames: credentialLabelNames,
      samples: credentialSamples(evaluations, labels, (e) => e.profile.path !== null && e.profile.problem === null, (e, l) => ({ labels: l, value: e.profile.fileExposed ? 1 : 0 })),
    },
    {
      name: 'authwatch_source_up',
      help: 'Whether every place of a credential source could be read (1) or not (0).',
      type: 'gauge',
      labelNames: ['source', 'gateway'],
      samples: run.report ? [...sourceHealth(run.report).values()].map(({ labels, up }) => ({ labels: { ...labels }, value: up ? 1 : 0 })) : [],
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
      name: 'authwatch_host_info',
      help: 'The machine authwatch runs on (always 1): join on job and instance for a host label that is the same on every route.',
      type: 'gauge',
      labelNames: ['host'],
      samples: [{ labels: { host: wellFormed(run.machine.host) }, value: 1 }],
    },
    {
      name: 'authwatch_check_interval_seconds',
      help: 'Seconds between scheduled checks; the dead-man alert fires after three missed ones.',
      type: 'gauge',
      labelNames: [],
      samples: single(run.machine.checkIntervalSeconds),
    },
    {
      name: 'authwatch_notifications_pending',
      help: 'Alert notices not delivered yet per channel (failed, backing off, or held by quiet hours).',
      type: 'gauge',
      labelNames: ['channel'],
      samples: [...(run.pendingNotifications ?? [])].map(([channel, value]) => ({ labels: { channel }, value })),
    },
  ];
  families.push(...routeFamilies(run.report, labels));
  families.push(...liveFamilies(evaluations, labels, run.report?.checkedAt ?? 0));
  if (counters) {
    families.push(
      {
        name: 'authwatch_source_errors_total',
        help: 'Checks in which a credential source could not be read, per source.',
        type: 'counter',
        labelNames: ['source', 'gateway'],
        samples: [...counters.sourceErrors.values()].map(({ labels, count }) => ({ labels: { ...labels }, value: count })),
      },
      {
        name: 'authwatch_notifications_total',
        help: 'Alert deliveries per channel and result (sent, failed).',
        type: 'counter',
        labelNames: ['channel', 'result'],
        samples: [...counters.notifications.values()].map(({ channel, result, count }) => ({ labels: { channel, result }, value: count })),
      },
      {
        name: 'authwatch_gateway_events_total',
        help: "Credential failures the gateways' live events reported (a run failed or fell back for auth, billing or a rate limit).",
        type: 'counter',
        labelNames: ['gateway', 'provider', 'reason', 'kind'],
        samples: [...counters.gatewayEvents.values()].map(({ labels, count }) => ({ labels: { ...labels }, value: count })),
      },
      {
        name: 'authwatch_gateway_events_connected',
        help: "1 while the daemon's live-event connection to the gateway is open, 0 while it is not.",
        type: 'gauge',
        labelNames: ['gateway'],
        samples: [...counters.gatewayConnected.values()].map(({ labels, connected }) => ({ labels: { ...labels }, value: connected ? 1 : 0 })),
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
function liveFamilies(evaluations: Report['evaluations'], labels: readonly CredentialLabels[], now: number): MetricFamily[] {
  const checked = (e: Evaluation) => e.live !== undefined && e.live.verdict !== 'not-checkable';
  if (!evaluations.some(checked)) return [];
  const windows = evaluations.flatMap((e, i) => (checked(e) ? openWindows(e.live!, now).map((window) => ({ labels: labels[i]!, window })) : []));
  const paces = windows.flatMap((entry) => {
    const pace = paceOf(entry.window, now);
    return pace.kind === 'projected' || pace.kind === 'idle' ? [{ ...entry, pace }] : [];
  });
  return [
    {
      name: 'authwatch_credential_live_ok',
      help: 'Whether the provider accepted the credential at its last live check (1) or refused it (0: rejected, no credit).',
      type: 'gauge',
      labelNames: credentialLabelNames,
      samples: credentialSamples(
        evaluations,
        labels,
        (e) => checked(e) && ['works', 'rejected', 'no-credit'].includes(e.live!.verdict),
        (e, l) => ({ labels: l, value: e.live!.verdict === 'works' ? 1 : 0 }),
      ),
    },
    {
      name: 'authwatch_credential_live_checked_timestamp_seconds',
      help: 'When the last live check of the credential got its verdict, as a Unix timestamp.',
      type: 'gauge',
      labelNames: credentialLabelNames,
      samples: credentialSamples(evaluations, labels, checked, (e, l) => ({ labels: l, value: seconds(e.live!.observedAt) })),
    },
    {
      // Inconclusive answers (timeouts, 429, 5xx, a CDN challenge) refresh the time above but
      // not this one: the stale alert watches this.
      name: 'authwatch_credential_live_conclusive_timestamp_seconds',
      help: 'When the provider last answered conclusively about the credential (works, rejected, no credit, wrong kind), or when its live checks began if it never has, as a Unix timestamp.',
      type: 'gauge',
      labelNames: credentialLabelNames,
      samples: credentialSamples(evaluations, labels, checked, (e, l) => ({ labels: l, value: seconds(e.live!.lastConclusiveAt) })),
    },
    {
      name: 'authwatch_quota_utilization_ratio',
      help: 'Share of a usage window used at the last live check (0–1; 1 = out of quota).',
      type: 'gauge',
      labelNames: [...credentialLabelNames, 'window'],
      samples: windows.map(({ labels: l, window }) => ({ labels: { ...l, window: window.name }, value: window.utilization })),
    },
    {
      name: 'authwatch_quota_resets_timestamp_seconds',
      help: 'When a usage window resets, as a Unix timestamp.',
      type: 'gauge',
      labelNames: [...credentialLabelNames, 'window'],
      samples: windows.filter(({ window }) => window.resetsAt !== null).map(({ labels: l, window }) => ({ labels: { ...l, window: window.name }, value: seconds(window.resetsAt!) })),
    },
    ...moneyFamilies(evaluations, labels, now),
    {
      name: 'authwatch_quota_pace_ratio',
      help: 'Utilization over the elapsed share of the usage window (1 = on course to use all of it exactly at the reset; above 1 it runs out before). No series when it cannot be projected.',
      type: 'gauge',
      labelNames: [...credentialLabelNames, 'window'],
      samples: paces.map(({ labels: l, window, pace }) => ({ labels: { ...l, window: window.name }, value: Math.round(pace.ratio * 10_000) / 10_000 })),
    },
    {
      name: 'authwatch_quota_exhausted_projected_timestamp_seconds',
      help: 'When the usage window runs out at the rate it has been used since it began, as a Unix timestamp; no series when nothing is used or it cannot be projected.',
      type: 'gauge',
      labelNames: [...credentialLabelNames, 'window'],
      samples: paces.flatMap(({ labels: l, window, pace }) => (pace.kind === 'projected' ? [{ labels: { ...l, window: window.name }, value: seconds(pace.runsOutAt) }] : [])),
    },
  ];
}

/** Money the providers report (live.md): spent against a limit, a balance left, the daily burn. One series per credential and `money`. */
function moneyFamilies(evaluations: Report['evaluations'], labels: readonly CredentialLabels[], now: number): MetricFamily[] {
  const entries = evaluations.flatMap((e, i) => (e.live && e.live.verdict !== 'inconclusive' ? (e.live.money ?? []).map((money) => ({ labels: labels[i]!, money })) : []));
  const exhausted = new Set(evaluations.flatMap((e) => (e.live ? balanceFindings(e.live, now, undefined).map((finding) => finding.money) : [])));
  const family = (name: string, help: string, extra: string[], pick: (m: (typeof entries)[number]['money']) => number | null, withPeriod: boolean): MetricFamily => ({
    name,
    help,
    type: 'gauge',
    labelNames: [...credentialLabelNames, ...extra],
    samples: entries.flatMap(({ labels: l, money }) => {
      const value = pick(money);
      return value === null ? [] : [{ labels: { ...l, money: money.name, unit: money.unit, ...(withPeriod ? { period: money.period } : {}) }, value }];
    }),
  });
  return [
    family('authwatch_money_spent', 'Money spent in the current period (extra usage this month, an OpenRouter key in its limit period), in `unit`.', ['money', 'unit', 'period'], (m) => m.spent, true),
    family('authwatch_money_limit', 'The spending limit of the period, in `unit`.', ['money', 'unit', 'period'], (m) => m.limit, true),
    family('authwatch_money_left', 'Money or credit left to spend (a balance, a key limit remaining), in `unit`.', ['money', 'unit'], (m) => m.left, false),
    family('authwatch_money_spent_today', 'Money spent today (UTC) where the provider reports it: the daily burn, in `unit`.', ['money', 'unit'], (m) => m.today, false),
    // Every balance (money without a period); a DeepSeek key with none left is a `no-credit` verdict instead (authwatch_live_ok 0).
    family('authwatch_money_exhausted', 'Whether a balance is used up while a subscription window is full (1), or not (0): the credential serves nothing until the window resets or credit is added.', ['money', 'unit'], (m) => (m.period === 'total' ? Number(exhausted.has(m)) : null), false),
  ];
}

/** A route's state as the `status` label says it: one series each, exactly one of them 1. */
const routeStatuses = ['serving', 'fallback', 'unavailable'] as const;
const routeStatusOf = (verdict: Route['verdict']) => (verdict === 'on-fallback' ? 'fallback' : verdict);

/**
 * The provider routes' families. A route is one per agent and provider, so `{agent, provider}`
 * is unique by construction; an unusable window is one per credential row (the credential's
 * own labels), a shared profile that several agents' routes skip counted once.
 */
function routeFamilies(report: Report | null, labels: readonly CredentialLabels[]): MetricFamily[] {
  const routes = report?.routes ?? [];
  const index = new Map((report?.evaluations ?? []).map((e, i) => [e, i]));
  const routeLabels = (route: Route) => ({ agent: wellFormed(route.agent ?? ''), provider: wellFormed(route.provider), ...gatewayLabel(route.gateway) });
  const unusable = new Map<string, Sample>();
  const stale = new Map<string, Sample>();
  const works = new Map<string, Sample>();
  for (const route of routes) {
    for (const u of route.windows) {
      const step = route.steps.find((s) => s.evaluation.profile.id === u.profile);
      const i = step ? index.get(step.evaluation) : undefined;
      // A config-inline key (`inline-api-key:<provider>`) has no row of its own.
      const l = i !== undefined ? labels[i]! : { profile: wellFormed(u.profile), provider: wellFormed(route.provider), source: 'config', agent: wellFormed(route.agent ?? ''), ...gatewayLabel(route.gateway) };
      const key = identity(l);
      // A shared profile skipped on several agents' routes: working-but-skipped on any of them.
      if (skipsWorkingCredential(route, u)) works.set(key, { labels: { ...l, reason: wellFormed(u.reason ?? u.kind) }, value: 1 });
      if (unusable.has(key)) continue;
      const windowLabels = { ...l, reason: wellFormed(u.reason ?? u.kind) };
      unusable.set(key, { labels: windowLabels, value: seconds(u.until) });
      stale.set(key, { labels: windowLabels, value: u.credentialChangedAt === null ? 0 : 1 });
      if (!works.has(key)) works.set(key, { labels: windowLabels, value: 0 });
    }
  }
  return [
    {
      name: 'authwatch_provider_status',
      help: 'Route of a provider in use, per OpenClaw agent: one series per status (serving, fallback, unavailable), exactly one of them 1.',
      type: 'gauge',
      labelNames: ['agent', 'provider', 'gateway', 'status'],
      samples: routes.flatMap((route) => routeStatuses.map((status) => ({ labels: { ...routeLabels(route), status }, value: routeStatusOf(route.verdict) === status ? 1 : 0 }))),
    },
    {
      name: 'authwatch_provider_on_fallback',
      help: 'Whether the provider is served by a later profile or key because the first one in its order is unusable (1) or not (0).',
      type: 'gauge',
      labelNames: ['agent', 'provider', 'gateway'],
      samples: routes.map((route) => ({ labels: routeLabels(route), value: route.verdict === 'on-fallback' ? 1 : 0 })),
    },
    {
      name: 'authwatch_provider_recovers_timestamp_seconds',
      help: 'When an unavailable provider gets a usable profile back by itself (its soonest cooldown end), as a Unix timestamp; absent when it needs a login.',
      type: 'gauge',
      labelNames: ['agent', 'provider', 'gateway'],
      samples: routes.filter((route) => route.recoversAt !== null).map((route) => ({ labels: routeLabels(route), value: seconds(route.recoversAt!) })),
    },
    {
      name: 'authwatch_provider_expiry_timestamp_seconds',
      help: 'When the provider runs dry if nothing is renewed (the latest expiry among its usable credentials), as a Unix timestamp; absent when one never expires.',
      type: 'gauge',
      labelNames: ['agent', 'provider', 'gateway'],
      samples: routes.filter((route) => route.expiresAt !== null).map((route) => ({ labels: routeLabels(route), value: seconds(route.expiresAt!) })),
    },
    {
      name: 'authwatch_model_exists',
      help: 'Whether the provider lists a model the route runs (1) or says it does not exist (0), from a zero-token model lookup with the credential that serves the route; absent when not looked up or inconclusive.',
      type: 'gauge',
      labelNames: ['agent', 'provider', 'role', 'model'],
      samples: routes.flatMap((route) =>
        route.models
          .filter((m) => m.check?.verdict === 'exists' || m.check?.verdict === 'missing')
          .map((m) => ({ labels: { ...routeLabels(route), role: m.role, model: wellFormed(m.ref) }, value: m.check!.verdict === 'exists' ? 1 : 0 })),
      ),
    },
    {
      name: 'authwatch_credential_unusable_until_timestamp_seconds',
      help: 'Until when the gateway skips the credential (cooldown, disabled, blocked), as a Unix timestamp, with the reason (billing, rate_limit, …).',
      type: 'gauge',
      labelNames: [...credentialLabelNames, 'reason'],
      samples: [...unusable.values()],
    },
    {
      name: 'authwatch_credential_unusable_stale',
      help: 'Whether the window was opened by a failure before the credential was replaced, and the new one has not failed since (1): the gateway skips a credential it never tried.',
      type: 'gauge',
      labelNames: [...credentialLabelNames, 'reason'],
      samples: [...stale.values()],
    },
    {
      name: 'authwatch_credential_unusable_works',
      help: 'Whether a live check answered after the window opened says the credential works (1) while the gateway skips it on a route not served as configured (on fallback, unavailable); 0 otherwise (no fresh, relevant evidence, evidence that confirms the window, or the route serves as configured).',
      type: 'gauge',
      labelNames: [...credentialLabelNames, 'reason'],
      samples: [...works.values()],
    },
  ];
}

/** The record of a single completed check run (the `check` command's one run). */
export function singleRun(report: Report, durationMs: number, machine: Machine, pendingNotifications: ReadonlyMap<string, number> | null = null): RunRecord {
  return { report, lastRunAt: report.checkedAt, lastRunDurationMs: durationMs, lastRunSuccess: true, lastSuccessAt: report.checkedAt, pendingNotifications, machine };
}
