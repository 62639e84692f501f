import * as z from '../core/zod.js';
import { statuses } from '../evaluate/status.js';

/**
 * The alert memory (`state.json`). Loaded only for a state that is not as authwatch writes it
 * (decide.ts's quick test takes those): a timer run with channels loads no zod.
 */
export const alertStateSchema = (() => {
  const status = z.enum(statuses);
  const fingerprint = z.nullable(z.string());
  const channelMemory = z.object({
    /** What this channel was last successfully told, per profile key (only bad statuses). */
    told: z.record(z.string(), z.object({ status, at: z.number(), fingerprint })),
    failures: z.int().check(z.gte(0)),
    retryAt: z.nullable(z.number()),
    lastError: z.nullable(z.string()),
  });
  return z.object({
    version: z.literal(1),
    /** Last seen status of every profile, and since when. */
    profiles: z.record(z.string(), z.object({ status, since: z.number(), fingerprint })),
    channels: z.record(z.string(), channelMemory),
  });
})();
