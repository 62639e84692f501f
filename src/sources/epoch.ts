import { isoProblemText, isValidTimeMs, looksLikeEpochSeconds, maxEpochMs, parseIsoInstant } from '../core/iso-time.js';

export type EpochCheck = { ok: true; ms: number | null } | { ok: false; message: string };

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** `1e20` stays `1e20` in a message, not twenty-one digits. */
function shownNumber(value: number): string {
  return Math.abs(value) >= 1e16 ? value.toExponential().replace('e+', 'e') : String(value);
}

/** The range check shared by every unit, on the value as the file wrote it. */
function outOfRange(field: string, written: number, ms: number, unit: string): string | null {
  if (!Number.isFinite(written)) return `${field} is not a finite number (${written})`;
  if (written <= 0) return `${field} is ${shownNumber(written)}: not a valid time (expected epoch ${unit} > 0)`;
  if (ms > maxEpochMs) return `${field} ${shownNumber(written)} is not a valid time: beyond the largest valid date (year 275760)`;
  return null;
}

/**
 * Validates an expiry stored as epoch milliseconds. `undefined`/`null` mean "no expiry".
 * Values that cannot be a real expiry are rejected with words a user can act on — in
 * particular seconds written where milliseconds belong, which OpenClaw would read as 1970.
 */
export function checkEpochMs(value: unknown, field: string): EpochCheck {
  if (value === undefined || value === null) return { ok: true, ms: null };
  if (typeof value !== 'number') {
    const shown = typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? ' (a number in quotes)' : '';
    return { ok: false, message: `${field} must be a number of epoch milliseconds, found ${typeName(value)}${shown}` };
  }
  const wrong = outOfRange(field, value, value, 'milliseconds');
  if (wrong) return { ok: false, message: wrong };
  // OpenClaw reads its stores' `expires` as milliseconds only: a value that looks like seconds is a mistake to name, not to convert.
  if (looksLikeEpochSeconds(value)) {
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

/** An expiry in epoch seconds (a JWT's `exp`, a declared `unit: "s"`). `undefined`/`null` mean none. */
export function checkEpochSeconds(value: unknown, field: string): EpochCheck {
  if (value === undefined || value === null) return { ok: true, ms: null };
  if (typeof value !== 'number') return { ok: false, message: `${field} must be a number of epoch seconds, found ${typeName(value)}` };
  const wrong = outOfRange(field, value, value * 1000, 'seconds');
  return wrong ? { ok: false, message: wrong } : { ok: true, ms: value * 1000 };
}

/**
 * An ISO-8601 date-time string, with its offset: without one it would be read in each run's
 * local time (ok under one TZ, expired under another). `undefined`/`null` mean none.
 */
export function checkIsoTime(value: unknown, field: string): EpochCheck {
  if (value === undefined || value === null) return { ok: true, ms: null };
  const text = typeof value === 'string' ? value.trim() : '';
  const parsed = parseIsoInstant(text, true);
  if (!parsed.ok && parsed.problem !== 'not-iso') return { ok: false, message: `${field} ${text}: ${isoProblemText(parsed.problem, text)}` };
  const ms = parsed.ok ? parsed.ms : Number.NaN;
  if (Number.isNaN(ms)) return { ok: false, message: `${field} is not an ISO-8601 date-time${typeof value === 'string' ? '' : ` (found ${typeName(value)})`}` };
  return isValidTimeMs(ms) ? { ok: true, ms } : { ok: false, message: `${field} is not a valid time (before 1970)` };
}
