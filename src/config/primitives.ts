import * as z from '../core/zod.js';
import { durationHint, parseDuration } from '../core/duration.js';

// Built on first use: only a config that is parsed needs them.

/** `"24h"` → 86 400 000 (milliseconds). */
export const duration = z.lazy(() =>
  z.pipe(
    z.string(),
    z.transform((text: string, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined || ms <= 0) {
        ctx.issues.push({ code: 'custom', message: `expected ${durationHint}`, input: text });
        return z.NEVER;
      }
      return ms;
    }),
  ),
);

/** An ISO-8601 date or date-time (`2026-01-10`, `2026-01-10T09:00:00Z`) → epoch ms. */
export const instant = z.lazy(() =>
  z.pipe(
    z.string(),
    z.transform((text: string, ctx) => {
      const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
      if (!Number.isFinite(ms)) {
        ctx.issues.push({ code: 'custom', message: 'expected an ISO-8601 date or date-time, e.g. "2026-01-10T09:00:00Z"', input: text });
        return z.NEVER;
      }
      return ms;
    }),
  ),
);
