import type { Evaluation } from '../evaluate/evaluate.js';
import type { SourceVisit } from '../sources/source.js';
import { statusRank, type Status } from '../evaluate/status.js';
import { nameForFiles, scrub } from '../core/scrub.js';
import { fixFor } from '../evaluate/fix.js';
import type { AlertingConfig, QuietHours } from '../config/alerting.js';
import { severityOf } from './message.js';
import type { Notice } from './notifier.js';
import { groupNotices, membersOf } from './group.js';
import type { AlertState, ChannelMemory } from './state-format.js';
import { alreadyTold, isUsageKey, usageMark, usageProfileKey, usageTopic, type UsageSignal, type UsageView } from '../evaluate/usage.js';

// The alert memory and the pure decision of who to tell what. Nothing here reads the clock
// or the disk: `decideAlerts` takes the previous state and `now` and returns the next state.

export type { AlertState, ChannelMemory } from './state-format.js';

export const emptyState = (): AlertState => ({ version: 1, profiles: {}, channels: {} });
export const emptyChannel = (): ChannelMemory => ({ told: {}, failures: 0, retryAt: null, lastError: null });

const bad = (status: Status) => status !== 'ok';

export function profileKey(evaluation: Pick<Evaluation, 'profile'>): string {
  return `${evaluation.profile.agent ?? '-'}/${nameForFiles(evaluation.profile.id)}`;
}

