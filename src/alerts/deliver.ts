import type { Config } from '../config/schema.js';
import type { Report } from '../evaluate/report.js';
import type { Logger } from '../core/log.js';
import { scrub } from '../core/scrub.js';
import { decideAlerts, emptyChannel, markDelivered, markFailed, profileKey, unreadableAgents, type AlertState } from './decide.js';
import { resendsFiring } from './channel-types.js';
import type { AlertBatch } from './notifier.js';
import { lockState } from './state-lock.js';
import { loadState, saveState, stateDirectory } from './store.js';
import { hostName } from '../config/host-name.js';

export interface ChannelOutcome {
  channel: string;
  /** `sent`, `failed`, `waiting` (backing off after failures), or `idle` (nothing to say). */
  result: 'sent' | 'failed' | 'waiting' | 'idle';
  notices: number;
  error?: string;
}

export interface DeliveryResult {
  outcomes: ChannelOutcome[];
  /** Notices still owed per channel (failed, backing off, or held by quiet hours). */
  pending: Map<string, number>;
  /** Another run held the state lock; it delivers instead. */
  skipped: boolean;
}

export interface DeliveryDeps {
  env: NodeJS.ProcessEnv;
  home: string;
  log: Logger;
  now: number;
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
  const glance = await loadState(dir, log, now);
  const quiet = decideAlerts(glance, report.alertRows, now, channels, config.alerting, unreadable);
  if (quiet.kept > 0) {
    const unread = report.visits.filter((visit) => !visit.ok).map((visit) => visit.path ?? visit.name);
    log.warn({ unread, kept: quiet.kept }, 'a credential source could not be read: the alerts of its profiles stay as they were (none resolved, none new) until it reads again');
  }
  if ([...quiet.plans.values()].every((plan) => plan.notices.length === 0 && plan.deferred === 0) && sameState(glance, quiet.next)) {
    return { outcomes: config.channels.map((c) => ({ channel: c.name, result: 'idle', notices: 0 })), pending: new Map(config.channels.map((c) => [c.name, 0])), skipped: false };
  }
  const release = await lockState(dir, lockWaitMs);
  if (!release) {
    log.warn({ dir }, 'another authwatch run is delivering alerts; leaving them to it');
    return { outcomes: [], pending: new Map(), skipped: true };
  }
  try {
    const previous = await loadState(dir, log, now);
    const { next, plans } = decideAlerts(previous, report.alertRows, now, channels, config.alerting, unreadable);
    const fingerprints = new Map(report.alertRows.map((e) => [profileKey(e), e.profile.fingerprint]));
    const host = hostName(config);
    const pending = new Map<string, number>();
    // The channels' modules (and their schemas, and zod) only for a run that may send.
    const { createNotifier } = await import('./index.js');

    const outcomes = await Promise.all(
      config.channels.map(async (channel): Promise<ChannelOutcome> => {
        const plan = plans.get(channel.name)!;
        const memory = next.channels[channel.name] ?? emptyChannel();
        pending.set(channel.name, plan.notices.length + plan.deferred);
        if (plan.deferred > 0) log.info({ channel: channel.name, deferred: plan.deferred }, 'notices held back by quiet hours');
        if (plan.notices.length === 0) return { channel: channel.name, result: 'idle', notices: 0 };
        if (memory.retryAt !== null && now < memory.retryAt) {
          return { channel: channel.name, result: 'waiting', notices: plan.notices.length, error: memory.lastError ?? undefined };
        }
        const batch: AlertBatch = { host, now, notices: plan.notices };
        try {
          await createNotifier(channel, { env, log }).send(batch);
          next.channels[channel.name] = markDelivered(memory, plan.notices, fingerprints, now);
          pending.set(channel.name, plan.deferred);
          log.info({ channel: channel.name, notices: plan.notices.length }, 'alert sent');
          return { channel: channel.name, result: 'sent', notices: plan.notices.length };
        } catch (error) {
          // Scrubbed here too: a failure that is not a DeliveryError (a secret file that cannot be read) is kept and shown as well.
          const message = scrub(error instanceof Error ? error.message : String(error));
          next.channels[channel.name] = markFailed(memory, message, now);
          log.error({ channel: channel.name, error: message }, 'alert delivery failed; it stays pending for the next run');
          return { channel: channel.name, result: 'failed', notices: plan.notices.length, error: message };
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
