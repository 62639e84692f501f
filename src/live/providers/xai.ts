import { bearer, errorMessage, field, lookupById, unexpected, type LiveChecker } from '../provider.js';

/** xAI API key: `GET /v1/api-key` describes the key itself, blocked and disabled flags included. */
export const xai: LiveChecker = {
  name: 'xai',
  provider: 'xai',
  defaultBaseUrl: 'https://api.x.ai',
  quota: false,
  readsBody: true,
  topUp: 'check the team\'s billing in the xAI console (console.x.ai)',
  types: ['api_key'],
  request: bearer('/v1/api-key'),
  classify(answer) {
    if (answer.status === 200) {
      if (field(answer.body, 'api_key_disabled') === true) return { verdict: 'rejected', message: 'api_key_disabled' };
      const blocked = ['api_key_blocked', 'team_blocked'].filter((flag) => field(answer.body, flag) === true);
      if (blocked.length > 0) return { verdict: 'no-credit', message: blocked.join(', ') };
      return { verdict: 'works', message: '' };
    }
    if (answer.status === 400 || answer.status === 403) return { verdict: 'rejected', message: errorMessage(answer.body) || `HTTP ${answer.status}` };
    return unexpected(answer);
  },
  // `GET /v1/models/{model_id}` (xAI's OpenAPI): 200 the model; a 404 counts only when it names the model.
  models: lookupById('/v1/models'),
};
