import { describe, expect, it } from 'vitest';
import { checkEpochMs } from '../src/sources/epoch.js';
import { timeOf } from '../src/live/provider.js';

// Seconds or milliseconds: one rule (core/iso-time.ts `looksLikeEpochSeconds`), OpenClaw's own
// (dist/provider-auth-*.mjs `resolveCopilotTokenExpiresAtMs`: `< 1e11` is seconds). A store's
// `expires` is milliseconds only, so there a value that looks like seconds is named as a mistake;
// a provider's reset time (Codex's `reset_at` is seconds: provider-usage.fetch.codex-*.mjs
// `reset_at * 1e3`) is converted.
const boundary = 1e11;

describe('seconds or milliseconds, at the boundary', () => {
  it('a store expiry just below 1e11 is named as seconds; 1e11 is milliseconds', () => {
    expect(checkEpochMs(boundary - 1, 'expires')).toEqual({ ok: false, message: `expires is ${boundary - 1}, which looks like seconds, not milliseconds (as seconds: ${new Date((boundary - 1) * 1000).toISOString()}; read as milliseconds it is January 1970)` });
    expect(checkEpochMs(boundary, 'expires')).toEqual({ ok: true, ms: boundary });
  });

  it('a provider time just below 1e11 is seconds; 1e11 is milliseconds', () => {
    expect(timeOf(boundary - 1)).toBe((boundary - 1) * 1000);
    expect(timeOf(boundary)).toBe(boundary);
    expect(timeOf(1_790_000_000)).toBe(1_790_000_000_000);
    expect(timeOf(1_790_000_000_000)).toBe(1_790_000_000_000);
  });

  it('the two readers draw the line in the same place', () => {
    for (const value of [1, 1e9, boundary - 1, boundary, boundary + 1, 1e12 - 1, 1e12, 1.79e12]) {
      expect([value, checkEpochMs(value, 'expires').ok]).toEqual([value, timeOf(value) === value]);
    }
  });
});
