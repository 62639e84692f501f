import * as z from '../core/zod.js';
import { httpSend, retryAfterMs, type HttpRefusal } from '../core/http-send.js';
import { registerUrlSecrets } from '../core/scrub.js';
import { AuthwatchError } from '../core/errors.js';
import { DeliveryError } from './channel-base.js';

// What the chat channels (telegram, discord, slack) share: a secret that must be given, a
// webhook URL that is itself the secret, and a JSON POST that waits out a rate limit.

/** The config names exactly one of `<key>File` / `<key>Env`. */
export function secretGiven(key: string) {
  return z.refine<Record<string, unknown>>((config) => (config[`${key}File`] === undefined) !== (config[`${key}Env`] === undefined), {
    error: `give exactly one of ${key}File or ${key}Env (a file or variable holding the ${key})`,
    path: [`${key}File`],
  });
}

/**
 * A webhook URL read from a secret (Discord's and Slack's carry their token in the path): a
 * URL that does not parse is refused without quoting it, and its parts are registered so no
 * message can show them.
 */
export function webhookUrl(value: string, field: string, example: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AuthwatchError(`${field}: does not hold a URL: expected the webhook URL, e.g. ${example}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AuthwatchError(`${field}: expected an https:// webhook URL, e.g. ${example}`);
  registerUrlSecrets(url);
  return value;
}

/** `text` cut to `limit` characters, ending in `…` when cut. */
export function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** A chat service's JSON request, built by a pure function per channel. */
export interface JsonRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Rate limits are per chat: a third refusal in one delivery means waiting for the next run. */
const maxAttempts = 3;

/**
 * POSTs the request; a 429 is waited out as long as the service asks (its Retry-After, or what
 * `waitOf` reads from the refusal) and tried again — only when the wait and another attempt fit
 * in `timeoutMs`, which stays the deadline for the whole delivery, retries included.
 */
export async function postRetryingOn429(
  request: JsonRequest,
  timeoutMs: number,
  waitOf: (refusal: HttpRefusal, now: number) => number | null = (refusal, now) => retryAfterMs(refusal.retryAfter, now),
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await httpSend({ method: 'POST', ...request, timeoutMs: Math.max(1, deadline - Date.now()) });
      return;
    } catch (error) {
      const refusal = error as HttpRefusal;
      const wait = refusal.status === 429 ? waitOf(refusal, Date.now()) : null;
      if (wait === null || attempt >= maxAttempts) throw new DeliveryError(refusal.message);
      if (Date.now() + wait >= deadline) {
        throw new DeliveryError(`${refusal.message} (asked to wait ${Math.ceil(wait / 1000)}s, past the channel's ${timeoutMs / 1000}s timeout: retried on the next run)`);
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
