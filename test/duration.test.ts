import { afterEach, describe, expect, it } from 'vitest';
import { describeSpan, expiryPhrase, formatLocalTime, formatSpan } from '../src/core/duration.js';

const originalTz = process.env.TZ;
afterEach(() => {
  // Node re-reads TZ whenever it is assigned.
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

describe('formatLocalTime', () => {
  const instant = Date.UTC(2026, 0, 5, 7, 4, 59); // 2026-01-05 07:04:59 UTC

  it.each([
    ['UTC', '2026-01-05 07:04 +00:00'],
    ['Asia/Kolkata', '2026-01-05 12:34 +05:30'],
    ['America/St_Johns', '2026-01-05 03:34 -03:30'],
    ['Pacific/Kiritimati', '2026-01-05 21:04 +14:00'],
  ])('in %s', (zone, expected) => {
    process.env.TZ = zone;
    expect(formatLocalTime(instant)).toBe(expected);
  });

  it('follows daylight saving time', () => {
    process.env.TZ = 'Europe/Berlin';
    expect(formatLocalTime(Date.UTC(2026, 6, 1, 22, 0))).toBe('2026-07-02 00:00 +02:00');
    expect(formatLocalTime(Date.UTC(2026, 11, 31, 23, 0))).toBe('2027-01-01 00:00 +01:00');
  });
});

describe('spans', () => {
  const minute = 60_000;
  const hour = 60 * minute;
  it('rounds like openclaw models status (formatRemainingShort), never 0m', () => {
    expect([1, 29_000, 59_000, 60_000, 89_999, 59 * minute + 29_000, 59 * minute + 31_000, hour].map(formatSpan)).toEqual(['1m', '1m', '1m', '1m', '1m', '59m', '1h', '1h']);
    // A 20h token a few seconds into its life, the mail sent at 15:32 for 17:32.
    expect(formatSpan(20 * hour - 5_000)).toBe('20h');
    expect(formatSpan(2 * hour - 30_000)).toBe('2h');
    expect([47 * hour + 29 * minute, 47 * hour + 31 * minute, 59 * hour, 60 * hour].map(formatSpan)).toEqual(['47h', '2d', '2d', '3d']);
    expect(formatSpan(-90 * minute)).toBe('-2h');
  });
  it('says in/ago, and just now rather than 0m ago', () => {
    expect(describeSpan(3 * hour)).toBe('in 3h');
    expect(describeSpan(-3 * 86_400_000)).toBe('3d ago');
    expect(describeSpan(-60_000 + 1)).toBe('just now');
    expect(describeSpan(-61_000)).toBe('1m ago');
    expect(expiryPhrase(20 * hour - 1)).toBe('expires in 20h');
    expect(expiryPhrase(-60_000)).toBe('expired 1m ago');
    expect(expiryPhrase(-1_000)).toBe('expired just now');
    // The very moment of expiry: not "expired in 1m".
    expect(describeSpan(0)).toBe('just now');
    expect(expiryPhrase(0)).toBe('expired just now');
    expect(expiryPhrase(1)).toBe('expires in 1m');
  });
});
