import { classifyList, errorMessage, lookupById, type LiveChecker } from '../provider.js';

/** The Claude-Code-only refusal (anthropics/claude-code #8046): a subscription token used as an API key. */
export const claudeCodeOnly = 'only authorized for use with Claude Code';

/** Anthropic API key: `GET /v1/models` lists models and costs nothing (200 even with zero credit). */
export const anthropicApi: LiveChecker = {
  name: 'anthropic-api',
  provider: 'anthropic',
  defaultBaseUrl: 'https://api.anthropic.com',
  quota: false,
  readsBody: false,
  types: ['api_key'],
  request: (secret) => ({ path: '/v1/models', headers: { 'x-api-key': secret.value, 'anthropic-version': '2023-06-01' } }),
  classify(answer) {
    if (answer.status === 400 && errorMessage(answer.body).includes(claudeCodeOnly)) return { verdict: 'wrong-kind', message: errorMessage(answer.body) };
    return classifyList(answer);
  },
  // `GET /v1/models/{model_id}` ("Model identifier or alias"): 200 the model; an unknown id is
  // 404 `{"type":"error","error":{"type":"not_found_error","message":"model: …"}}`.
  models: lookupById('/v1/models'),
};
