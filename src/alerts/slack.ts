import * as z from '../core/zod.js';
import { formatLocalTime } from '../core/duration.js';
import { channelBase, secretFields, optionalSecret } from './channel-base.js';
import { clip, postRetryingOn429, secretGiven, webhookUrl, type JsonRequest } from './chat-http.js';
import { annotationsOf, orderNotices, titleOf } from './message.js';
import type { AlertBatch, Notifier, NotifierDeps } from './notifier.js';

export const schema = z
  .strictObject({
    ...channelBase(),
    type: z.literal('slack'),
    /** the incoming webhook URL is its own secret: a file or a variable holds it */
    ...secretFields('url'),
  })
  .check(secretGiven('url'));
type SlackConfig = z.output<typeof schema>;

// Slack's limits: 50 blocks per message, 150 characters in a header, 3000 in a section.
const maxSections = 48;
const headerLimit = 150;
const sectionLimit = 3000;

/** mrkdwn treats only these as markup to escape; `<!channel>`-style mentions and links cannot be formed. */
const escapeMrkdwn = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: clip(text, sectionLimit) } });

/** A header, one section per notice (worst first), a context line; `text` is what notifications show. */
export function toSlackRequest(batch: AlertBatch, url: string): JsonRequest {
  const title = titleOf(batch);
  const notices = orderNotices(batch.notices);
  const shown = notices.slice(0, notices.length > maxSections ? maxSections - 1 : maxSections);
  const sections = batch.about
    ? [section(escapeMrkdwn(batch.about.text))]
    : shown.map((notice) => {
        const { summary, description } = annotationsOf(notice);
        return section(`*${escapeMrkdwn(summary)}*\n${escapeMrkdwn(description)}`);
      });
  if (shown.length < notices.length && !batch.about)
    sections.push(section(`+${notices.length - shown.length} more: run \`authwatch check\` on ${escapeMrkdwn(batch.host)}`));
  const blocks = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, headerLimit) } },
    ...sections,
    { type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(`authwatch on ${batch.host}, ${formatLocalTime(batch.now)}`) }] },
  ];
  return { url, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: title, blocks }) };
}

/** @public Read through `notifiers` in ./index.ts by channel type. */
export function create(config: SlackConfig, deps: NotifierDeps): Notifier {
  return {
    async send(batch) {
      const field = `channels.${config.name}.url${config.urlFile !== undefined ? 'File' : 'Env'}`;
      const url = webhookUrl((await optionalSecret(config, 'url', `channels.${config.name}`, deps.env))!, field, 'https://hooks.slack.com/services/T…/B…/…');
      await postRetryingOn429(toSlackRequest(batch, url), config.timeout);
    },
  };
}
