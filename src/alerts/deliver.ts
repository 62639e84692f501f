import type { Config } from '../config/schema.js';
import type { Report } from '../evaluate/report.js';
import type { Logger } from '../core/log.js';
import { scrub } from '../core/scrub.js';
import type { AlertingConfig } from '../config/alerting.js';
import { describeSpan } from '../core/duration.js';
import { decideAlerts, emptyChannel, markDelivered, markFailed, profileKey, toldMarks, unreadableAgents, type AlertState, type ChannelMemory, type ChannelPlan } from './decide.js';
import { resendsFiring } from './channel-types.js';
import type { AlertBatch } from './notifier.js';
import { membersOf } from './group.js';
import { lockState } from '../core/state-lock.js';
import { loadState, saveState } from './store.js';
import { stateDirectory } from '../core/state-dir.js';
import { hostName } from '../config/host-name.js';
import { quotaThresholdsDefault } from '../config/defaults.js';
import { usageView } from '../evaluate/usage.js';

export interface ChannelOutcome {
  channel: string;
  /**
   * `sent`, `failed`, `waiting` (backing off after failures), `idle` (nothing due), or
   * `would-send` (a what-if run: decided, not sent).
   */
  result: 'sent' | 'failed' | 'waiting' | 'idle' | 'would-send';
  /** The notices sent, or due and still owed (failed, waiting), or that would be sent. */
  notices: number;
  error?: string;
  /** Held back by quiet hours: they go out on the first run after the window. */
  heldQuiet: number;
  /** Bad profiles this channel was told about, waiting for their repeat interval. */
  heldRepeat: number;
  /** When the first of those is reminded (epoch ms), `null` when none. */
  nextReminderAt: number | null;
  /** When a failed channel is tried again (epoch ms), `null` when it is not failing. */
  retryAt: number | null;
}

/** Notices a channel owes after this run: due, but failed or waiting out its backoff. They make the run exit 3. */
export function owedNotices(outcome: ChannelOutcome): number {
  return outcome.result === 'failed' || outcome.result === 'waiting' ? outcome.notices : 0;
}

const plural = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;

/** One line for stderr: what a channel was sent, what it is owed and why, what is held; `null` when nothing. */
export function describeOutcome(outcome: ChannelOutcome, now: number): string | null {
  const parts: string[] = [];
  let head = `alert channel ${outcome.channel}:`;
  if (outcome.result === 'sent') parts.push(`sent ${plural(outcome.notices, 'notice')}`);
  if (outcome.result === 'would-send') parts.push(`would send ${plural(outcome.notices, 'notice')} (--now is a what-if: add --send to deliver)`);
  if (outcome.result === 'failed' || outcome.result === 'waiting') {
    const retry = outcome.retryAt === null || outcome.retryAt <= now ? 'on the next run' : `on the first run ${describeSpan(outcome.retryAt - now)}`;
    head = outcome.result === 'failed' ? `alert channel ${outcome.channel} failed: ${outcome.error ?? 'unknown error'}` : `alert channel ${outcome.channel} is backing off after: ${outcome.error ?? 'a failure'}`;
    parts.push(`kept pending, ${plural(outcome.notices, 'notice')} owed, retried ${retry}; exit 3 until delivered`);
  }
  if (outcome.heldQuiet > 0) parts.push(`${outcome.heldQuiet} held by quiet hours`);
  if (outcome.heldRepeat > 0) {
    const next = outcome.nextReminderAt === null ? '' : `, next reminder ${describeSpan(Math.max(outcome.nextReminderAt - now, 0))}`;
    parts.push(`${outcome.heldRepeat} already told (repeat interval${next})`);
  }
  if (parts.length === 0) return null;
  return head.endsWith(':') ? `${head} ${parts.join('; ')}` : `${head} (${parts.join('; ')})`;
}

/**
 * The bad profiles a channel hears nothing about this run because it was told already and the
 * status's repeat interval has not passed; with the first reminder's time.
 */
