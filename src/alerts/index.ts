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

/** The channel types: the factory is built from this list, the config's union names each schema (a test holds them equal). */
export const notifiers = { email, ntfy, webhook, alertmanager, command, telegram, discord, slack, openclaw } satisfies Record<string, NotifierModule>;

type ChannelType = keyof typeof notifiers;

/** A channel, checked against its own type's schema. */
export const channelSchema = z.discriminatedUnion('type', [
  email.schema,
  ntfy.schema,
  webhook.schema,
  alertmanager.schema,
  command.schema,
  telegram.schema,
  discord.schema,
  slack.schema,
  openclaw.schema,
]);
type ChannelConfig = z.output<(typeof notifiers)[ChannelType]['schema']>;

export function createNotifier(channel: ChannelConfig, deps: NotifierDeps): Notifier {
  return (notifiers[channel.type].create as (config: ChannelConfig, deps: NotifierDeps) => Notifier)(channel, deps);
}
