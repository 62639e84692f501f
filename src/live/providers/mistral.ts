import { listChecker } from '../provider.js';

/** Mistral API key: `GET /v1/models`. */
export const mistral = listChecker({ name: 'mistral', provider: 'mistral', defaultBaseUrl: 'https://api.mistral.ai', path: '/v1/models' });