function heldByRepeat(memory: ChannelMemory | undefined, evaluations: Report['evaluations'], plan: ChannelPlan, repeat: AlertingConfig['repeat']) {
  let count = 0;
  let next: number | null = null;
  if (!memory) return { heldRepeat: 0, nextReminderAt: null };
  const planned = new Set(plan.notices.flatMap((notice) => membersOf(notice).map((member) => member.key)));
  for (const e of evaluations) {
    if (e.status === 'ok') continue;
    const key = profileKey(e);
    const told = memory.told[key];
    if (!told || told.status !== e.status || planned.has(key)) continue;
    count++;
    const due = told.at + repeat[e.status];
    next = next === null ? due : Math.min(next, due);
  }
  return { heldRepeat: count, nextReminderAt: next };
}

export interface DeliveryResult {
  outcomes: ChannelOutcome[];
  /** Notices still owed per channel (failed, backing off, or held by quiet hours). */
  pending: Map<string, number>;
  /** Another run held the state lock for the whole wait: nothing was sent and the notices stay owed (exit 3). */
  skipped: boolean;
  /** Who held it, when skipped. */
  heldBy?: string;
}

interface DeliveryDeps {
  env: NodeJS.ProcessEnv;
  home: string;
  log: Logger;
  now: number;
  /** Decide only: nothing is sent and the state is left as it is (a `check --now` what-if). */
  whatIf?: boolean;
  /** At most this long to wait for an overlapping run's delivery (30 s anyway): a CLI run keeps it inside its deadline. */
  lockWaitMs?: number;
}

