import * as z from '../core/zod.js';
import { duration } from '../config/primitives.js';
import { alertsOf } from './alertmanager-payload.js';
import { channelBase, post } from './channel-base.js';
import type { Notifier } from './notifier.js';

export const schema = z.strictObject({
  ...channelBase(),
  type: z.literal('alertmanager'),
  url: z.url({ protocol: /^https?$/, error: 'expected the Alertmanager base URL, e.g. http://127.0.0.1:9093' }),
  /** firing alerts end this long after each send unless re-sent: three 15-minute runs */
  resolveAfter: z._default(duration, 45 * 60_000),
});
type AlertmanagerConfig = z.output<typeof schema>;

/** @public Read through `notifiers` in ./index.ts by channel type. */
export function create(config: AlertmanagerConfig): Notifier {
  return {
    async send(batch) {
      const body = JSON.stringify(alertsOf(batch, config.resolveAfter).map(({ status: _status, fingerprint: _fingerprint, ...alert }) => alert));
      await post(`${config.url.replace(/\/+$/, '')}/api/v2/alerts`, body, { 'content-type': 'application/json' }, config.timeout);
    },
  };
}
