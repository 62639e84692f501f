/** A full date, optionally followed by a time: Date.parse alone also takes "1", "May 5" and the like. */
const isoStart = /^(?:[+-]\d{6}|\d{4})-\d{2}-\d{2}(?=$|[T ])/i;
const timePart = /^(?:[+-]\d{6}|\d{4})-\d{2}-\d{2}[T ]\d{2}:\d{2}/i;
const offset = /(?:Z|[+-]\d{2}:?\d{2})$/i;
const fields = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/i;

/** The largest time a JavaScript Date can hold (year 275760), and so the largest OpenClaw accepts. */
export const maxEpochMs = 8.64e15;

/**
 * Whether a number of a field that may hold either unit is epoch seconds: below 1e11, which as
 * milliseconds lies before March 1973. OpenClaw's own rule wherever it guesses (2026.9.6
 * dist/provider-auth-*.mjs `resolveCopilotTokenExpiresAtMs`, session-files-*.mjs
 * `parseSessionTimestampMs`: `value < 1e11` is seconds).
 */
export function looksLikeEpochSeconds(value: number): boolean {
  return value > 0 && value < 1e11;
}

/**
 * Whether `ms` can stand for a point in time everywhere authwatch shows one (Date, ISO
 * strings, local times, Prometheus): after 1970 and within a Date's range. Every time read
 * from outside — a provider's answer, a credential file, our own state files — passes here,
 * so nothing downstream meets NaN or a RangeError.
 */
export function isValidTimeMs(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 && ms <= maxEpochMs;
}

type IsoInstant = { ok: true; ms: number } | { ok: false; problem: 'not-iso' | 'no-offset' | 'impossible-date' };

/** Whether the written calendar fields exist (Date.parse rolls 2027-02-29 over to March 1st). */
function calendarExists(text: string): boolean {
  const [, year, month, day, hour, minute, second] = fields.exec(text)!.map(Number);
  const daysInMonth = new Date(Date.UTC(2000, month!, 0)).getUTCDate() - (month === 2 && !isLeap(year!) ? 1 : 0);
  if (month! < 1 || month! > 12 || day! < 1 || day! > daysInMonth) return false;
  if (Number.isNaN(hour)) return true;
  return (hour! < 24 || (hour === 24 && minute === 0 && !second)) && minute! < 60 && (Number.isNaN(second) || second! < 60);
}

const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * An ISO-8601 date (midnight UTC) or date-time → epoch ms. With `requireOffset`, a date-time
 * without `Z`/`+01:00` is refused: it would mean another instant under each TZ a run has.
 * A date that does not exist (2027-02-29, 2026-11-31) is refused, not rolled over.
 */
export function parseIsoInstant(text: string, requireOffset: boolean): IsoInstant {
  const trimmed = text.trim();
  if (!isoStart.test(trimmed)) return { ok: false, problem: 'not-iso' };
  if (requireOffset && timePart.test(trimmed) && !offset.test(trimmed)) return { ok: false, problem: 'no-offset' };
  if (!calendarExists(trimmed)) return { ok: false, problem: 'impossible-date' };
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) ? { ok: true, ms } : { ok: false, problem: 'not-iso' };
}

/** Why a text is not an instant, in words that say the fix. */
export function isoProblemText(problem: Exclude<IsoInstant, { ok: true }>['problem'], text: string): string {
  const trimmed = text.trim();
  if (problem === 'no-offset') return `a date-time needs its time zone offset: add Z or +01:00 (e.g. "${trimmed.slice(0, 19)}Z")`;
  if (problem === 'impossible-date') return `${fields.exec(trimmed)![0]} is not a real date or time (no such day in that month, or no such hour): it would roll over to another`;
  return 'expected an ISO-8601 date or date-time, e.g. "2026-01-10T09:00:00Z"';
}
