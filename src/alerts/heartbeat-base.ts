import * as z from '../core/zod.js';
import { AuthwatchError } from '../core/errors.js';
import { registerUrlSecrets } from '../core/scrub.js';
import { channelBase, optionalSecret, post, secretFields } from './channel-base.js';

const providerId = z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a provider id like "anthropic" or "openai-codex"'));

/** Fields every heartbeat target has (a function: schemas are built on first use). */
export function heartbeatBase() {
  return {
    ...channelBase(),
    /** the ping URL holds the check's secret: from a file or the environment, never inline */
    ...secretFields('url'),
    /** watch one provider's route only (a monitor per provider) instead of the whole run */
    provider: z.optional(providerId),
    /** an expiring credential counts as a failure too (by default only expired, missing, unreadable and runs that could not run do) */
    expiringFails: z._default(z.boolean(), false),
  };
}

/** The URL must be given, from a file or the environment. */
export function urlGiven() {
  return z.refine<{ urlFile?: string | undefined; urlEnv?: string | undefined }>((target) => (target.urlFile === undefined) !== (target.urlEnv === undefined), {
    error: 'give exactly one of urlFile or urlEnv (the ping URL is a secret: keep it out of the config)',
    path: ['urlFile'],
  });
}

/** Reads the ping URL once, when first needed; an unusable one is an error naming the field, never the value. */
export function heartbeatUrl(config: { name: string; urlFile?: string; urlEnv?: string }, env: NodeJS.ProcessEnv): () => Promise<string> {
  let read: Promise<string> | undefined;
  return () =>
    (read ??= optionalSecret(config, 'url', `heartbeats.${config.name}`, env).then((url) => {
      const field = `heartbeats.${config.name}.${config.urlFile !== undefined ? 'urlFile' : 'urlEnv'}`;
      let parsed: URL;
      try {
        parsed = new URL(url!);
      } catch {
        throw new AuthwatchError(`${field}: not a URL (expected the ping URL the service shows, https://…)`);
      }
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new AuthwatchError(`${field}: expected an http(s):// URL`);
      registerUrlSecrets(parsed);
      return url!;
    }));
}

/** A ping is a POST (both services take any method); anything but 2xx is a DeliveryError. */
export async function pingOrFail(url: string, body: string, timeoutMs: number): Promise<void> {
  await post(url, body, { 'content-type': 'text/plain; charset=utf-8' }, timeoutMs);
}
