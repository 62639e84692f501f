import * as z from '../core/zod.js';
import { duration } from '../config/primitives.js';
import { readSecret } from '../config/read-secret.js';

/** Fields every channel has (a function: channel schemas are built on first use). */
export function channelBase() {
  return {
    name: z.string().check(z.regex(/^[\w.-]{1,64}$/, 'expected a short name of letters, digits, ".", "_" or "-"')),
    /** how long one delivery may take */
    timeout: z._default(duration, 10_000),
  };
}

/** A key that must never be in the config: the secret belongs in a file or the environment. */
export function noInlineSecret(key: string) {
  return z.optional(z.never({ error: `never put the ${key} in the config file: use ${key}File or ${key}Env` }));
}

/** Reads `<key>File` / `<key>Env` when either is set; `undefined` when neither is. */
export async function optionalSecret(
  config: Record<string, unknown>,
  key: string,
  field: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const file = config[`${key}File`] as string | undefined;
  const variable = config[`${key}Env`] as string | undefined;
  if (file === undefined && variable === undefined) return undefined;
  return readSecret(file !== undefined ? { file } : { env: variable! }, `${field}.${key}${file !== undefined ? 'File' : 'Env'}`, env);
}

/** A delivery that failed, in one line a user can act on (never with a secret in it). */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
}

/** Pulls the useful words out of a fetch failure (`connect ECONNREFUSED 127.0.0.1:9`, timeouts). */
function describeFetchFailure(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = error as Error & { cause?: Error & { code?: string } };
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs / 1000}s`;
  return cause?.message ?? message;
}

/** Removes every sensitive piece from text a message will quote (a receiver may echo our request). */
export function scrub(text: string, sensitive: readonly string[]): string {
  return sensitive.filter((piece) => piece.length >= 4).reduce((result, piece) => result.split(piece).join('…'), text);
}

/**
 * POSTs a body with a timeout; anything but 2xx is a DeliveryError naming the status and a bit
 * of the answer. `user:password@` in the URL becomes Basic auth (fetch refuses such URLs), and
 * neither it, the query string nor any header value can reach the error message.
 */
export async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  const target = new URL(url);
  const user = decodeUserinfo(target.username);
  const password = decodeUserinfo(target.password);
  const sensitive = [url, password, user, target.password, target.search.slice(1)];
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() !== 'content-type') sensitive.push(value);
  const send = { ...headers };
  if (user || password) {
    send.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    sensitive.push(send.authorization, send.authorization.slice('Basic '.length));
    target.username = target.password = '';
  }
  const shown = safeUrl(url);
  const safe = (text: string) => scrub(text, sensitive);
  let response: Response;
  try {
    response = await fetch(target, { method: 'POST', headers: send, body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new DeliveryError(`POST ${shown} failed: ${safe(describeFetchFailure(error, timeoutMs))}`);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) throw new DeliveryError(`POST ${shown} answered HTTP ${response.status}${text.trim() ? `: ${safe(text.trim()).slice(0, 200)}` : ''}`);
}

/** `p%40ss` → `p@ss`; a stray `%` (not valid escaping) is taken literally instead of failing the send. */
function decodeUserinfo(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A URL without user:password or query string, for messages. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
