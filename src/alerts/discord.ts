import * as z from '../core/zod.js';
import { channelBase, secretFields, optionalSecret } from './channel-base.js';
import { clip, postRetryingOn429, secretGiven, webhookUrl, type JsonRequest } from './chat-http.js';
import { annotationsOf, batchSeverity, orderNotices, severityOf, titleOf, type Severity } from './message.js';
import type { AlertBatch, Notifier, NotifierDeps } from './notifier.js';

export const schema = z
  .strictObject({
    ...channelBase(),
    type: z.literal('discord'),
    /** the webhook URL is its own secret (its token is in the path): a file or a variable holds it */
    ...secretFields('url'),
    /** the name the messages are posted under */
    username: z._default(z.string().check(z.minLength(1), z.maxLength(80)), 'authwatch'),
  })
  .check(secretGiven('url'));
type DiscordConfig = z.output<typeof schema>;

const colours: Record<Severity, number> = { critical: 0xe74c3c, warning: 0xf1c40f, info: 0x2ecc71 };

// Discord's limits: 10 embeds per message, 256 characters per title, 6000 in all embeds together.
const maxEmbeds = 10;
const titleLimit = 256;
const embedsLimit = 6000;

/** One embed per notice (worst first), coloured by severity; past ten, the last one counts the rest. */
export function toDiscordRequest(config: DiscordConfig, batch: AlertBatch, url: string): JsonRequest {
  const timestamp = new Date(batch.now).toISOString();
  const footer = { text: `authwatch on ${batch.host}` };
  const notices = orderNotices(batch.notices);
  const shown = notices.length > maxEmbeds ? notices.slice(0, maxEmbeds - 1) : notices;
  const parts = batch.about
    ? [{ title: batch.about.subject, description: batch.about.text, severity: batch.about.severity }]
    : shown.map((notice) => {
        const { summary, description } = annotationsOf(notice);
        return { title: summary, description, severity: severityOf(notice) };
      });
  if (shown.length < notices.length) {
    parts.push({
      title: `+${notices.length - shown.length} more`,
      description: `Run \`authwatch check\` on ${batch.host} for all of them.`,
      severity: batchSeverity(batch),
    });
  }
  const titles = parts.map((part) => clip(part.title, titleLimit));
  const room = Math.floor((embedsLimit - titles.join('').length - footer.text.length * parts.length) / parts.length);
  const embeds = parts.map((part, i) => ({
    title: titles[i],
    description: clip(part.description, Math.min(4096, room)),
    color: colours[part.severity],
    timestamp,
    footer,
  }));
  return {
    url,
    headers: { 'content-type': 'application/json' },
    // No mentions: a profile or host name can never ping @everyone.
    body: JSON.stringify({ username: config.username, content: clip(titleOf(batch), 2000), embeds, allowed_mentions: { parse: [] } }),
  };
}

/** @public Read through `notifiers` in ./index.ts by channel type. */
export function create(config: DiscordConfig, deps: NotifierDeps): Notifier {
  return {
    async send(batch) {
      const field = `channels.${config.name}.url${config.urlFile !== undefined ? 'File' : 'Env'}`;
      const url = webhookUrl(
        (await optionalSecret(config, 'url', `channels.${config.name}`, deps.env))!,
        field,
        'https://discord.com/api/webhooks/<id>/<token>',
      );
      await postRetryingOn429(toDiscordRequest(config, batch, url), config.timeout);
    },
  };
}
