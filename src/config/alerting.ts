import * as z from '../core/zod.js';
import { channelSchema } from '../alerts/index.js';
import { duration } from './primitives.js';
import { defaultRepeat } from './defaults.js';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const quietHours = (() => {
  // "7:00" is 07:00; the stored form is always two-digit hours.
  const clock = z.pipe(
    z.string().check(z.regex(/^([01]?\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected a time like "22:00" or "7:00"')),
    z.transform((text: string) => text.padStart(5, '0')),
  );
  return z.strictObject({
    timeZone: z.string().check(z.refine(isTimeZone, 'expected an IANA time zone such as "Europe/Berlin"')),
    start: clock,
    end: clock,
    /** expired, missing and error alerts go through during quiet hours */
    allowCritical: z._default(z.boolean(), true),
  });
})();
export type QuietHours = z.output<typeof quietHours>;

export const alertingSchema = z.strictObject({
  /** remind after this long while a profile stays in that status */
  repeat: z._default(
    z.strictObject({
      expiring: z._default(duration, defaultRepeat.expiring),
      expired: z._default(duration, defaultRepeat.expired),
      missing: z._default(duration, defaultRepeat.missing),
      error: z._default(duration, defaultRepeat.error),
    }),
    defaultRepeat,
  ),
  /** tell when a profile is ok again */
  sendResolved: z._default(z.boolean(), true),
  quietHours: z.optional(quietHours),
  /** the name alerts use for this machine (default: the host name) */
  host: z.optional(z.string().check(z.minLength(1))),
});
export type AlertingConfig = z.output<typeof alertingSchema>;

/** The channels, each named once. */
export const channelsSchema = z.array(channelSchema).check(
  z.superRefine((channels, ctx) => {
    const seen = new Set<string>();
    channels.forEach((channel, index) => {
      if (seen.has(channel.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `the channel name "${channel.name}" is used twice` });
      seen.add(channel.name);
    });
  }),
);
