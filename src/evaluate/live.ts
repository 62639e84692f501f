import { describeSpan, formatLocalTime } from '../core/duration.js';
import type { Evaluation } from './evaluate.js';
import type { Profile } from '../sources/source.js';
import type { LiveFact, QuotaWindow } from './live-fact.js';
import { remediation } from './remediation.js';
import { paceWarning } from './pace.js';
import { worstStatus, type Status } from './status.js';

export { liveVerdicts, type LiveFact, type LiveVerdict, type Money, type QuotaWindow } from './live-fact.js';

export interface QuotaPolicy {
  /** A window at or above this share used warns (expiring). */
  warnRatio: number;
}

const percent = (ratio: number) => `${Math.round(ratio * 100)} %`;
const ago = (ms: number, now: number) => (now - ms < 60_000 ? 'just now' : describeSpan(Math.min(0, ms - now)));
/** Wall-clock time of a reset: the time alone on the same day, else the date too. */
function resetTime(at: number, now: number): string {
  const full = formatLocalTime(at);
  return formatLocalTime(now).slice(0, 10) === full.slice(0, 10) ? full.slice(11, 16) : full.slice(0, 16);
}

/**
 * A credential the provider says ends sooner than its store does (OpenRouter's `expires_at`):
 * judged by that end, like any stored expiry — a key lapsing in 5 h is `expiring`, not ok.
 */
export function withReportedEnd(profile: Profile, fact: LiveFact | undefined): Profile {
  const end = fact?.expiresAt ?? null;
  if (end === null || (profile.expiresAt !== null && profile.expiresAt <= end)) return profile;
  return { ...profile, expiresAt: end, notes: [...profile.notes, `the provider reports its expiry (${formatLocalTime(end)})`] };
}

/** The windows still running: one whose reset time has passed is cleared by it. */
export function openWindows(fact: LiveFact, now: number): QuotaWindow[] {
  return fact.windows.filter((window) => window.resetsAt === null || window.resetsAt > now);
}

function windowText(window: QuotaWindow, now: number): string {
  const reset = window.resetsAt === null ? '' : `, resets ${resetTime(window.resetsAt, now)}`;
  return `${window.name} window ${percent(window.utilization)}${reset}`;
}

/** The verdict's status and words: only `rejected` and `no-credit` make a profile fail. */
function verdictPart(e: Evaluation, fact: LiveFact, now: number): { status: Status; text: string } {
  const checked = `checked ${ago(fact.observedAt, now)}`;
  const said = fact.message ? `: ${fact.message}` : '';
  const code = fact.httpStatus === null ? '' : ` ${fact.httpStatus}`;
  switch (fact.verdict) {
    case 'works':
      return { status: 'ok', text: `works, ${checked}` };
    case 'rejected':
      return { status: 'expired', text: `rejected${code}${said} (${checked}); fix: ${remediation(e.profile.provider, e.profile.id, e.profile.type, e.profile.source)}` };
    case 'no-credit':
      return { status: 'expired', text: `no credit${said} (${checked}); fix: ${fact.topUp ?? 'add credit in the provider console'}` };
    case 'wrong-kind':
      return { status: 'ok', text: `live check: wrong kind of credential for this check${code}${said} (${checked})` };
    case 'inconclusive': {
      const worked = fact.lastWorkedAt === null ? 'not seen working yet' : `last worked ${ago(fact.lastWorkedAt, now)}`;
      return { status: 'ok', text: `live check inconclusive${said} (${checked}); ${worked}` };
    }
    case 'not-checkable':
      return { status: 'ok', text: `not checkable live${said}` };
  }
}

/**
 * Adds a live check's fact to a profile's evaluation. Pure. A verdict can only make a status
 * worse, never better: `rejected` and `no-credit` fail like an expiry, a quota window at or
 * over the warning share is `expiring` ("out of quota until …" at 100 %), everything else
 * (inconclusive, wrong kind, not checkable) leaves the status as it was. A model's own bucket
 * is shown but sets no status: a stored block scoped to that model is weighed against it
 * (block-evidence.ts).
 */
export function withLive(e: Evaluation, fact: LiveFact, now: number, quota: QuotaPolicy): Evaluation {
  const verdict = verdictPart(e, fact, now);
  const parts = [verdict.text];
  let status = verdict.status;
  const windows = openWindows(fact, now);
  // A model's own bucket limits that model only: it is shown, but it never makes the credential out of quota.
  const whole = windows.filter((window) => window.model === undefined);
  let worstWindow: QuotaWindow | undefined;
  if (fact.verdict === 'works' && whole.length > 0) {
    const worst = whole.reduce((a, b) => (b.utilization > a.utilization ? b : a));
    worstWindow = worst;
    if (worst.utilization >= 1) {
      status = 'expiring';
      parts.push(`out of quota (${worst.name} window)${worst.resetsAt === null ? '' : ` until ${resetTime(worst.resetsAt, now)}`}`);
    } else if (worst.utilization >= quota.warnRatio) {
      status = 'expiring';
      parts.push(windowText(worst, now));
    }
    for (const window of windows) if (window !== worst || status === 'ok') parts.push(windowText(window, now));
    for (const window of windows) {
      const pace = paceWarning(window, now);
      if (pace) parts.push(pace);
    }
  }
  const text = parts.join('; ');
  const judged: Evaluation = { ...e, status: worstStatus([e.status, status]), detail: e.detail ? `${e.detail}; ${text}` : text, live: fact };
  // `expiring` from a window alone (verdict `works`, nothing else wrong): which window, for the alerts.
  return status === 'expiring' && e.status === 'ok' ? { ...judged, quotaWindow: worstWindow!.name } : judged;
}