/** Minutes since local midnight in `timeZone`. */
function localMinutes(now: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const value = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return value('hour') * 60 + value('minute');
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

export function inQuietHours(now: number, quiet: QuietHours | undefined): boolean {
  if (!quiet) return false;
  const t = localMinutes(now, quiet.timeZone);
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  return start <= end ? t >= start && t < end : t >= start || t < end;
}

export interface ChannelPlan {
  notices: Notice[];
  /** Notices held back by quiet hours; they go out on the first run after the window. */
  deferred: number;
}

interface Decision {
  next: AlertState;
  plans: Map<string, ChannelPlan>;
  /** Profiles absent from this report whose alert state was kept because their source could not be read. */
  kept: number;
}

/** Agents (`-`: none) whose profiles an unreadable source may hide; `all` when a failure names no agent. */
type Unreadable = ReadonlySet<string> | 'all';

/**
 * Which profiles a failed read may be hiding: the agents of the error rows at each path that
 * could not be read, or all profiles when a failure has no path or no row (a source that broke).
 */
export function unreadableAgents(evaluations: readonly Evaluation[], visits: readonly SourceVisit[]): Unreadable {
  const agents = new Set<string>();
  for (const visit of visits) {
    if (visit.ok) continue;
    if (visit.path === null) return 'all';
    let named = false;
    for (const e of evaluations) {
      if (e.profile.problem === null || e.profile.path !== visit.path) continue;
      agents.add(e.profile.agent ?? '-');
      named = true;
    }
    if (!named) return 'all';
  }
  return agents;
}

const agentOfKey = (key: string) => key.slice(0, key.indexOf('/'));

/** The wait after the `failures`-th failed delivery in a row. */
const backoffMs = (failures: number) => Math.min(60_000 * 2 ** (Math.max(failures, 1) - 1), 3_600_000);

/**
 * A time recorded under a clock that ran ahead (a `--now` in the future, a clock since set back)
 * would hold reminders and retries back until that clock is reached again. Nothing told lies
 * ahead of now; a retry further ahead than its backoff comes from such a clock, so how long ago
 * that failure was is unknown: it is due now.
 */
function bounded(memory: ChannelMemory, now: number): ChannelMemory {
  let told = memory.told;
  for (const [key, last] of Object.entries(memory.told)) {
    if (last.at <= now) continue;
    if (told === memory.told) told = { ...told };
    told[key] = { ...last, at: now };
  }
  const retryAt = memory.retryAt !== null && memory.retryAt > now + backoffMs(memory.failures) ? now : memory.retryAt;
  return told === memory.told && retryAt === memory.retryAt ? memory : { ...memory, told, retryAt };
}

function noticeFor(e: Evaluation, kind: Notice['kind'], since: number, status: Status = e.status): Notice {
  // Every channel renders from the notice: what it quotes of the stores is scrubbed here, once.
  return {
    key: profileKey(e),
    profile: scrub(e.profile.id),
    agent: e.profile.agent,
    ...(e.profile.gateway ? { gateway: scrub(e.profile.gateway) } : {}),
    provider: e.profile.provider,
    source: e.profile.source,
    status,
    kind,
    since,
    expiresAt: e.expiresAt,
    remainingMs: e.remainingMs,
    path: e.profile.path === null ? null : scrub(e.profile.path),
    detail: scrub(e.detail),
    fix: scrub(fixFor(e) ?? ''),
    offRoute: e.offRoute === true,
  };
}

/** A usage item's notice (a threshold crossed, a pace warning, a window that reset): about the window, not the credential's health. */
function usageNotice(signal: Pick<UsageSignal, 'key' | 'evaluation' | 'topic' | 'detail' | 'fix'>, kind: Notice['kind'], now: number, status: Status = 'expiring'): Notice {
  return { ...noticeFor(signal.evaluation, kind, now, status), key: signal.key, topic: signal.topic, expiresAt: null, remainingMs: null, detail: scrub(signal.detail), fix: scrub(signal.fix ?? '') };
}

/** A profile that vanished from the report: the last thing known of it, to resolve it. */
function vanished(key: string, status: Status, now: number): Notice {
  const [agent, ...id] = key.split('/');
  const name = id.join('/');
  return {
    key,
    profile: name,
    agent: agent === '-' ? null : agent!,
    // A route row (`route:<provider>`) names its provider after the colon, a skipped credential's (`skipped:<profile>`) its profile, a model row (`model:<provider>/<id>`) before the slash.
    provider: (name.startsWith('route:') ? name.slice(6) : name.startsWith('model:') ? name.slice(6).split('/')[0] : name.replace(/^skipped:/, '').split(':')[0]) || 'unknown',
    // The rows of routes (and of what they skip, and their models) are all `route`: the same labels as when they fired.
    source: /^(route|skipped|model):/.test(name) ? 'route' : 'unknown',
    status,
    kind: 'resolved',
    since: now,
    expiresAt: null,
    remainingMs: null,
    path: null,
    detail: 'no longer present',
    fix: '',
    offRoute: false,
  };
}

/**
 * Decides, per channel, which profiles to tell about: a change into a bad status (a worse one
 * is an escalation, told at once even inside the repeat interval), a reminder once the
 * status's repeat interval has passed, and a resolved notice when a profile the channel was
 * told about is ok again or gone. A channel that `resendsFiring` (Alertmanager) hears about
 * every bad profile on every run. Quiet hours hold back warnings (and criticals unless
 * allowed) without forgetting them. A profile that is absent but may be hidden by an
 * `unreadable` source keeps its alert state as it was: neither resolved now nor new when it is
 * read again. Usage items (`usage`: thresholds and pace of usage windows) are told once per
 * window and level, never reminded, and resolved when the window resets.
 */
export function decideAlerts(
  previous: AlertState,
  evaluations: readonly Evaluation[],
  now: number,
  channels: readonly { name: string; resendsFiring: boolean }[],
  alerting: AlertingConfig,
  unreadable: Unreadable = new Set(),
  usage: UsageView | null = null,
): Decision {
  const next: AlertState = { version: 1, profiles: {}, channels: { ...previous.channels } };
  const current = new Map<string, Evaluation>();
  for (const e of evaluations) {
    const key = profileKey(e);
    current.set(key, e);
    const before = previous.profiles[key];
    next.profiles[key] = {
      status: e.status,
      since: before && before.status === e.status ? Math.min(before.since, now) : now,
      fingerprint: null,
    };
  }
  const hidden = (key: string) => !current.has(key) && (unreadable === 'all' || unreadable.has(agentOfKey(key)));
  let kept = 0;
  for (const [key, memory] of Object.entries(previous.profiles)) {
    if (!hidden(key)) continue;
    next.profiles[key] = { ...memory, since: Math.min(memory.since, now) };
    kept++;
  }
  // A credential that is `expiring` only because a usage window is past its warning share is
  // told by that window's usage item (each threshold once per window), not again as the credential's.
  const toldAsUsage = (key: string, e: Evaluation) => e.quotaWindow !== undefined && (usage?.tellsWindow(key, e.quotaWindow) ?? false);
  const quiet = inQuietHours(now, alerting.quietHours);
  const plans = new Map<string, ChannelPlan>();
  for (const channel of channels) {
    const memory = bounded(previous.channels[channel.name] ?? emptyChannel(), now);
    const remembered = { ...memory.told };
    const plan: ChannelPlan = { notices: [], deferred: 0 };
    for (const [key, e] of current) {
      if (!bad(e.status) || toldAsUsage(key, e)) continue;
      const last = memory.told[key];
      const since = next.profiles[key]!.since;
      let kind: Notice['kind'] | null = null;
      if (!last || last.status !== e.status) kind = last && statusRank[e.status] > statusRank[last.status] ? 'escalation' : 'new';
      else if (last.fingerprint !== (e.profile.fingerprint?.hex ?? null)) kind = 'new';
      else if (now - last.at >= alerting.repeat[e.status as keyof AlertingConfig['repeat']]) kind = 'reminder';
      else if (channel.resendsFiring) kind = 'firing';
      if (kind) plan.notices.push(noticeFor(e, kind, since));
    }
    const signalled = new Set<string>();
    for (const signal of usage?.signals ?? []) {
      signalled.add(signal.key);
      const told = alreadyTold(signal, memory.told[signal.key]?.fingerprint ?? null);
      const kind = told === 'new' ? 'new' : told === 'higher' ? 'escalation' : channel.resendsFiring ? 'firing' : null;
      if (kind) plan.notices.push(usageNotice(signal, kind, now));
    }
    for (const [key, last] of Object.entries(memory.told)) {
      if (isUsageKey(key)) {
        const owner = usageProfileKey(key);
        if (signalled.has(key) || hidden(owner)) continue;
        const e = current.get(owner);
        // Gone with its profile: the profile's own notice says so.
        if (!e) {
          delete remembered[key];
          continue;
        }
        const over = usage?.ended(key, last.fingerprint) ?? null;
        if (over === null) continue;
        if (alerting.sendResolved || channel.resendsFiring) plan.notices.push(usageNotice({ key, evaluation: e, topic: usageTopic(key), detail: over }, 'resolved', now, last.status));
        else delete remembered[key];
        continue;
      }
      const e = current.get(key);
      if (e && toldAsUsage(key, e) && last.status === 'expiring' && !channel.resendsFiring) {
        // Told as expiring for that window (or by a version that told both): its usage item
        // tells it now and resolves it when the window resets; nothing to say twice.
        delete remembered[key];
        continue;
      }
      if ((e && bad(e.status) && !toldAsUsage(key, e)) || hidden(key)) continue;
      if (alerting.sendResolved || channel.resendsFiring) {
        plan.notices.push(e ? { ...noticeFor(e, 'resolved', next.profiles[key]!.since, last.status), detail: e.detail } : vanished(key, last.status, now));
      } else delete remembered[key]; // ok again, nobody to tell: forget, so a relapse is new
    }
    next.channels[channel.name] = { ...memory, told: remembered };
    plan.notices = groupNotices(plan.notices);
    if (quiet) {
      const held = plan.notices.filter((n) => !(alerting.quietHours!.allowCritical && n.kind !== 'resolved' && severityOf(n) === 'critical'));
      plan.deferred = held.length;
      plan.notices = plan.notices.filter((n) => !held.includes(n));
    }
    plans.set(channel.name, plan);
  }
  return { next, plans, kept };
}

/** A told key's mark, looked up when it is told: a usage signal's episode and level, a profile's fingerprint (a new credential is news). */
type ToldMark = (key: string) => string | null;

/** The marks of this run's rows and usage signals; a fingerprint is worked out only for a key that is told. */
export function toldMarks(rows: readonly Evaluation[], signals: readonly UsageSignal[]): ToldMark {
  const usage = new Map(signals.map((s) => [s.key, usageMark(s)]));
  const profiles = new Map(rows.map((e) => [profileKey(e), e.profile.fingerprint]));
  return (key) => usage.get(key) ?? profiles.get(key)?.hex ?? null;
}

/** Records a successful delivery: what the channel now knows. */
export function markDelivered(memory: ChannelMemory, notices: readonly Notice[], markOf: ToldMark, now: number): ChannelMemory {
  const toldNow = { ...memory.told };
  for (const notice of notices) {
    for (const { key } of membersOf(notice)) {
      if (notice.kind === 'resolved') delete toldNow[key];
      else if (notice.kind !== 'firing' || !toldNow[key]) toldNow[key] = { status: notice.status, at: now, fingerprint: markOf(key) };
    }
  }
  return { told: toldNow, failures: 0, retryAt: null, lastError: null };
}

/** Records a failed delivery: nothing is marked told, and the next try waits a little longer each time. */
export function markFailed(memory: ChannelMemory, error: string, now: number): ChannelMemory {
  const failures = memory.failures + 1;
  return { ...memory, failures, retryAt: now + backoffMs(failures), lastError: error };
}
