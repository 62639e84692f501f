import * as z from '../core/zod.js';
import * as alertmanager from './alertmanager.js';
import * as command from './command.js';
import * as discord from './discord.js';
import * as email from './email.js';
import type { Notifier, NotifierDeps } from './notifier.js';
import * as ntfy from './ntfy.js';
import * as openclaw from './openclaw.js';
import * as slack from './slack.js';
import * as telegram from './telegram.js';
import * as webhook from './webhook.js';

interface NotifierModule {
  schema: z.ZodMiniType<{ type: string; name: string; timeout: number }>;
  create(config: never, deps: NotifierDeps): Notifier;
}

/** The only list of channel types: the config's union and the factory are built from it. */
export const notifiers = { email, ntfy, webhook, alertmanager, command, telegram, discord, slack, openclaw } satisfies Record<string, NotifierModule>;

type ChannelType = keyof typeof notifiers;
const channelTypes = Object.keys(notifiers) as [ChannelType, ...ChannelType[]];

/**
 * A channel is checked against its own type's schema only. A discriminated union would build all
 * channel schemas on every run that has any channel, the biggest part of parsing a config.
 * Built on first use, like each schema.
 */
export const channelSchema = z.lazy(() =>
  z.pipe(
    z.looseObject({ type: z.enum(channelTypes) }),
    z.transform((channel, ctx) => {
      const result = (notifiers[channel.type].schema as z.ZodMiniType<ChannelConfig>).safeParse(channel);
      if (result.success) return result.data;
      ctx.issues.push(...(result.error.issues as typeof ctx.issues));
      return z.NEVER;
    }),
  ),
);
export type ChannelConfig = z.output<(typeof notifiers)[ChannelType]['schema']>;

export function createNotifier(channel: ChannelConfig, deps: NotifierDeps): Notifier {
  return (notifiers[channel.type].create as (config: ChannelConfig, deps: NotifierDeps) => Notifier)(channel, deps);
}