function sameState(a: AlertState, b: AlertState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** How long a run waits for an overlapping one to finish its deliveries. */
const lockWaitMs = 30_000;

/**
 * One alerting round after a check: under the state lock, decide what each channel must hear,
 * send one grouped message per channel (in parallel, each with its timeout), and remember
 * what was delivered. A failed channel keeps its notices pending for the next run; the others
 * are not held back.
 */
export async function deliverAlerts(report: Report, config: Config, deps: DeliveryDeps): Promise<DeliveryResult> {
  const { env, home, log, now } = deps;
  const dir = stateDirectory(env, home);
  const channels = config.channels.map((channel) => ({ name: channel.name, resendsFiring: resendsFiring(channel) }));
  // The common case on a timer: nothing changed and nothing is owed. Decide without the lock
  // and leave the state file alone; anything else is decided again under the lock.
  const unreadable = unreadableAgents(report.evaluations, report.visits);
  const thresholds = typeof config.live === 'object' ? config.live.quotaThresholds : quotaThresholdsDefault;
  const providers = typeof config.live === 'object' ? config.live.providers : {};
  const usage = usageView(report.alertRows, profileKey, thresholds, now, (provider) => providers[provider]?.lowBalance);
  const glance = await loadState(dir, log, now);
  const quiet = decideAlerts(glance, report.alertRows, now, channels, config.alerting, unreadable, usage);
  if (quiet.kept > 0) {
    const unread = report.visits.filter((visit) => !visit.ok).map((visit) => visit.path ?? visit.name);
    log.warn({ unread, kept: quiet.kept }, 'a credential source could not be read: the alerts of its profiles stay as they were (none resolved, none new) until it reads again');
  }
  const held = (plan: ChannelPlan, memory: AlertState['channels'][string] | undefined) => ({
    heldQuiet: plan.deferred,
    ...heldByRepeat(memory, report.evaluations, plan, config.alerting.repeat),
    retryAt: memory?.retryAt ?? null,
  });
  const outcomesOf = (state: AlertState, plans: Map<string, ChannelPlan>, result: 'idle' | 'would-send') =>
    config.channels.map((c): ChannelOutcome => {
      const plan = plans.get(c.name)!;
      const memory = state.channels[c.name];
      const owed = plan.notices.length > 0 && memory?.retryAt != null && now < memory.retryAt;
      return {
        channel: c.name,
        result: plan.notices.length === 0 ? 'idle' : owed ? 'waiting' : result,
        notices: plan.notices.length,
        ...(owed && memory.lastError ? { error: memory.lastError } : {}),
        ...held(plan, memory),
      };
    });
  if (deps.whatIf) {
    const outcomes = outcomesOf(glance, quiet.plans, 'would-send');
    return { outcomes, pending: new Map(outcomes.map((o) => [o.channel, o.notices + o.heldQuiet])), skipped: false };
  }
  if ([...quiet.plans.values()].every((plan) => plan.notices.length === 0 && plan.deferred === 0) && sameState(glance, quiet.next)) {
    return { outcomes: outcomesOf(glance, quiet.plans, 'idle'), pending: new Map(config.channels.map((c) => [c.name, 0])), skipped: false };
  }
  const lock = await lockState(dir, Math.min(lockWaitMs, deps.lockWaitMs ?? lockWaitMs));
  if (!lock.release) {
    const error = `the alert-state lock ${dir}/state.lock stayed held by ${lock.heldBy} for the whole wait`;
    log.error({ dir, heldBy: lock.heldBy }, 'the alert-state lock stayed held: nothing was sent, the notices stay owed');
    const outcomes = outcomesOf(glance, quiet.plans, 'idle').map((o): ChannelOutcome => (o.notices > 0 ? { ...o, result: 'failed', error } : o));
    return { outcomes, pending: new Map(outcomes.map((o) => [o.channel, o.notices + o.heldQuiet])), skipped: true, heldBy: lock.heldBy };
  }
  const release = lock.release;
  try {
    const previous = await loadState(dir, log, now);
    const { next, plans } = decideAlerts(previous, report.alertRows, now, channels, config.alerting, unreadable, usage);
    const markOf = toldMarks(report.alertRows, usage.signals);
    const host = hostName(config);
    const pending = new Map<string, number>();
    // The channels' modules (and their schemas, and zod) only for a run that may send.
    const { createNotifier } = await import('./index.js');

    const outcomes = await Promise.all(
      config.channels.map(async (channel): Promise<ChannelOutcome> => {
        const plan = plans.get(channel.name)!;
        const memory = next.channels[channel.name] ?? emptyChannel();
        const base = { channel: channel.name, notices: plan.notices.length, ...held(plan, memory) };
        pending.set(channel.name, plan.notices.length + plan.deferred);
        if (plan.deferred > 0) log.debug({ channel: channel.name, deferred: plan.deferred }, 'notices held back by quiet hours');
        if (plan.notices.length === 0) return { ...base, result: 'idle' };
        if (memory.retryAt !== null && now < memory.retryAt) {
          return { ...base, result: 'waiting', ...(memory.lastError ? { error: memory.lastError } : {}) };
        }
        const batch: AlertBatch = { host, now, notices: plan.notices };
        try {
          await createNotifier(channel, { env, log }).send(batch);
          next.channels[channel.name] = markDelivered(memory, plan.notices, markOf, now);
          pending.set(channel.name, plan.deferred);
          log.info({ channel: channel.name, notices: plan.notices.length }, 'alert sent');
          return { ...base, result: 'sent', retryAt: null };
        } catch (error) {
          // Scrubbed here too: a failure that is not a DeliveryError (a secret file that cannot be read) is kept and shown as well.
          const message = scrub(error instanceof Error ? error.message : String(error));
          const failed = markFailed(memory, message, now);
          next.channels[channel.name] = failed;
          log.error({ channel: channel.name, error: message }, 'alert delivery failed; it stays pending for the next run');
          return { ...base, result: 'failed', error: message, retryAt: failed.retryAt };
        }
      }),
    );
    // Channels removed from the config are forgotten with their memory.
    for (const name of Object.keys(next.channels)) if (!config.channels.some((c) => c.name === name)) delete next.channels[name];
    await saveState(dir, next);
    return { outcomes, pending, skipped: false };
  } finally {
    release();
  }
}
