import { listChecker, lookupById } from '../provider.js';

/** OpenAI API key: `GET /v1/models`. Whether it shows an exhausted quota is not known, so it proves the key only.
 * `GET /v1/models/{model}` retrieves one model; an unknown id is 404 `code: "model_not_found"`. */
export const openai = listChecker({ name: 'openai', provider: 'openai', defaultBaseUrl: 'https://api.openai.com', path: '/v1/models', models: lookupById('/v1/models') });
