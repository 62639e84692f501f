import * as z from '../core/zod.js';
import { AuthwatchError } from '../core/errors.js';
import { channelBase, secretFields, optionalSecret } from './channel-base.js';
import { clip, postRetryingOn429, secretGiven, type JsonRequest } from './chat-http.js';
import { batchSeverity, textOf, titleOf } from './message.js';
import type { AlertBatch, Notifier, NotifierDeps } from './notifier.js';

export const schema = z
  .strictObject({
    ...channelBase(),
    type: z.literal('telegram'),
    /** a chat id (a group's is negative) or a channel's @username */
    chatId: z.union([
      z.int(),
      z.string().check(z.regex(/^(-?\d+|@[A-Za-z0-9_]{5,32})$/, 'expected a chat id such as "-1001234567890" or a channel such as "@my_alerts"')),
    ]),
    /** a forum topic of the chat */
    threadId: z.optional(z.int().check(z.gte(1))),
    /** the Bot API server (a local Bot API server, or a test's) */
    apiUrl: z._default(z.url({ protocol: /^https?$/, error: 'expected the Bot API server, e.g. https://api.telegram.org' }), 'https://api.telegram.org'),
    ...secretFields('token'),
  })
  .check(secretGiven('token'));
type TelegramConfig = z.output<typeof schema>;

/** The Bot API refuses longer texts (4096 characters after entities are parsed); room is left for the title. */
const textLimit = 3800;

/** MarkdownV2 wants every one of these escaped outside entities. */
const escapeMarkdown = (text: string) => text.replace(/[_*[\]()~`>#+\-=|{}.!\\]/g, '\\$&');

/** The text with its `code` spans kept as code (inside which only ` and \ are special) and everything else escaped. */
export function markdownV2(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? `\`${part.slice(1, -1).replace(/\\/g, '\\\\')}\`` : escapeMarkdown(part)))
    .join('');
}

/** `sendMessage` with a bold title and the escaped text: nothing in a notice can break the markup. */
function toTelegramRequest(config: TelegramConfig, batch: AlertBatch, token: string): JsonRequest {
  const text = `*${escapeMarkdown(titleOf(batch))}*\n\n${markdownV2(clip(textOf(batch).trim(), textLimit))}`;
  return {
    url: `${config.apiUrl.replace(/\/+$/, '')}/bot${token}/sendMessage`,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      chat_id: config.chatId,
      ...(config.threadId !== undefined ? { message_thread_id: config.threadId } : {}),
      text,
      parse_mode: 'MarkdownV2',
      link_preview_options: { is_disabled: true },
      disable_notification: batchSeverity(batch) === 'info',
    }),
  };
}

/** Telegram says how long to wait in the body (`parameters.retry_after`, seconds), not in a header. */
function telegramWait(refusal: { retryAfter: string | null; answer: string }): number | null {
  const seconds = /"retry_after"\s*:\s*(\d+)/.exec(refusal.answer)?.[1] ?? refusal.retryAfter;
  return seconds !== null && /^\d+$/.test(seconds) ? Number(seconds) * 1000 : null;
}

/** @public Read through `notifiers` in ./index.ts by channel type. */
export function create(config: TelegramConfig, deps: NotifierDeps): Notifier {
  return {
    async send(batch) {
      const field = `channels.${config.name}.token${config.tokenFile !== undefined ? 'File' : 'Env'}`;
      const token = (await optionalSecret(config, 'token', `channels.${config.name}`, deps.env))!;
      // Also keeps the token from reaching into the URL's path.
      if (!/^\d+:[\w-]{20,}$/.test(token))
        throw new AuthwatchError(`${field}: does not hold a bot token (expected the 123456789:AA… token @BotFather gave you)`);
      await postRetryingOn429(toTelegramRequest(config, batch, token), config.timeout, telegramWait);
    },
  };
}
