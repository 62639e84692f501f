/** A full date, optionally followed by a time: Date.parse alone also takes "1", "May 5" and the like. */
const isoStart = /^(?:[+-]\d{6}|\d{4})-\d{2}-\d{2}(?=$|[T ])/i;
const timePart = /^(?:[+-]\d{6}|\d{4})-\d{2}-\d{2}[T ]\d{2}:\d{2}/i;
const offset = /(?:Z|[+-]\d{2}:?\d{2})$/i;

export type IsoInstant = { ok: true; ms: number } | { ok: false; problem: 'not-iso' | 'no-offset' };

/**
 * An ISO-8601 date (midnight UTC) or date-time → epoch ms. With `requireOffset`, a date-time
 * without `Z`/`+01:00` is refused: it would mean another instant under each TZ a run has.
 */
export function parseIsoInstant(text: string, requireOffset: boolean): IsoInstant {
  const trimmed = text.trim();
  if (!isoStart.test(trimmed)) return { ok: false, problem: 'not-iso' };
  if (requireOffset && timePart.test(trimmed) && !offset.test(trimmed)) return { ok: false, problem: 'no-offset' };
  const ms = Date.parse(trimmed);
  return Number.isFinite(ms) ? { ok: true, ms } : { ok: false, problem: 'not-iso' };
}
