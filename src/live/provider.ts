import { isValidTimeMs } from '../core/iso-time.js';
import { scrub } from '../core/scrub.js';
import type { LiveVerdict, Money, QuotaWindow } from '../evaluate/live.js';
import type { CredentialType, HandedSecret } from '../sources/source.js';

/** What one checker sends: a GET of `path` under the provider's base URL. */
export interface LiveRequest {
  path: string;
  headers: Record<string, string>;
}

/** A provider's answer as a checker sees it: the status and the body, parsed when it is JSON. */
export interface LiveAnswer {
  status: number;
  /** The parsed JSON body; `undefined` when it was not JSON (or cut at the size cap). */
  body: unknown;
}

export interface Observation {
  verdict: Exclude<LiveVerdict, 'not-checkable'>;
  /** The provider's words, or what the verdict rests on (scrubbed again before it is kept). */
  message: string;
  windows?: QuotaWindow[];
  money?: Money[];
  /** The credential's end as the provider reports it. */
  expiresAt?: number | null;
}

/**
 * One zero-token endpoint (provider-health.md §3): which credentials it checks, the request
 * (the access token or key, never a refresh, never a model call) and how to read the answer.
 */
export interface LiveChecker {
  /** Stable name, kept with the results (`anthropic-api`). */
  name: string;
  /** The provider id its base URL is configured under (`live.providers.<id>.baseUrl`). */
  provider: string;
  defaultBaseUrl: string;
  /** The credential types of `provider` it checks. */
  types: readonly CredentialType[];
  /** Other provider ids whose credentials of those types it checks (a provider's newer or older id). */
  alsoFor?: readonly string[];
  request(secret: HandedSecret): LiveRequest;
  /** Reads an answer that `classifyCommon` left to the checker; `now` for what the answer says relative to it (a reset at the next midnight). */
  classify(answer: LiveAnswer, now: number): Observation;
  /** Reports usage windows: polled at `live.quotaInterval` instead of `live.interval`. */
  quota: boolean;
  /** Its verdict rests on the body, not the status alone (so a body over the cap is inconclusive). */
  readsBody: boolean;
  /** Where to add credit, for `no-credit`. */
  topUp?: string;
}

const quoted = 200;

/** A provider's message as it may be kept and shown: scrubbed, one line, short. */
export function cleanMessage(text: string): string {
  return scrub(text).replace(/\s+/g, ' ').trim().slice(0, quoted);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function field(value: unknown, ...path: string[]): unknown {
  let here = value;
  for (const key of path) here = isObject(here) ? here[key] : undefined;
  return here;
}

/** The error text of the usual bodies: `{error:{message}}` (Anthropic, OpenAI, Gemini), `{error:"…"}`, `{message}`, `{detail}`, `{detail:{message}}` (chatgpt.com). */
export function errorMessage(body: unknown): string {
  for (const candidate of [field(body, 'error', 'message'), field(body, 'error'), field(body, 'message'), field(body, 'detail'), field(body, 'detail', 'message')]) {
    if (typeof candidate === 'string' && candidate.trim()) return cleanMessage(candidate);
  }
  return '';
}

const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
export { number as finiteNumber };

/** An amount of money: a number, or a decimal string (DeepSeek's `"5.00"`, Codex's `"0"`); `null` for anything else. */
export function amount(value: unknown): number | null {
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) return Number(value);
  return number(value);
}

/** An ISO time or epoch seconds → epoch ms, `null` for anything else. */
export function timeOf(value: unknown): number | null {
  // A time out of a Date's range (resets_at: 1e300) is no time: it would crash every output that shows it.
  const ms = typeof value === 'number' ? (value < 1e12 ? value * 1000 : value) : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return isValidTimeMs(ms) ? ms : null;
}

/** Words with which a provider says a credential or its account is gone for good, not just due for renewal. */
export const saysDead = /revoked|deactivated|disabled|deleted|suspended|banned|terminated|invalid|incorrect|not valid|not found|malformed|bad credentials|no auth credentials/i;

/**
 * What every provider's answer means before its own reading: throttling, overload and server
 * errors say nothing about the credential (inconclusive), and neither does a refusal that is
 * not the provider's own words (a CDN challenge page, a body that is not JSON); 401 is a dead
 * credential. `null`: the checker reads it.
 */
export function classifyCommon(answer: LiveAnswer & { cfMitigated?: string | null }): Observation | null {
  const { status } = answer;
  if (answer.cfMitigated) return { verdict: 'inconclusive', message: `stopped by the provider's CDN (cf-mitigated: ${answer.cfMitigated}), not an answer about the credential (${status})` };
  const said = errorMessage(answer.body);
  if (status === 429) return { verdict: 'inconclusive', message: `rate limited (429)${said ? `: ${said}` : ''}` };
  if (status === 529 || status >= 500 || status === 408) return { verdict: 'inconclusive', message: `provider unavailable (${status})${said ? `: ${said}` : ''}` };
  if (status >= 300 && status < 400) return { verdict: 'inconclusive', message: `redirected (${status}); not followed, the credential goes to its own host only` };
  if ((status === 401 || status === 403) && answer.body === undefined) return { verdict: 'inconclusive', message: `refused (${status}) with an answer that is not the provider's JSON` };
  if (status === 401) return { verdict: 'rejected', message: said || 'unauthorized' };
  return null;
}

/** The request most endpoints take: `GET path` with the secret as a Bearer token. */
export const bearer = (path: string) => (secret: HandedSecret): LiveRequest => ({ path, headers: { authorization: `Bearer ${secret.value}` } });

/** A checker for list endpoints (`/v1/models`): 200 works, 401/403 rejected, anything else inconclusive. */
export function listChecker(spec: { name: string; provider: string; defaultBaseUrl: string; path: string; header?: (secret: string) => Record<string, string> }): LiveChecker {
  return {
    name: spec.name,
    provider: spec.provider,
    defaultBaseUrl: spec.defaultBaseUrl,
    quota: false,
    readsBody: false,
    types: ['api_key'],
    request: spec.header ? (secret) => ({ path: spec.path, headers: spec.header!(secret.value) }) : bearer(spec.path),
    classify: (answer) => classifyList(answer),
  };
}

export function classifyList(answer: LiveAnswer): Observation {
  if (answer.status === 200) return { verdict: 'works', message: '' };
  if (answer.status === 403) return { verdict: 'rejected', message: errorMessage(answer.body) || 'forbidden' };
  return unexpected(answer);
}

export function unexpected(answer: LiveAnswer): Observation {
  const said = errorMessage(answer.body);
  return { verdict: 'inconclusive', message: `unexpected answer ${answer.status}${said ? `: ${said}` : ''}` };
}
