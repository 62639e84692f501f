import { listChecker, lookupById } from '../provider.js';

/**
 * Groq API key: `GET /openai/v1/models`; one model: `GET /openai/v1/models/{model}` (OpenAI's
 * shape: an unknown id is 404 `code: "model_not_found"`). An id with a `/` (`openai/gpt-oss-120b`)
 * is not looked up: how the path takes it is not documented.
 */
export const groq = listChecker({ name: 'groq', provider: 'groq', defaultBaseUrl: 'https://api.groq.com', path: '/openai/v1/models', models: lookupById('/openai/v1/models') });
