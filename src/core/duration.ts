const unitMs = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

const durationPattern = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/;

/** Parses `45m`, `24h`, `365d`, `2w`, `1.5h` into milliseconds; `undefined` when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = durationPattern.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  return Number.isFinite(value) ? Math.round(value) : undefined;
}

export const durationHint = 'a duration like "45m", "24h", "14d" or "2w"';

/**
 * Formats a span the way `openclaw models status` does (its formatRemainingShort): rounded to
 * the nearest minute, then hour, then day — `Nm` under an hour, `Nh` under 48 hours, `Nd`
 * beyond. Never `0m`: anything under a minute is `1m`. Negative spans get a leading minus.
 */
export function formatSpan(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const minutes = Math.max(1, Math.round(Math.abs(ms) / unitMs.m));
  if (minutes < 60) return `${sign}${minutes}m`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${sign}${hours}h`;
  return `${sign}${Math.round(hours / 24)}d`;
}

/** Human phrase for a remaining span: `in 3h`, `2d ago`, `just now` (now, or under a minute ago, as OpenClaw says). */
export function describeSpan(ms: number): string {
  if (ms > 0) return `in ${formatSpan(ms)}`;
  return -ms < unitMs.m ? 'just now' : `${formatSpan(-ms)} ago`;
}

/** `expires in 3h` / `expired 2d ago`: how every output words an expiry (table detail, JSON, alerts). */
export function expiryPhrase(remainingMs: number): string {
  return remainingMs > 0 ? `expires ${describeSpan(remainingMs)}` : `expired ${describeSpan(remainingMs)}`;
}

/** Local wall-clock time, minute precision, with the zone offset: `2026-11-24 21:05 +01:00`. */
export function formatLocalTime(ms: number): string {
  const date = new Date(ms);
  const offsetMinutes = -date.getTimezoneOffset();
  const offset = Math.abs(offsetMinutes);
  return (
    `${date.getFullYear()}-${twoDigits(date.getMonth() + 1)}-${twoDigits(date.getDate())} ` +
    `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())} ${offsetMinutes >= 0 ? '+' : '-'}${twoDigits(Math.floor(offset / 60))}:${twoDigits(offset % 60)}`
  );
}

/** 0–99 as two digits (a table prints one date per row: no closure, no padStart). */
function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
