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
 * Formats a span the way `openclaw models status` does: `0m`, `Nm`, `Nh` under 48 hours,
 * `Nd` beyond; negative spans get a leading minus.
 */
export function formatSpan(ms: number): string {
  const abs = Math.abs(ms);
  const sign = ms < 0 && abs >= unitMs.m ? '-' : '';
  if (abs < unitMs.h) return `${sign}${Math.floor(abs / unitMs.m)}m`;
  if (abs < 48 * unitMs.h) return `${sign}${Math.floor(abs / unitMs.h)}h`;
  return `${sign}${Math.floor(abs / unitMs.d)}d`;
}

/** Human phrase for a remaining span: `in 3h`, `2d ago`. */
export function describeSpan(ms: number): string {
  return ms >= 0 ? `in ${formatSpan(ms)}` : `${formatSpan(-ms)} ago`;
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
