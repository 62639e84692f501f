import { decodeLeniently, registerSecret, registerUrlSecrets, scrub, urlForMessages, withoutCutSecret } from './scrub.js';

interface HttpSend {
  method: 'POST' | 'PUT' | 'DELETE';
  url: string | URL;
  body: string;
  headers: Record<string, string>;
  /** Basic auth given apart from the URL (user:password@ in the URL works too). */
  basic?: { user: string; password: string };
  /** The deadline for the whole exchange: connect, request, status and the part of the answer read. */
  timeoutMs: number;
}

/** How much of a refusal is read and quoted: enough for a reason, never a flood. */
const answerLimit = 4096;
const quotedLength = 200;

/** A refusal: the answer's status, its Retry-After header (null when absent) and the start of its body, scrubbed. */
export type HttpRefusal = Error & { status: number; retryAfter: string | null; answer: string };

/**
 * One HTTP request under a hard wall-clock deadline. Resolves for a 2xx; otherwise rejects
 * with an Error whose message (scrubbed, the URL shown without path or query) says what
 * happened: `POST http://host/… answered HTTP 500: <start of the answer>` or `… failed: …`.
 * Every secret of the request (userinfo, path token, query, header values) is registered first,
 * so an echoing receiver cannot hand it back into a message.
 */
export async function httpSend(request: HttpSend): Promise<void> {
  const target = new URL(request.url);
  registerUrlSecrets(target);
  const headers = { ...request.headers };
  const user = request.basic?.user ?? decodeLeniently(target.username);
  const password = request.basic?.password ?? decodeLeniently(target.password);
  if (user || password) {
    registerSecret(password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    target.username = target.password = ''; // fetch refuses URLs with credentials
  }
  registerHeaderSecrets(headers);
  const what = `${request.method} ${urlForMessages(request.url)}`;
  const seconds = `${request.timeoutMs / 1000}s`;
  const deadline = AbortSignal.timeout(request.timeoutMs);
  let response: Response;
  try {
    response = await fetch(target, { method: request.method, headers, body: request.body, signal: deadline });
  } catch (error) {
    throw new Error(`${what} failed: ${deadline.aborted ? `no answer within ${seconds}` : describeFetchFailure(error)}`);
  }
  if (response.ok) {
    // What a receiver says on success does not matter; a body that drips must not hold the run.
    void response.body?.cancel().catch(() => undefined);
    return;
  }
  const { text, complete, timedOut } = await readSome(response, deadline);
  const said = scrub(complete ? text : withoutCutSecret(text)).trim().slice(0, quotedLength);
  const message = `${what} answered HTTP ${response.status}${said ? `: ${said}` : ''}${timedOut ? ` (the rest of the answer did not come within ${seconds})` : ''}`;
  // The status, Retry-After and the (scrubbed) answer travel with the message: a channel may wait and try again on 429.
  throw Object.assign(new Error(message), { status: response.status, retryAfter: response.headers.get('retry-after'), answer: said });
}

/** Every header value, and the token of `Bearer <token>`, is a secret (content-type aside). */
function registerHeaderSecrets(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-type') continue;
    registerSecret(value);
    registerSecret(value.replace(/^\S+\s+/, ''));
  }
}

/**
 * `Retry-After` in seconds (`3`, `1.5`) or as an HTTP date, as milliseconds from `now`, at most a
 * day (a Retry-After of 1e300 would otherwise stop the requests for good); null when absent or
 * unreadable.
 */
export function retryAfterMs(header: string | null, now: number): number | null {
  const text = header?.trim();
  if (!text) return null;
  const ms = /^\d+(\.\d+)?$/.test(text) ? Math.ceil(Number(text) * 1000) : Date.parse(text) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), maxRetryAfterMs) : null;
}

const maxRetryAfterMs = 86_400_000;

interface HttpAsk {
  url: URL;
  headers: Record<string, string>;
  /** A JSON body to POST (a read that a provider serves as POST, Gemini CLI's quota); absent: GET. */
  body?: string;
  /** The deadline for the whole exchange, the whole answer included. */
  timeoutMs: number;
  /** Bytes of the answer read at most; a longer answer comes back `complete: false`. */
  maxBytes: number;
}

type HttpAnswer =
  | { kind: 'answer'; status: number; retryAfter: string | null; text: string; complete: boolean; timedOut: boolean; /** Cloudflare's `cf-mitigated` (`challenge`): the answer is the CDN's, not the service's. */ cfMitigated: string | null }
  | { kind: 'failed'; message: string };

/**
 * A GET (or a read served as POST) under the same hard deadline, for answers that are read (status and body): never
 * rejects, a failure to get an answer is `failed` with its scrubbed reason. Header values are
 * registered as secrets before anything is sent.
 */
export async function httpAsk(request: HttpAsk): Promise<HttpAnswer> {
  registerHeaderSecrets(request.headers);
  const deadline = AbortSignal.timeout(request.timeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, { method: request.body === undefined ? 'GET' : 'POST', headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }), redirect: 'manual', signal: deadline });
  } catch (error) {
    return { kind: 'failed', message: deadline.aborted ? `no answer within ${request.timeoutMs / 1000}s` : describeFetchFailure(error) };
  }
  const { text, complete, timedOut } = await readSome(response, deadline, request.maxBytes);
  return { kind: 'answer', status: response.status, retryAfter: response.headers.get('retry-after'), text, complete, timedOut, cfMitigated: response.headers.get('cf-mitigated') };
}

/** The start of an answer: at most `limit` bytes, and only what arrived before the deadline. */
async function readSome(response: Response, signal: AbortSignal, limit = answerLimit): Promise<{ text: string; complete: boolean; timedOut: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { text: '', complete: true, timedOut: false };
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) return { text, complete: true, timedOut: false };
      size += value.length;
      text += decoder.decode(value, { stream: true });
    }
    void reader.cancel().catch(() => undefined);
    return { text, complete: false, timedOut: false };
  } catch {
    return { text, complete: false, timedOut: signal.aborted };
  }
}

/** The useful words of a fetch failure (`connect ECONNREFUSED 127.0.0.1:9`), scrubbed. */
function describeFetchFailure(error: unknown): string {
  const { message, cause } = error as Error & { cause?: Error };
  return scrub(cause?.message ?? message);
}
