import * as z from '../zod.js';
import * as alertmanager from './alertmanager.js';
import * as command from './command.js';
import * as email from './email.js';
import type { Notifier, NotifierDeps } from './notifier.js';
import * as ntfy from './ntfy.js';
import * as webhook from './webhook.js';

interface NotifierModule {
  schema: z.ZodMiniType<{ type: string; name: string; timeout: number }>;
  create(config: never, deps: NotifierDeps): Notifier;
  /** The channel must hear about every still-bad profile on every run (Alertmanager). */
  resendsFiring?: boolean;
}

/** The only list of channel types: the config's union and the factory are built from it. */
export const notifiers = { email, ntfy, webhook, alertmanager, command } satisfies Record<string, NotifierModule>;

// Built on first use, like each channel's schema: a run whose config has no channels (or no
// config at all) never pays for constructing them.
export const channelSchema = z.lazy(() => z.discriminatedUnion('type', [email.schema, ntfy.schema, webhook.schema, alertmanager.schema, command.schema]));
export type ChannelConfig = z.output<typeof channelSchema>;

export function createNotifier(channel: ChannelConfig, deps: NotifierDeps): Notifier {
  return (notifiers[channel.type].create as (config: ChannelConfig, deps: NotifierDeps) => Notifier)(channel, deps);
}

export function resendsFiring(channel: ChannelConfig): boolean {
  return (notifiers[channel.type] as NotifierModule).resendsFiring === true;
}
