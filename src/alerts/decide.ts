import type { Evaluation } from '../evaluate/evaluate.js';
import type { Status } from '../evaluate/status.js';
import { remediation } from '../evaluate/remediation.js';
import type { AlertingConfig, QuietHours } from '../config/alerting.js';
import { severityOf } from './message.js';
import type { Notice } from './notifier.js';
import type { AlertState, ChannelMemory } from './state-format.js';

// The alert memory and the pure decision of who to tell what. Nothing here reads the clock
// or the disk: `decideAlerts` takes the previous state and `now` and returns the next state.

export type { AlertState, ChannelMemory } from './state-format.js';

export const emptyState = (): AlertState => ({ version: 1, profiles: {}, channels: {} });
export const emptyChannel = (): ChannelMemory => ({ told: {}, failures: 0, retryAt: null, lastError: null });

const bad = (status: Status) => status !== 'ok';
const rank: Record<Status, number> = { ok: 0, expiring: 1, error: 2, missing: 3, expired: 4 };

export function profileKey(evaluation: Pick<Evaluation, 'profile'>): string {
  return `${evaluation.profile.agent ?? '-'}/${evaluation.profile.id}`;
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

export interface Decision {
  next: AlertState;
  plans: Map<string, ChannelPlan>;
}

function noticeFor(e: Evaluation, kind: Notice['kind'], since: number, status: Status = e.status): Notice {
  return {
    key: profileKey(e),
    profile: e.profile.id,
    agent: e.profile.agent,
    provider: e.profile.provider,
    source: e.profile.source,
    status,
    kind,
    since,
    expiresAt: e.expiresAt,
    remainingMs: e.remainingMs,
    path: e.profile.path,
    detail: e.detail,
    fix: remediation(e.profile.provider, e.profile.id, e.profile.type),
  };
}

/** A profile that vanished from the report: the last thing known of it, to resolve it. */
function vanished(key: string, status: Status, now: number): Notice {
  const [agent, ...id] = key.split('/');
  return {
    key,
    profile: id.join('/'),
    agent: agent === '-' ? null : agent!,
    provider: id.join('/').split(':')[0] ?? 'unknown',
    source: 'unknown',
    status,
    kind: 'resolved',
    since: now,
    expiresAt: null,
    remainingMs: null,
    path: null,
    detail: 'no longer present',
    fix: '',
  };
}

/**
 * Decides, per channel, which profiles to tell about: a change into a bad status (a worse one
 * is an escalation, told at once even inside the repeat interval), a reminder once the
 * status's repeat interval has passed, and a resolved notice when a profile the channel was
 * told about is ok again or gone. A channel that `resendsFiring` (Alertmanager) hears about
 * every bad profile on every run. Quiet hours hold back warnings (and criticals unless
 * allowed) without forgetting them.
 */
export function decideAlerts(
  previous: AlertState,
  evaluations: readonly Evaluation[],
  now: number,
  channels: readonly { name: string; resendsFiring: boolean }[],
  alerting: AlertingConfig,
): Decision {
  const next: AlertState = { version: 1, profiles: {}, channels: { ...previous.channels } };
  const current = new Map<string, Evaluation>();
  for (const e of evaluations) {
    const key = profileKey(e);
    current.set(key, e);
    const before = previous.profiles[key];
    next.profiles[key] = {
      status: e.status,
      since: before && before.status === e.status ? before.since : now,
      fingerprint: e.profile.fingerprint,
    };
  }
  const quiet = inQuietHours(now, alerting.quietHours);
  const plans = new Map<string, ChannelPlan>();
  for (const channel of channels) {
    const memory = previous.channels[channel.name] ?? emptyChannel();
    const remembered = { ...memory.told };
    const plan: ChannelPlan = { notices: [], deferred: 0 };
    for (const [key, e] of current) {
      if (!bad(e.status)) continue;
      const last = memory.told[key];
      const since = next.profiles[key]!.since;
      let kind: Notice['kind'] | null = null;
      if (!last || last.status !== e.status) kind = last && rank[e.status] > rank[last.status] ? 'escalation' : 'new';
      else if (last.fingerprint !== e.profile.fingerprint) kind = 'new';
      else if (now - last.at >= alerting.repeat[e.status as keyof AlertingConfig['repeat']]) kind = 'reminder';
      else if (channel.resendsFiring) kind = 'firing';
      if (kind) plan.notices.push(noticeFor(e, kind, since));
    }
    for (const [key, last] of Object.entries(memory.told)) {
      const e = current.get(key);
      if (e && bad(e.status)) continue;
      if (alerting.sendResolved || channel.resendsFiring) {
        plan.notices.push(e ? { ...noticeFor(e, 'resolved', next.profiles[key]!.since, last.status), detail: e.detail } : vanished(key, last.status, now));
      } else delete remembered[key]; // ok again, nobody to tell: forget, so a relapse is new
    }
    next.channels[channel.name] = { ...memory, told: remembered };
    if (quiet) {
      const held = plan.notices.filter((n) => !(alerting.quietHours!.allowCritical && n.kind !== 'resolved' && severityOf(n) === 'critical'));
      plan.deferred = held.length;
      plan.notices = plan.notices.filter((n) => !held.includes(n));
    }
    plans.set(channel.name, plan);
  }
  return { next, plans };
}

/** Records a successful delivery: what the channel now knows. */
export function markDelivered(memory: ChannelMemory, notices: readonly Notice[], fingerprints: ReadonlyMap<string, string | null>, now: number): ChannelMemory {
  const toldNow = { ...memory.told };
  for (const notice of notices) {
    if (notice.kind === 'resolved') delete toldNow[notice.key];
    else if (notice.kind !== 'firing' || !toldNow[notice.key]) toldNow[notice.key] = { status: notice.status, at: now, fingerprint: fingerprints.get(notice.key) ?? null };
  }
  return { told: toldNow, failures: 0, retryAt: null, lastError: null };
}

/** Records a failed delivery: nothing is marked told, and the next try waits a little longer each time. */
export function markFailed(memory: ChannelMemory, error: string, now: number): ChannelMemory {
  const failures = memory.failures + 1;
  const backoffMs = Math.min(60_000 * 2 ** (failures - 1), 3_600_000);
  return { ...memory, failures, retryAt: now + backoffMs, lastError: error };
}
