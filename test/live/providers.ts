import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { afterEach } from 'vitest';

// Fake providers for the live checks: real HTTP(S) servers on loopback answering as §3 of
// provider-health.md documents. The credential picks the answer: its part before the first
// "." is the scenario (`dead.MARKER…`), so one server plays every case of every provider.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); })));
});

export interface Seen {
  method: string;
  path: string;
  /** The request body, once it has arrived. */
  body: string;
  headers: IncomingMessage['headers'];
  /** When the request arrived (Date.now()). */
  at: number;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> } | 'hang' | 'huge';
const anthropicError = (type: string, message: string) => ({ type: 'error', error: { type, message }, request_id: 'req_011CTest' });
const claudeCodeOnly = 'This credential is only authorized for use with Claude Code and cannot be used for other API requests.';
export const resetAt = Date.parse('2026-11-24T16:00:00Z');

/** The models the fake providers still serve; any other id is retired. */
const servedModels = new Set(['claude-opus-4-6', 'claude-haiku-4-5', 'gpt-6-astra', 'gpt-5.6-luna', 'gemini-3-flash-preview', 'deepseek-chat', 'deepseek-reasoner', 'llama-3.3-70b-versatile']);

/**
 * One model looked up by id, as each provider documents it: Anthropic `GET /v1/models/{model_id}`
 * (platform.claude.com/docs/en/api/models/retrieve; an unknown id: 404 `not_found_error`,
 * "model: …"), OpenAI (and Groq) `GET /v1/models/{model}` (developers.openai.com models/retrieve;
 * an unknown id: 404 `model_not_found`), Gemini models.get (404 `status: "NOT_FOUND"`).
 * `lookupfails`: the lookup answers 503; `html404`: a proxy's 404 page, not the provider's JSON.
 */
