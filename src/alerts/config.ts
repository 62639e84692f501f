import { z } from 'zod';
import { duration } from '../config/primitives.js';
import { channelSchema } from './index.js';

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected a time like "22:00"');

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const quietHours = z.strictObject({
  timeZone: z.string().refine(isTimeZone, 'expected an IANA time zone such as "Europe/Berlin"'),
  start: clock,
  end: clock,
  allowCritical: z.boolean().default(true).describe('expired, missing and error alerts go through during quiet hours'),
});
export type QuietHours = z.output<typeof quietHours>;

const day = 86_400_000;
const hours4 = 4 * 3_600_000;

export const alertingSchema = z.strictObject({
  repeat: z
    .strictObject({
      expiring: duration.default(day),
      expired: duration.default(hours4),
      missing: duration.default(hours4),
      error: duration.default(hours4),
    })
    .default({ expiring: day, expired: hours4, missing: hours4, error: hours4 })
    .describe('remind after this long while a profile stays in that status'),
  sendResolved: z.boolean().default(true).describe('tell when a profile is ok again'),
  quietHours: quietHours.optional(),
  host: z.string().min(1).optional().describe('the name alerts use for this machine (default: the host name)'),
});
export type AlertingConfig = z.output<typeof alertingSchema>;

export const channelsSchema = z
  .array(channelSchema)
  .default([])
  .superRefine((channels, ctx) => {
    const seen = new Set<string>();
    channels.forEach((channel, index) => {
      if (seen.has(channel.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `the channel name "${channel.name}" is used twice` });
      seen.add(channel.name);
    });
  });

export const defaultAlerting: AlertingConfig = alertingSchema.parse({});
