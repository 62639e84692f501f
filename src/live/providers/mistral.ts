import { listChecker, lookupById } from '../provider.js';

/**
 * Mistral API key: `GET /v1/models`; one model: `GET /v1/models/{model_id}`. Its 404 for an
 * unknown id is not documented: only one naming the model or its code counts as missing.
 */
export const mistral = listChecker({ name: 'mistral', provider: 'mistral', defaultBaseUrl: 'https://api.mistral.ai', path: '/v1/models', models: lookupById('/v1/models') });
