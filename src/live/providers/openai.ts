import { listChecker } from '../provider.js';

/** OpenAI API key: `GET /v1/models`. Whether it shows an exhausted quota is not known, so it proves the key only. */
export const openai = listChecker({ name: 'openai', provider: 'openai', defaultBaseUrl: 'https://api.openai.com', path: '/v1/models' });
