import * as z from '../core/zod.js';
import { durationHint, parseDuration } from '../core/duration.js';
import { isoProblemText, parseIsoInstant } from '../core/iso-time.js';

/** `"24h"` → 86 400 000 (milliseconds). */
export const duration = z.pipe(
  z.string(),
  z.transform((text: string, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0) {
      ctx.issues.push({ code: 'custom', message: `expected ${durationHint}`, input: text });
      return z.NEVER;
    }
    return ms;
  }),
);

/**
 * An ISO-8601 date (`2026-01-10`, midnight UTC) or a date-time with its offset
 * (`2026-01-10T09:00:00Z`, `…T09:00:00+01:00`) → epoch ms. A date-time without one is refused:
 * it would mean a different instant under each TZ the check happens to run with.
 */
export const instant = z.pipe(
  z.string(),
  z.transform((text: string, ctx) => {
    const parsed = parseIsoInstant(text, true);
    if (parsed.ok) return parsed.ms;
    ctx.issues.push({ code: 'custom', message: isoProblemText(parsed.problem, text), input: text });
    return z.NEVER;
  }),
);
