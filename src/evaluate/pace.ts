import { formatLocalTime } from '../core/duration.js';
import type { QuotaWindow } from './live-fact.js';

/**
 * A window younger than this share of its period projects nothing: one request a minute into
 * a 5 h window would "run out" within the hour.
 */
const earliestShare = 0.1;

type Pace =
  /** `ratio`: utilization ÷ elapsed share of the window (1 = on course to use exactly all of it by the reset). */
  | { kind: 'projected'; ratio: number; runsOutAt: number; beforeReset: boolean }
  /** Nothing used yet: it never runs out at this rate. */
  | { kind: 'idle'; ratio: 0 }
  /** Already used up (100 % or more). */
  | { kind: 'used-up' }
  /** No projection: no reset time or period, the window is too young, or its reset has passed. */
  | { kind: 'unknown'; why: string };

/**
 * When a usage window runs out at the rate it has been used since it began: utilization over
 * the elapsed share of the window (the window began `periodMs` before its reset). Pure: the
 * clock is a parameter.
 */
export function paceOf(window: QuotaWindow, now: number): Pace {
  const { utilization, resetsAt, periodMs } = window;
  if (resetsAt === null) return { kind: 'unknown', why: 'no reset time' };
  if (periodMs === null || periodMs <= 0) return { kind: 'unknown', why: 'window length not known' };
  if (resetsAt <= now) return { kind: 'unknown', why: 'the window has reset' };
  // A reset further away than the window is long: the reported length is not this window's.
  const elapsed = periodMs - (resetsAt - now);
  if (elapsed < 0) return { kind: 'unknown', why: 'reset further away than the window is long' };
  if (utilization >= 1) return { kind: 'used-up' };
  if (utilization <= 0) return { kind: 'idle', ratio: 0 };
  const share = elapsed / periodMs;
  if (share < earliestShare) return { kind: 'unknown', why: 'the window has just started' };
  const rate = utilization / elapsed; // share of the window's quota per ms
  const runsOutAt = now + Math.round((1 - utilization) / rate);
  return { kind: 'projected', ratio: utilization / share, runsOutAt, beforeReset: runsOutAt < resetsAt };
}

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** A time ahead, as people say it: `14:00` the same day, `Thursday 14:00` within the week, else the date and time. */
export function whenText(at: number, now: number): string {
  const full = formatLocalTime(at);
  if (formatLocalTime(now).slice(0, 10) === full.slice(0, 10)) return full.slice(11, 16);
  if (at > now && at - now < 6 * 86_400_000) return `${weekdays[new Date(at).getDay()]} ${full.slice(11, 16)}`;
  return full.slice(0, 16);
}

/**
 * A projection warns only when it runs out this share of the window before the reset (30 min
 * of a 5 h window, 17 h of a week): a pace a hair over even, early in a window, is noise.
 */
const warnEarlyShare = 0.1;

/** `at this rate the 7d window is used up Thursday 14:00, 2 days before it resets`, or `null` when it lasts (or nothing can be projected). */
export function paceWarning(window: QuotaWindow, now: number): string | null {
  const pace = paceOf(window, now);
  if (pace.kind !== 'projected' || !pace.beforeReset) return null;
  const early = window.resetsAt! - pace.runsOutAt;
  if (early < warnEarlyShare * window.periodMs!) return null;
  return `at this rate the ${window.name} window is used up ${whenText(pace.runsOutAt, now)}, ${spanText(early)} before it resets`;
}

function spanText(ms: number): string {
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.round(hours / 24)} days`;
}

