import { isValidTimeMs, looksLikeEpochSeconds } from '../core/iso-time.js';
import { scrub } from '../core/scrub.js';
import type { LiveVerdict, Money, QuotaWindow } from '../evaluate/live.js';
import type { CredentialType, HandedSecret } from '../sources/source.js';

/** What one checker sends: a GET of `path` under the provider's base URL, or a POST of `body` where the provider serves its read as one. */
export interface LiveRequest {
  path: string;
  headers: Record<string, string>;
  body?: string;
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
 * One zero-token endpoint (the table in docs/live.md): which credentials it checks, the request
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
  /** How the same credential looks a model up at zero tokens; absent: its models are not checkable. */
  models?: ModelLookup;
  /**
   * The words with which its 401 says a refreshable login is gone, not just due for renewal
   * (default `saysDead`); `null`: its 401 never tells the two apart.
   */
  deadWords?: RegExp | null;
}

/** What a model lookup says of one model id. */
export interface ModelObservation {
  verdict: 'exists' | 'missing' | 'inconclusive';
  message: string;
}

/**
 * A zero-token lookup of one model id (issue 30 §4): `GET path(model)` under the checker's base
 * URL, with the headers of the checker's own request. Answers `classifyCommon` settles
 * (throttling, server errors, a refusal of the credential) say nothing about the model.
 */
export interface ModelLookup {
  /** The path that looks `model` up (the id the gateway sends); `null`: this id cannot be looked up. */
  path(model: string): string | null;
  classify(answer: LiveAnswer, model: string): ModelObservation;
  /** Its verdict rests on the body (a list), so a body over the cap is inconclusive. */
  readsBody: boolean;
}

/** The error's own codes: `error.code`, `error.type`, `error.status` (Google), `code`. */
function errorCodes(body: unknown): string[] {
  return [field(body, 'error', 'code'), field(body, 'error', 'type'), field(body, 'error', 'status'), field(body, 'code')].filter((c): c is string => typeof c === 'string');
}

/**
 * Whether a 404 is the provider saying this model does not exist: its JSON names the model,
 * or its code says so (`model_not_found` OpenAI/Groq, `not_found_error` Anthropic, `NOT_FOUND`
 * Gemini). A 404 that is not the provider's JSON, or a bare "Not Found", is no such answer.
 */
function saysModelMissing(answer: LiveAnswer, model: string): boolean {
  if (answer.status !== 404 || answer.body === undefined) return false;
  const said = errorMessage(answer.body);
  if (errorCodes(answer.body).some((code) => /^(model_not_found|not_found_error|NOT_FOUND)$/.test(code))) return true;
  return namesWhole(said, model) || /\bmodel\b.*\b(not found|does not exist)\b|no such model/i.test(said);
}

/** Whether `text` names `id` as a whole (not `o` inside "Not found"). */
function namesWhole(text: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w.:-])${escaped}($|[^\\w.:-])`).test(text);
}

/**
 * A lookup by id (`GET /v1/models/{id}`): 200 exists, the provider's 404 is missing, anything
 * else inconclusive. An id with a `/` is not looked up (a path segment of its own).
 */
export function lookupById(prefix: string): ModelLookup {
  return {
    readsBody: false,
    // `.` and `..` would be resolved away by the URL, asking another path.
    path: (model) => (model.includes('/') || /^\.+$/.test(model) ? null : `${prefix}/${encodeURIComponent(model)}`),
    classify(answer, model) {
      if (answer.status === 200) return { verdict: 'exists', message: '' };
      if (saysModelMissing(answer, model)) return { verdict: 'missing', message: errorMessage(answer.body) || 'not found' };
      return { verdict: 'inconclusive', message: unexpected(answer).message };
    },
  };
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

/** An ISO time, or a number of epoch seconds or milliseconds (by the one rule, core/iso-time.ts) → epoch ms; `null` for anything else. */
export function timeOf(value: unknown): number | null {
  // A time out of a Date's range (resets_at: 1e300) is no time: it would crash every output that shows it.
  const ms = typeof value === 'number' ? (looksLikeEpochSeconds(value) ? value * 1000 : value) : typeof value === 'string' ? Date.parse(value) : Number.NaN;
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
export function listChecker(spec: { name: string; provider: string; defaultBaseUrl: string; path: string; header?: (secret: string) => Record<string, string>; models?: ModelLookup }): LiveChecker {
  return {
    name: spec.name,
    provider: spec.provider,
    defaultBaseUrl: spec.defaultBaseUrl,
    quota: false,
    readsBody: false,
    types: ['api_key'],
    request: spec.header ? (secret) => ({ path: spec.path, headers: spec.header!(secret.value) }) : bearer(spec.path),
    classify: (answer) => classifyList(answer),
    ...(spec.models ? { models: spec.models } : {}),
  };
}

/** A lookup in a whole list (`GET /models` → `{data:[{id}]}`): listed exists, a complete list without it is missing. */
export function lookupInList(path: string): ModelLookup {
  return {
    readsBody: true,
    path: () => path,
    classify(answer, model) {
      const data = field(answer.body, 'data');
      if (answer.status !== 200 || !Array.isArray(data)) return { verdict: 'inconclusive', message: answer.status === 200 ? 'the model list is not the documented {data:[…]}' : unexpected(answer).message };
      if (data.some((entry) => field(entry, 'id') === model)) return { verdict: 'exists', message: '' };
      return { verdict: 'missing', message: `not in the provider's model list (${data.length} models)` };
    },
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
