/** Largest value OpenClaw accepts as an expiry (the maximum JavaScript date). */
const maxEpochMs = 8.64e15;
/** Below this, a millisecond value lies in early 1973: almost surely seconds by mistake. */
const plausibleMsFloor = 1e11;

export type EpochCheck = { ok: true; ms: number | null } | { ok: false; message: string };

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Validates an expiry stored as epoch milliseconds. `undefined`/`null` mean "no expiry".
 * Values that cannot be a real expiry are rejected with words a user can act on — in
 * particular seconds written where milliseconds belong, which OpenClaw would read as 1970.
 */
export function checkEpochMs(value: unknown, field: string): EpochCheck {
  if (value === undefined || value === null) return { ok: true, ms: null };
  if (typeof value === 'number' && !Number.isFinite(value)) return { ok: false, message: `${field} is not a finite number (${value})` };
  if (typeof value !== 'number') {
    const shown = typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? ' (a number in quotes)' : '';
    return { ok: false, message: `${field} must be a number of epoch milliseconds, found ${typeName(value)}${shown}` };
  }
  if (value <= 0) return { ok: false, message: `${field} is ${value}: not a valid time (expected epoch milliseconds > 0)` };
  if (value > maxEpochMs) return { ok: false, message: `${field} is ${value}: beyond the largest valid date` };
  if (value < plausibleMsFloor) {
    if (value >= 1e9) {
      const asSeconds = new Date(value * 1000).toISOString();
      return {
        ok: false,
        message: `${field} is ${value}, which looks like seconds, not milliseconds (as seconds: ${asSeconds}; read as milliseconds it is January 1970)`,
      };
    }
    return { ok: false, message: `${field} is ${value}: a time in 1970, not a valid expiry` };
  }
  return { ok: true, ms: value };
}
