import * as z from '../core/zod.js';
import { alertsOf } from './alertmanager-payload.js';
import { channelBase, secretFields, optionalSecret, post } from './channel-base.js';
import type { AlertBatch, Notifier, NotifierDeps } from './notifier.js';

export const schema = z.strictObject({
  ...channelBase(),
  type: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }),
  /** HMAC-SHA256 key; the signature goes in X-Authwatch-Signature */
  ...secretFields('secret'),
});
type WebhookConfig = z.output<typeof schema>;

/** How long a firing alert in the payload claims to last (receivers may ignore it). */
const firingWindowMs = 45 * 60_000;

/** An Alertmanager webhook (version 4) body, so receivers written for Alertmanager work as they are. */
function toWebhookBody(batch: AlertBatch, receiver: string) {
  const alerts = alertsOf(batch, firingWindowMs);
  const common = (key: 'labels' | 'annotations') => {
    const [first, ...rest] = alerts.map((alert) => alert[key] as Record<string, string>);
    return Object.fromEntries(Object.entries(first ?? {}).filter(([k, v]) => rest.every((other) => other[k] === v)));
  };
  return {
    version: '4',
    groupKey: `{}:{instance="${batch.host}"}`,
    truncatedAlerts: 0,
    status: alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved',
    receiver,
    groupLabels: { instance: batch.host },
    commonLabels: common('labels'),
    commonAnnotations: common('annotations'),
    externalURL: '',
    alerts,
  };
}

/** `sha256=<hex>` over the exact body bytes. */
function signature(secret: string, body: string): string {
  // Loaded here, on the first send: most runs send nothing and need no node:crypto.
  const { createHmac } = process.getBuiltinModule('node:crypto');
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** @public Read through `notifiers` in ./index.ts by channel type. */
export function create(config: WebhookConfig, deps: NotifierDeps): Notifier {
  return {
    async send(batch) {
      const secret = await optionalSecret(config, 'secret', `channels.${config.name}`, deps.env);
      const body = JSON.stringify(toWebhookBody(batch, config.name));
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (secret) headers['x-authwatch-signature'] = signature(secret, body);
      await post(config.url, body, headers, config.timeout);
    },
  };
}
