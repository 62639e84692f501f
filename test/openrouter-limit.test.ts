import { describe, expect, it } from 'vitest';
import { limitPeriod } from '../src/live/providers/openrouter.js';

// OpenRouter's key limit resets "automatically at midnight UTC, and weeks are Monday through
// Sunday" (API reference, CreateKeysLimitReset): the period a limit_reset value names.

const at = (text: string) => Date.parse(text);

describe('OpenRouter key limit period', () => {
  it('daily, weekly (Monday to Sunday) and monthly, at midnight UTC', () => {
    // 2026-11-24 is a Tuesday.
    expect(limitPeriod('daily', at('2026-11-24T23:59:00Z'))).toEqual({ name: 'day', resetsAt: at('2026-11-25T00:00:00Z'), periodMs: 86_400_000 });
    expect(limitPeriod('weekly', at('2026-11-24T12:00:00Z'))).toEqual({ name: 'week', resetsAt: at('2026-11-30T00:00:00Z'), periodMs: 7 * 86_400_000 });
    expect(limitPeriod('weekly', at('2026-11-29T23:00:00Z'))!.resetsAt).toBe(at('2026-11-30T00:00:00Z')); // Sunday: the week ends tonight
    expect(limitPeriod('weekly', at('2026-11-30T00:00:00Z'))!.resetsAt).toBe(at('2026-12-07T00:00:00Z')); // Monday: a new week
    expect(limitPeriod('monthly', at('2026-12-31T23:00:00Z'))).toEqual({ name: 'month', resetsAt: at('2027-01-01T00:00:00Z'), periodMs: 31 * 86_400_000 });
    expect(limitPeriod('monthly', at('2027-02-10T00:00:00Z'))!.periodMs).toBe(28 * 86_400_000);
  });

  it('no reset, or a value it does not document: no period', () => {
    expect(limitPeriod(null, at('2026-11-24T12:00:00Z'))).toBeNull();
    expect(limitPeriod('hourly', at('2026-11-24T12:00:00Z'))).toBeNull();
  });
});