function modelAnswer(path: string, scenario: string, headers: IncomingMessage['headers']): Answer | undefined {
  const endpoints = /^\/api\/v1\/models\/([^/]+)\/([^/]+)\/endpoints$/.exec(path);
  if (endpoints) return openrouterEndpoints(`${decodeURIComponent(endpoints[1]!)}/${decodeURIComponent(endpoints[2]!)}`, scenario);
  const lookup = /^\/(?:openai\/)?v1(beta)?\/models\/([^/]+)$/.exec(path);
  if (!lookup) return undefined;
  const id = decodeURIComponent(lookup[2]!);
  if (scenario === 'lookupfails') return { status: 503, body: { error: { message: 'Service Unavailable', type: 'server_error' } } };
  // A provider quoting the request back in its "not found" (the key among the headers).
  if (scenario === 'echomodel') return { status: 404, body: anthropicError('not_found_error', `model: ${id}; you sent ${JSON.stringify(headers)}`) };
  // A path the server does not have at all (a proxy's or framework's JSON "Not Found"): says nothing about the model.
  if (scenario === 'bare404') return { status: 404, body: { error: { message: 'Not Found' } } };
  if (scenario === 'html404') return { status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>', headers: { 'content-type': 'text/html' } };
  if (lookup[1]) {
    return servedModels.has(id)
      ? { status: 200, body: { name: `models/${id}`, baseModelId: id, version: '001', displayName: id, supportedGenerationMethods: ['generateContent'] } }
      : { status: 404, body: { error: { code: 404, message: `models/${id} is not found for API version v1beta, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.`, status: 'NOT_FOUND' } } };
  }
  if (headers['x-api-key'] !== undefined) {
    return servedModels.has(id)
      ? { status: 200, body: { id, type: 'model', display_name: id, created_at: '2026-02-04T00:00:00Z', max_input_tokens: 0, max_tokens: 0 } }
      : { status: 404, body: anthropicError('not_found_error', `model: ${id}`) };
  }
  return servedModels.has(id)
    ? { status: 200, body: { id, object: 'model', created: 1_686_935_002, owned_by: 'system' } }
    : { status: 404, body: { error: { message: `The model '${id}' does not exist`, type: 'invalid_request_error', param: 'model', code: 'model_not_found' } } };
}

/** The OpenRouter models the fake serves; `nobody/idle` is listed with no provider behind it. */
const openrouterModels = new Set(['anthropic/claude-opus-4-6', 'openai/gpt-6-astra', 'nobody/idle']);

/**
 * OpenRouter's "List all endpoints for a model" (`GET /api/v1/models/{author}/{slug}/endpoints`,
 * openrouter.ai/docs/api/api-reference/endpoints/list-endpoints): the model and the providers
 * serving it; an unknown model is 404 in OpenRouter's error shape (NotFoundResponse:
 * `{error: {code: 404, message: "Resource not found"}}`).
 */
function openrouterEndpoints(id: string, scenario: string): Answer {
  if (scenario === 'bare404') return { status: 404, body: { error: { message: 'Not Found' } } };
  if (!openrouterModels.has(id)) return { status: 404, body: { error: { code: 404, message: 'Resource not found' }, user_id: 'user_2fTest' } };
  const serving = id === 'nobody/idle' ? [] : [{ name: `Provider | ${id}`, model_id: id, model_name: id, context_length: 200_000, pricing: { prompt: '0.000015', completion: '0.000075' }, provider_name: 'Provider', tag: 'provider', quantization: null, max_completion_tokens: 32_000, max_prompt_tokens: null, supported_parameters: ['tools'], status: 0, uptime_last_30m: 99.5 }];
  return { status: 200, body: { data: { id, name: id, created: 1_692_901_234, description: 'A model.', architecture: { input_modalities: ['text'], output_modalities: ['text'], tokenizer: 'Other', instruct_type: null, modality: 'text->text' }, endpoints: serving } } };
}

/** The documented answer of each endpoint for each scenario; `undefined` falls back to the common ones. */
function answer(path: string, scenario: string, headers: IncomingMessage['headers'], knobs: Knobs): Answer | undefined {
  const list = { status: 200, body: { object: 'list', data: [{ id: 'model-1' }] } };
  const common: Record<string, Answer> = {
    hang: 'hang',
    huge: 'huge',
    overloaded: { status: 529, body: anthropicError('overloaded_error', 'Overloaded') },
    limited: { status: 429, body: anthropicError('rate_limit_error', 'Number of requests has exceeded your rate limit'), headers: { 'retry-after': '7200' } },
    broken: { status: 502, body: 'Bad Gateway' },
    waitforever: { status: 429, body: anthropicError('rate_limit_error', 'slow down'), headers: { 'retry-after': '1e300' } },
    echo: { status: 401, body: { error: { message: `you sent ${JSON.stringify(headers)}` } } },
    // A captive portal or proxy answering 200 with its own page.
    portal: { status: 200, body: '<html><body>Sign in to the network</body></html>', headers: { 'content-type': 'text/html' } },
  };
  if (common[scenario]) return common[scenario];
  const model = modelAnswer(path, scenario, headers);
  if (model) return model;
  // The credential's own checks work for the model-lookup scenarios.
  if (path !== '/models' && ['lookupfails', 'html404', 'listfails', 'echomodel', 'bare404'].includes(scenario)) scenario = 'works';
  switch (path) {
    case '/v1/models':
      if (headers['x-api-key'] !== undefined) {
        return { works: { status: 200, body: { data: [], has_more: false, first_id: null, last_id: null } }, dead: { status: 401, body: anthropicError('authentication_error', 'invalid x-api-key') }, forbidden: { status: 403, body: anthropicError('permission_error', 'This API key does not have permission') }, wrongkind: { status: 400, body: anthropicError('invalid_request_error', claudeCodeOnly) } }[scenario];
      }
      return { works: list, dead: { status: 401, body: { error: { message: `Incorrect API key provided: ${String(headers.authorization).slice(7)}`, type: 'invalid_request_error', code: 'invalid_api_key' } } } }[scenario];
    case '/api/oauth/usage': {
      const usage = (five: number) => ({ status: 200, body: { five_hour: { utilization: five, resets_at: new Date(resetAt).toISOString() }, seven_day: { utilization: 12, resets_at: '2026-11-28T10:00:00Z' }, seven_day_opus: null, extra_usage: { is_enabled: false, monthly_limit: null, used_credits: null, utilization: null, currency: null } } });
      return {
        works: usage(40),
        // usage: the answer a test turns (`providers.usage`), as the account's use grows and its window resets.
        usage: { status: 200, body: { five_hour: { utilization: knobs.fiveHour, resets_at: new Date(knobs.fiveHourResetsAt).toISOString() }, seven_day: { utilization: 12, resets_at: '2026-11-28T10:00:00Z' }, seven_day_opus: null, extra_usage: knobs.extraUsage } },
        quota93: usage(93),
        quota100: usage(100),
        // farreset: a reset time beyond any Date (resets_at: 1e300), as a hostile or broken answer may say.
        farreset: { status: 200, body: { five_hour: { utilization: 50, resets_at: 1e300 }, seven_day: { utilization: 12, resets_at: '+275760-09-14T00:00:00Z' } } },
        // An access token past its time (anthropics/claude-code #12879): the login renews it.
        dead: { status: 401, body: anthropicError('authentication_error', 'OAuth token has expired. Please obtain a new token or refresh your existing token.') },
        // A login that is gone (anthropics/claude-code #9635, #29497: 403 permission_error).
        revoked: { status: 403, body: anthropicError('permission_error', 'OAuth token has been revoked. Please obtain a new token.') },
        wrongkind: { status: 403, body: anthropicError('permission_error', 'OAuth token does not meet scope requirement user:profile') },
      }[scenario];
    }
    case '/backend-api/wham/usage': {
      const window = (used: number) => ({ used_percent: used, limit_window_seconds: 18000, reset_at: resetAt / 1000, reset_after_seconds: 3600 });
      const usage = (extra: object = {}) => ({ status: 200, body: { plan_type: 'plus', rate_limit: { limit_reached: false, primary_window: window(20), secondary_window: window(5) }, credits: { balance: '0' }, spend_control: { reached: false }, ...extra } });
      return {
        works: usage(),
        // Per-model buckets, as openai/codex's backend client reads them (codex-rs backend-client
        // `RateLimitStatusPayload.additional_rate_limits[]`: `metered_feature`, `limit_name`, `rate_limit`).
        spark100: usage({ additional_rate_limits: [{ limit_name: 'GPT-5.3-Codex-Spark', metered_feature: 'codex_bengalfox', rate_limit: { limit_reached: true, primary_window: window(100), secondary_window: null } }] }),
        spark5: usage({ additional_rate_limits: [{ limit_name: 'GPT-5.3-Codex-Spark', metered_feature: 'codex_bengalfox', rate_limit: { limit_reached: false, primary_window: window(5), secondary_window: null } }] }),
        farreset: { status: 200, body: { plan_type: 'plus', rate_limit: { limit_reached: false, primary_window: { ...window(20), reset_at: 9e15 }, secondary_window: { ...window(5), reset_at: 1e300 } } } },
        nocredit: usage({ rate_limit_reached_type: { type: 'workspace_member_credits_depleted' } }),
        // `credits` as the Codex backend sends it (openai/codex codex-backend-openapi-models
        // credit_status_details.rs: `has_credits`, `unlimited`, `balance` a decimal string): a plan
        // without credits, its 5 h window full (`limit_reached`) or with room.
        nocredits100: usage({ rate_limit: { limit_reached: true, primary_window: window(100), secondary_window: window(40) }, credits: { has_credits: false, unlimited: false, balance: '0' } }),
        nocredits: usage({ credits: { has_credits: false, unlimited: false, balance: '0' } }),
        dead: { status: 401, body: { detail: 'token expired' } },
        // chatgpt.com's own words for an access token past its time.
        expired: { status: 401, body: { detail: { message: 'Your authentication token has expired. Please try signing in again.', type: 'invalid_request_error', param: null, code: 'token_expired' } } },
        forbidden: { status: 403, body: { detail: 'account deactivated' } },
        // chatgpt.com is behind Cloudflare: a bot challenge is an HTML page, 403, `cf-mitigated: challenge`.
        challenge: { status: 403, body: '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body>Enable JavaScript and cookies to continue</body></html>', headers: { 'content-type': 'text/html; charset=UTF-8', 'cf-mitigated': 'challenge' } },
        // A proxy's or CDN's own refusal page, no challenge header.
        html403: { status: 403, body: '<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center><hr><center>nginx</center></body></html>', headers: { 'content-type': 'text/html' } },
      }[scenario];
    }
    case '/api/v1/key': {
      const key = (remaining: number) => ({ status: 200, body: { data: { label: 'sk-or-v1-abc...', limit: 10, limit_remaining: remaining, limit_reset: 'monthly', usage: 10 - remaining, usage_daily: 0, usage_weekly: 0, usage_monthly: 0, is_free_tier: false, expires_at: null } } });
      // As OpenRouter's API reference shows the answer (GetCurrentKeyResponse): spend in USD, limit_reset at midnight UTC, expires_at ISO.
      const spending = (extra: object) => ({ status: 200, body: { data: { label: 'sk-or-v1-au7...890', limit: 100, limit_remaining: 74.5, limit_reset: 'monthly', usage: 25.5, usage_daily: 4.25, usage_weekly: 12, usage_monthly: 25.5, is_free_tier: false, is_management_key: false, expires_at: null, ...extra } } });
      return {
        spending: spending({}),
        // A key that lapses at 17:00 UTC (the tests' clock is 12:00 UTC): five hours left.
        lapsing: spending({ expires_at: '2026-11-24T17:00:00Z' }),
        lapsed: spending({ expires_at: '2026-11-24T11:00:00Z' }),
        works: key(7), nocredit: key(0), dead: { status: 401, body: { error: { message: 'No auth credentials found', code: 401 } } } }[scenario];
    }
    case '/v1beta/models':
      return { works: { status: 200, body: { models: [{ name: 'models/gemini-2.5-pro' }] } }, dead: { status: 400, body: { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }] } } } }[scenario];
    case '/v1/api-key': {
      const key = (extra: object = {}) => ({ status: 200, body: { redacted_api_key: 'xai-…', name: 'k', api_key_blocked: false, api_key_disabled: false, team_blocked: false, ...extra } });
      return { works: key(), nocredit: key({ team_blocked: true }), dead: { status: 400, body: { code: 'Client specified an invalid argument', error: 'Incorrect API key provided' } } }[scenario];
    }
    // DeepSeek's model list (api-docs.deepseek.com/api/list-models); `listfails` only the list fails.
    case '/models':
      return { works: { status: 200, body: { object: 'list', data: [...servedModels].filter((id) => id.startsWith('deepseek')).map((id) => ({ id, object: 'model', owned_by: 'deepseek' })) } }, listfails: { status: 503, body: { error: { message: 'Service Unavailable', type: 'server_error' } } } }[scenario];
    case '/user/balance':
      return { works: { status: 200, body: { is_available: true, balance_infos: [{ currency: 'USD', total_balance: '5.00', granted_balance: '0.00', topped_up_balance: '5.00' }] } }, nocredit: { status: 200, body: { is_available: false, balance_infos: [] } }, dead: { status: 401, body: { error: { message: 'Authentication Fails, Your api key is invalid', type: 'authentication_error' } } } }[scenario];
    case '/openai/v1/models':
      return { works: list, dead: { status: 401, body: { error: { message: 'Invalid API Key', type: 'invalid_request_error', code: 'invalid_api_key' } } } }[scenario];
    case '/api/v1/credits':
      // OpenRouter's "Get remaining credits" (management key required): `{data: {total_credits, total_usage}}`; an ordinary key is refused.
      return { mgmt: { status: 200, body: { data: { total_credits: 100.5, total_usage: 25.75 } } }, spending: { status: 403, body: { error: { message: 'Only management keys can perform this operation', code: 403 } } } }[scenario];
    case '/api/monitor/usage/quota/limit': {
      // z.ai's quota answer as OpenClaw reads it (provider-usage.fetch.zai): a 5-hour token window and the monthly limit.
      const quota = (tokens: number) => ({ status: 200, body: { code: 200, msg: 'Operation successful', success: true, data: { planName: 'GLM Coding Pro', limits: [{ type: 'TOKENS_LIMIT', unit: 3, number: 5, percentage: tokens, nextResetTime: '2026-11-24T14:00:00Z' }, { type: 'TIME_LIMIT', unit: 5, number: 1, percentage: 10, nextResetTime: '2026-12-01T00:00:00Z' }] } } });
      return { works: quota(30), quota95: quota(95), apierror: { status: 200, body: { code: 1002, msg: 'Authorization Token Missing', success: false } }, dead: { status: 401, body: { code: 401, msg: 'token expired or incorrect', success: false } } }[scenario];
    }
    case '/v1/token_plan/remains': {
      // MiniMax's plan answer as OpenClaw reads it (provider-usage.fetch.minimax): per model, what is LEFT of the
      // interval (`current_interval_usage_count`) and of the week, the interval's start and end in epoch ms.
      const remains = (left: number) => ({ status: 200, body: { base_resp: { status_code: 0, status_msg: 'success' }, model_remains: [
        { model_name: 'speech-2.6', current_interval_total_count: 0, current_interval_usage_count: 0 },
        { model_name: 'MiniMax-M2', start_time: Date.parse('2026-11-24T10:00:00Z'), end_time: Date.parse('2026-11-24T15:00:00Z'), current_interval_total_count: 1500, current_interval_usage_count: left, current_weekly_total_count: 15000, current_weekly_usage_count: 12000, weekly_end_time: Date.parse('2026-11-30T00:00:00Z') },
      ] } });
      return { works: remains(900), quota97: remains(45), apierror: { status: 200, body: { base_resp: { status_code: 1004, status_msg: 'login fail: Please carry the API secret key in the Authorization field' } } }, dead: { status: 401, body: { base_resp: { status_code: 1004, status_msg: 'login fail' } } } }[scenario];
    }
    case '/v1internal:retrieveUserQuota': {
      // Cloud Code Assist's quota for a Gemini CLI login, as OpenClaw's provider-usage.fetch.gemini
      // reads it (and google-gemini-cli's own quota command): one bucket per model, the fraction LEFT.
      const bucket = (modelId: string, remainingFraction: number) => ({ modelId, tokenType: 'REQUESTS', remainingAmount: String(Math.round(remainingFraction * 1000)), remainingFraction, resetTime: '2026-11-25T00:00:00Z' });
      return {
        works: { status: 200, body: { buckets: [bucket('gemini-2.5-pro', 0.8), bucket('gemini-2.5-flash', 0.95)] } },
        proout: { status: 200, body: { buckets: [bucket('gemini-2.5-pro', 0), bucket('gemini-2.5-flash', 0.6)] } },
        dead: { status: 401, body: { error: { code: 401, message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', status: 'UNAUTHENTICATED' } } },
        noproject: { status: 403, body: { error: { code: 403, message: 'The caller does not have permission', status: 'PERMISSION_DENIED' } } },
      }[scenario];
    }
    case '/copilot_internal/user':
      return { works: { status: 200, body: { copilot_plan: 'individual', quota_reset_date: '2026-12-01', quota_snapshots: { premium_interactions: { percent_remaining: 50, unlimited: false }, chat: { percent_remaining: 100, unlimited: true } } } }, dead: { status: 401, body: { message: 'Bad credentials' } } }[scenario];
  }
  return undefined;
}

function credentialOf(headers: IncomingMessage['headers']): string {
  const given = headers['x-api-key'] ?? headers['x-goog-api-key'] ?? headers.authorization ?? '';
  return String(given).replace(/^(Bearer|token)\s+/i, '');
}

/** What the `usage` scenario answers; a test changes it between checks. */
interface Knobs {
  fiveHour: number;
  fiveHourResetsAt: number;
  /** Anthropic's `extra_usage` object, as documented (provider-health.md §3; OpenClaw's provider-usage.fetch.claude). */
  extraUsage: { is_enabled: boolean; monthly_limit: number | null; used_credits: number | null; utilization: number | null; currency: string | null };
}

export interface FakeProviders {
  url: string;
  usage: Knobs;
  seen: Seen[];
  maxInFlight: number;
  /** Delay before each answer, to make requests overlap. */
  delayMs: number;
  /** Every model lookup and model list answers 503 (the provider's model API is down). */
  failLookups: boolean;
}

/** One server playing every provider. `tls`: key and certificate (PEM) to serve https. */
export async function startProviders(tls?: { key: string; cert: string }): Promise<FakeProviders> {
  const state: FakeProviders = { url: '', seen: [], maxInFlight: 0, delayMs: 0, failLookups: false, usage: { fiveHour: 40, fiveHourResetsAt: resetAt, extraUsage: { is_enabled: false, monthly_limit: null, used_credits: null, utilization: null, currency: null } } };
  let inFlight = 0;
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const seen: Seen = { method: request.method ?? '', path, body: '', headers: request.headers, at: Date.now() };
    state.seen.push(seen);
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (seen.body += chunk));
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    response.on('close', () => inFlight--);
    const scenario = credentialOf(request.headers).split('.')[0]!;
    const down = state.failLookups && (path === '/models' || /\/models\/[^/]+$/.test(path));
    const chosen = down ? { status: 503, body: { error: { message: 'Service Unavailable', type: 'server_error' } } } : (answer(path, scenario, request.headers, state.usage) ?? { status: 404, body: { error: { message: `no such case: ${path} ${scenario}` } } });
    if (chosen === 'hang') return;
    setTimeout(() => {
      if (chosen === 'huge') {
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const more = () => {
          while (sent < 10 * 1024 * 1024) {
            sent += chunk.length;
            if (!response.write(chunk)) return void response.once('drain', more);
          }
          response.end();
        };
        more();
        return;
      }
      const text = typeof chosen.body === 'string' ? chosen.body : JSON.stringify(chosen.body);
      response.writeHead(chosen.status, { 'content-type': 'application/json', ...chosen.headers });
      response.end(text);
    }, state.delayMs);
  };
  const server = tls ? createHttps(tls, handle) : createHttp(handle);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  state.url = `${tls ? 'https' : 'http'}://${tls ? 'localhost' : '127.0.0.1'}:${port}`;
  return state;
}

/** The provider ids the checkers are configured under. */
const liveProviderIds = ['anthropic', 'openai', 'openai-codex', 'openrouter', 'google', 'google-gemini-cli', 'xai', 'deepseek', 'groq', 'mistral', 'github-copilot', 'zai', 'minimax'];

/** A live config section sending every provider to `url`. */
export function liveConfig(url: string, extra: Record<string, unknown> = {}) {
  return { live: { enabled: true, providers: Object.fromEntries(liveProviderIds.map((id) => [id, { baseUrl: url }])), ...extra } };
}
