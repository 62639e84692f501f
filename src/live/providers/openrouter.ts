import { bearer, classifyList, field, finiteNumber, type LiveChecker } from '../provider.js';

/** OpenRouter API key: `GET /api/v1/key` reports the key's limit and what is left of it. */
export const openrouter: LiveChecker = {
  name: 'openrouter',
  provider: 'openrouter',
  defaultBaseUrl: 'https://openrouter.ai',
  quota: true,
  readsBody: true,
  topUp: 'add credit or raise the key limit at openrouter.ai/settings/credits',
  types: ['api_key'],
  request: bearer('/api/v1/key'),
  classify(answer) {
    if (answer.status !== 200) return classifyList(answer);
    const limit = finiteNumber(field(answer.body, 'data', 'limit'));
    const remaining = finiteNumber(field(answer.body, 'data', 'limit_remaining'));
    if (limit === null || remaining === null) return { verdict: 'works', message: '', windows: [] };
    if (remaining <= 0) return { verdict: 'no-credit', message: `key limit reached (limit_remaining ${remaining})` };
    return { verdict: 'works', message: '', windows: limit > 0 ? [{ name: 'key limit', utilization: (limit - remaining) / limit, resetsAt: null, periodMs: null }] : [] };
  },
};
