import * as z from '../core/zod.js';
import { channelBase, secretFields, optionalSecret, post } from './channel-base.js';
import { batchSeverity, textOf, titleOf, type Severity } from './message.js';
import type { AlertBatch, Notifier, NotifierDeps } from './notifier.js';

export const schema = z.strictObject({
  ...channelBase(),
  type: z.literal('ntfy'),
  url: z._default(z.url({ protocol: /^https?$/, error: 'expected the ntfy server, e.g. https://ntfy.sh' }), 'https://ntfy.sh'),
  topic: z.string().check(z.regex(/^[-_A-Za-z0-9]{1,64}$/, 'expected a topic of letters, digits, "-" or "_"')),
  ...secretFields('token'),
});
type NtfyConfig = z.output<typeof schema>;

const priorities: Record<Severity, number> = { critical: 5, warning: 4, info: 2 };
const tags: Record<Severity, string[]> = { critical: ['rotating_light', 'key'], warning: ['warning', 'key'], info: ['white_check_mark', 'key'] };

/** ntfy's JSON publishing form (POST to the server root): safe for non-ASCII titles. */
function toNtfyRequest(config: NtfyConfig, batch: AlertBatch, token?: string) {
  const severity = batchSeverity(batch);
  return {
    url: config.url.replace(/\/+$/, ''),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ topic: config.topic, title: titleOf(batch), message: textOf(batch), priority: priorities[severity], tags: tags[severity] }),
  };
}

/** @public Read through `notifiers` in ./index.ts by channel type. */
export function create(config: NtfyConfig, deps: NotifierDeps): Notifier {
  return {
    async send(batch) {
      const token = await optionalSecret(config, 'token', `channels.${config.name}`, deps.env);
      const request = toNtfyRequest(config, batch, token);
      await post(request.url, request.body, request.headers, config.timeout);
    },
  };
}
