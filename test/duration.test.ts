import { afterEach, describe, expect, it } from 'vitest';
import { describeSpan, formatLocalTime, formatSpan } from '../src/core/duration.js';

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
  it('formats like openclaw models status', () => {
    expect([59_000, 60_000, 3_599_999, 3_600_000, 47 * 3_600_000, 48 * 3_600_000].map(formatSpan)).toEqual(['0m', '1m', '59m', '1h', '47h', '2d']);
    expect(formatSpan(-90 * 60_000)).toBe('-1h');
    expect(describeSpan(3 * 3_600_000)).toBe('in 3h');
    expect(describeSpan(-3 * 86_400_000)).toBe('3d ago');
  });
});
