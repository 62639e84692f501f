import { bearer, classifyList, field, lookupInList, type LiveChecker } from '../provider.js';

/** DeepSeek API key: `GET /user/balance`; `is_available:false` means no balance left for API calls. */
export const deepseek: LiveChecker = {
  name: 'deepseek',
  provider: 'deepseek',
  defaultBaseUrl: 'https://api.deepseek.com',
  quota: false,
  readsBody: true,
  topUp: 'top up at platform.deepseek.com',
  types: ['api_key'],
  request: bearer('/user/balance'),
  classify(answer) {
    if (answer.status === 200 && field(answer.body, 'is_available') === false) return { verdict: 'no-credit', message: 'is_available: false' };
    return classifyList(answer);
  },
  // `GET /models` lists every model (`{object:"list",data:[{id:"deepseek-chat",…}]}`, api-docs.deepseek.com/api/list-models).
  models: lookupInList('/models'),
};
