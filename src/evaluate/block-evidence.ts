import { formatLocalTime } from '../core/duration.js';
import type { LiveFact, QuotaWindow } from './live-fact.js';
import { openWindows } from './live.js';
import type { Window } from './windows.js';

// Issue 30 §1: a stored window (cooldown, disabled, blocked) held against the free live
// evidence of the same credential. The gateway skips the profile whatever this says (a restart
// does not clear a stored block); the verdict only tells whether the provider agrees. Pure.

/** What the live evidence says of a stored window. */
export interface WindowEvidence {
  /** `works`: the provider says the credential serves, the gateway skips it; `confirmed`: the provider agrees with the block. */
  verdict: 'works' | 'confirmed';
  /** The evidence in words: `usage now 3 % (5h window)`, `no credit: is_available: false`. */
  says: string;
  /** When the live check that says it was answered, epoch ms. */
  observedAt: number;
}

/** The stored window (windows.ts decides it) as the evidence is weighed against it: its reason, model scope and date. */
export type StoredWindow = Pick<Window, 'reason' | 'model' | 'since'>;

/**
 * What kind of evidence could lift each reason OpenClaw records (profile-usage-stats.ts
 * AUTH_FAILURE_REASONS, AUTH_BLOCKED_REASONS); the others (overloaded, timeout, format,
 * model_not_found, …) say nothing about the credential, so no live answer weighs on them.
 */
function needOf(reason: string | null): 'auth' | 'credit' | 'quota' | null {
  switch (reason) {
    case 'auth':
    case 'auth_permanent':
    case 'session_expired':
      return 'auth';
    case 'billing':
      return 'credit';
    case 'rate_limit':
    case 'subscription_limit':
      return 'quota';
    default:
      return null;
  }
}

const words = (id: string) => id.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

/** Whether a model bucket (Codex `additional_rate_limits[].limit_name`) is the bucket of `model`: the same words (`GPT-5.3-Codex-Spark` is `gpt-5.3-codex-spark`). */
const bucketOf = (model: string) => (window: QuotaWindow) => window.model !== undefined && words(window.model).join('-') === words(model.slice(model.indexOf('/') + 1)).join('-');

const percent = (ratio: number) => `${Math.round(ratio * 100)} %`;

/**
 * The verdict on one stored window, or `null` when the live evidence says nothing about it:
 * none, not conclusive (the last answer was inconclusive, or of the wrong kind), older than the
 * failure that opened the window (evidence from before the block proves nothing against it), a
 * window that cannot be dated, a reason no live answer weighs on, a plain key answering 200
 * for a billing or quota block, or a model-scoped window with no bucket of that model.
 * Evidence for a model-scoped window is that model's bucket (and the windows of the whole
 * account, which hold every model); for the others, every window counts.
 */
export function blockEvidence(window: StoredWindow, fact: LiveFact | undefined, now: number): WindowEvidence | null {
  const need = needOf(window.reason);
  if (!fact || need === null || window.since === null || fact.observedAt <= window.since) return null;
  const { observedAt } = fact;
  const code = fact.httpStatus === null ? '' : ` (${fact.httpStatus})`;
  const said = fact.message ? `: ${fact.message}` : '';
  if (fact.verdict === 'rejected') return { verdict: 'confirmed', says: `the provider rejects the credential${code}${said}`, observedAt };
  if (fact.verdict === 'no-credit') return { verdict: 'confirmed', says: `no credit${said}`, observedAt };
  if (fact.verdict !== 'works') return null;

  // The live checks' own age rule for windows: one whose reset has passed is cleared by it.
  const open = openWindows(fact, now);
  const ownBucket = window.model === null ? [] : open.filter(bucketOf(window.model));
  const relevant = window.model === null ? open : [...open.filter((w) => w.model === undefined), ...ownBucket];
  const full = relevant.find((w) => w.utilization >= 1);
  if (full) return { verdict: 'confirmed', says: `usage ${percent(full.utilization)} (${full.name} window)${full.resetsAt === null ? '' : ` until ${formatLocalTime(full.resetsAt)}`}`, observedAt };
  const highest = relevant.reduce<QuotaWindow | null>((a, b) => (a === null || b.utilization > a.utilization ? b : a), null);
  const usage = highest && `usage now ${percent(highest.utilization)} (${highest.name} window)`;
  switch (need) {
    case 'auth':
      return { verdict: 'works', says: `the provider accepts it${code}`, observedAt };
    case 'credit':
      // A checker that reads credit (it names where to top up) said there is some; a usage answer shows a live plan.
      if (fact.topUp !== null) return { verdict: 'works', says: usage ? `credit available; ${usage}` : 'credit available', observedAt };
      return usage ? { verdict: 'works', says: usage, observedAt } : null;
    case 'quota':
      if (window.model !== null && ownBucket.length === 0) return null;
      return usage ? { verdict: 'works', says: usage, observedAt } : null;
  }
}
