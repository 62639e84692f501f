import { listChecker } from '../provider.js';

/** Groq API key: `GET /openai/v1/models`. */
export const groq = listChecker({ name: 'groq', provider: 'groq', defaultBaseUrl: 'https://api.groq.com', path: '/openai/v1/models' });
