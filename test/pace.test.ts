import { describe, expect, it } from 'vitest';
import { paceOf, paceWarning, whenText } from '../src/evaluate/pace.js';
import type { QuotaWindow } from '../src/evaluate/live-fact.js';
import { DAY, HOUR, NOW } from './helpers/clock.js';

// The pace of a usage window: utilization over the elapsed share of the window (which began
// `periodMs` before its reset). The clock is a parameter; TZ=UTC in the test run.

const week = 7 * DAY;
const window = (utilization: number, resetsAt: number | null, periodMs: number | null = week): QuotaWindow => ({ name: '7d', utilization, resetsAt, periodMs });

describe('pace of a usage window', () => {
  it('projects when it runs out: half the window gone, 60 % used → out before the reset', () => {
    // 3.5 days into a 7-day window, 60 % used: 1.2 × the even pace; the 40 % left last 40/60 × 3.5 d = 2⅓ d.
    const pace = paceOf(window(0.6, NOW + 3.5 * DAY), NOW);
    expect(pace.kind).toBe('projected');
    if (pace.kind !== 'projected') return;
    expect(pace.ratio).toBeCloseTo(1.2, 10);
    expect(pace.runsOutAt).toBe(NOW + Math.round((3.5 * DAY * 0.4) / 0.6));
    expect(pace.beforeReset).toBe(true);
  });

  it('says nothing alarming at an even or slower pace', () => {
    const pace = paceOf(window(0.3, NOW + 3.5 * DAY), NOW);
    expect(pace).toMatchObject({ kind: 'projected', beforeReset: false });
    expect(paceWarning(window(0.3, NOW + 3.5 * DAY), NOW)).toBeNull();
    // A hair over even: runs out 8 minutes before the reset of a 5 h window — projected, not worth a warning.
    const hair = { name: '5h', utilization: 0.12, resetsAt: NOW + 265 * 60_000, periodMs: 5 * HOUR };
    expect(paceOf(hair, NOW)).toMatchObject({ kind: 'projected', beforeReset: true });
    expect(paceWarning(hair, NOW)).toBeNull();
    // Exactly on pace: runs out at the reset, not before it.
    expect(paceOf(window(0.5, NOW + 3.5 * DAY), NOW)).toMatchObject({ kind: 'projected', runsOutAt: NOW + 3.5 * DAY, beforeReset: false });
  });

  it('0 % used never runs out; 100 % and more is used up, no projection', () => {
    expect(paceOf(window(0, NOW + DAY), NOW)).toEqual({ kind: 'idle', ratio: 0 });
    expect(paceOf(window(1, NOW + DAY), NOW)).toEqual({ kind: 'used-up' });
    expect(paceOf(window(1.3, NOW + DAY), NOW)).toEqual({ kind: 'used-up' });
    expect(paceWarning(window(1.3, NOW + DAY), NOW)).toBeNull();
  });

  it('a window that has just started projects nothing (one request a minute in is no rate)', () => {
    // 30 minutes into a 7-day window, 5 % used: at that rate it would be gone in 10 hours.
    expect(paceOf(window(0.05, NOW + week - 30 * 60_000), NOW)).toEqual({ kind: 'unknown', why: 'the window has just started' });
    // 10 % of the window gone: projected.
    expect(paceOf(window(0.05, NOW + week * 0.9), NOW).kind).toBe('projected');
  });

  it('no reset time, no window length, a passed reset or a reset beyond the window length: no projection', () => {
    expect(paceOf(window(0.5, null), NOW)).toEqual({ kind: 'unknown', why: 'no reset time' });
    expect(paceOf(window(0.5, NOW + DAY, null), NOW)).toEqual({ kind: 'unknown', why: 'window length not known' });
    expect(paceOf(window(0.5, NOW - 1), NOW)).toEqual({ kind: 'unknown', why: 'the window has reset' });
    expect(paceOf(window(0.5, NOW + 8 * DAY), NOW)).toEqual({ kind: 'unknown', why: 'reset further away than the window is long' });
  });

  it('words it as the issue asks: the day and time, and how long before the reset', () => {
    // NOW is Tuesday 2026-11-24 12:00 UTC; the window resets Saturday 12:00, so 3 of its 7 days are gone.
    const text = paceWarning({ name: '7d', utilization: 0.8, resetsAt: NOW + 4 * DAY, periodMs: week }, NOW);
    // 80 % in 3 days → the 20 % left last 0.75 days: out Wednesday 06:00, 3¼ days before the reset.
    expect(text).toBe('at this rate the 7d window is used up Wednesday 06:00, 3 days before it resets');
    expect(whenText(NOW + 2 * HOUR, NOW)).toBe('14:00');
    expect(whenText(NOW + 2 * DAY, NOW)).toBe('Thursday 12:00');
    expect(whenText(NOW + 10 * DAY, NOW)).toBe('2026-12-04 12:00');
  });

  it('a 5-hour window: 2 h in, 70 % used → out at 12:51, about 2 h before the reset', () => {
    const text = paceWarning({ name: '5h', utilization: 0.7, resetsAt: NOW + 3 * HOUR, periodMs: 5 * HOUR }, NOW);
    expect(text).toBe('at this rate the 5h window is used up 12:51, 2 h before it resets');
  });
});
