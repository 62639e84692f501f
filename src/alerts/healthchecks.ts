import * as z from '../core/zod.js';
import { heartbeatBase, heartbeatUrl, pingOrFail, urlGiven } from './heartbeat-base.js';
import type { Heartbeat, HeartbeatVerdict } from './heartbeat-types.js';
import type { NotifierDeps } from './notifier.js';

// Healthchecks' Pinging API (https://healthchecks.io/docs/http_api/, .../signaling_failures/):
// `<ping URL>/start` when a run begins, `<ping URL>` on success, `<ping URL>/<exit status 0-255>`
// or `/fail` on failure; `?rid=<uuid>` pairs a start with its end; a POST body is kept as the
// ping's log (self-hosted Healthchecks keeps PING_BODY_LIMIT bytes, 10000 by default). Any
// Healthchecks-compatible URL works: hc-ping.com/<uuid>, <server>/ping/<ping-key>/<slug>, …

/** @public Read through `heartbeatTargets` in ./heartbeat-targets.ts by target type. */
export const schema = z.lazy(() => z.strictObject({ ...heartbeatBase(), type: z.literal('healthchecks') }).check(urlGiven()));
type HealthchecksConfig = z.output<typeof schema>;

/** Well under self-hosted Healthchecks' default PING_BODY_LIMIT (10000 bytes). */
const bodyLimit = 4000;

/** The URL of one signal: `start`, `success`, a failure by the run's exit code, or `fail` (a provider's target). */
function signalUrl(pingUrl: string, signal: 'start' | 'success' | 'fail' | number, runId: string): string {
  const url = new URL(pingUrl);
  const suffix = signal === 'success' ? '' : `/${signal}`;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${suffix}`;
  url.searchParams.set('rid', runId);
  return url.href;
}

/** A failing run reports its exit code (1 or 3; 2 when expiring counts as failing); a provider's target has none of its own: `fail`. */
function endSignal(verdict: HeartbeatVerdict, perProvider: boolean): 'success' | 'fail' | number {
  if (!verdict.failed) return 'success';
  return perProvider || verdict.exitCode === 0 ? 'fail' : verdict.exitCode;
}

/** @public Read through `heartbeatTargets` in ./heartbeat-targets.ts by target type. */
export function create(config: HealthchecksConfig, deps: NotifierDeps): Heartbeat {
  const url = heartbeatUrl(config, deps.env);
  const body = (text: string) => Buffer.from(text).subarray(0, bodyLimit).toString().replace(/\uFFFD$/, '');
  return {
    async start(runId) {
      await pingOrFail(signalUrl(await url(), 'start', runId), '', config.timeout);
    },
    async finish(verdict) {
      await pingOrFail(signalUrl(await url(), endSignal(verdict, config.provider !== undefined), verdict.runId), body(verdict.body), config.timeout);
    },
  };
}
