import * as z from '../core/zod.js';
import { decodeLeniently, registerSecret } from '../core/scrub.js';
import { heartbeatBase, heartbeatUrl, pingOrFail, urlGiven } from './heartbeat-base.js';
import type { Heartbeat, HeartbeatVerdict } from './heartbeat-types.js';
import type { NotifierDeps } from './notifier.js';

// An Uptime Kuma push monitor: the push URL its UI shows, `<server>/api/push/<pushToken>?status=up&msg=OK&ping=`.
// The server (server/routers/api-router.js, `router.all("/api/push/:pushToken")`) takes any
// method; `status` is `up` or anything else for down, `msg` is shown as the heartbeat's message,
// `ping` is a number of milliseconds from 0 to 86400000 (else 400). It answers `{"ok":true}`, or
// 404/500 `{"ok":false,"msg":"Monitor not found or not active."}`. Kuma has no start signal: a
// run that never ends is noticed as a missing push.

/** @public Read through `heartbeatTargets` in ./heartbeat-targets.ts by target type. */
export const schema = z.lazy(() => z.strictObject({ ...heartbeatBase(), type: z.literal('uptime-kuma') }).check(urlGiven()));
type UptimeKumaConfig = z.output<typeof schema>;

/** Kuma keeps `msg` as the monitor's last message: one line, short. */
const msgLimit = 200;
const maxPingMs = 86_400_000;

function pushUrl(push: string, verdict: HeartbeatVerdict): string {
  const url = new URL(push);
  // The push token is the secret, and Kuma's are often shorter than the scrubber's path-token rule.
  const token = /\/api\/push\/([^/]+)/.exec(url.pathname)?.[1];
  if (token) {
    registerSecret(token);
    registerSecret(decodeLeniently(token));
  }
  const line = verdict.line.replace(/\s+/g, ' ').trim();
  url.searchParams.set('status', verdict.failed ? 'down' : 'up');
  url.searchParams.set('msg', line.length > msgLimit ? `${line.slice(0, msgLimit - 1)}…` : line);
  url.searchParams.set('ping', String(Math.min(Math.max(Math.round(verdict.durationMs), 0), maxPingMs)));
  return url.href;
}

/** @public Read through `heartbeatTargets` in ./heartbeat-targets.ts by target type. */
export function create(config: UptimeKumaConfig, deps: NotifierDeps): Heartbeat {
  const url = heartbeatUrl(config, deps.env);
  return {
    async start() {},
    async finish(verdict) {
      await pingOrFail(pushUrl(await url(), verdict), '', config.timeout);
    },
  };
}
