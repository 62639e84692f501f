import { classifyList, errorMessage, field, lookupById, type LiveChecker } from '../provider.js';

/** Gemini API key: `GET /v1beta/models` with `x-goog-api-key`; an invalid key is a 400 whose details say API_KEY_INVALID. */
export const gemini: LiveChecker = {
  name: 'gemini',
  provider: 'google',
  defaultBaseUrl: 'https://generativelanguage.googleapis.com',
  quota: false,
  readsBody: false,
  types: ['api_key'],
  request: (secret) => ({ path: '/v1beta/models', headers: { 'x-goog-api-key': secret.value } }),
  classify(answer) {
    const details = field(answer.body, 'error', 'details');
    const invalid = Array.isArray(details) && details.some((detail) => field(detail, 'reason') === 'API_KEY_INVALID');
    if (answer.status === 400 && invalid) return { verdict: 'rejected', message: errorMessage(answer.body) || 'API_KEY_INVALID' };
    return classifyList(answer);
  },
  // models.get: `GET /v1beta/models/{model}`; an unknown id is 404 `status: "NOT_FOUND"`.
  models: lookupById('/v1beta/models'),
};
