import { cleanMessage, field, finiteNumber, timeOf, unexpected, type LiveChecker } from '../provider.js';
import type { QuotaWindow } from '../../evaluate/live.js';

/** At most this many per-model buckets are kept: a hostile answer cannot flood the metrics. */
const maxBuckets = 16;

/**
 * A Gemini CLI login (Google OAuth access token): `POST /v1internal:retrieveUserQuota` with `{}`
 * on Cloud Code Assist, as OpenClaw's `provider-usage.fetch.gemini` asks it. A read, served as a
 * POST: no model is called, no token spent. The answer is one bucket per model,
 * `{buckets: [{modelId, remainingFraction, resetTime}]}`; each bucket limits its model only.
 * OpenClaw folds them into "Pro" and "Flash" by the lowest fraction left; here each model keeps
 * its own window, so a route is judged by the model it runs.
 */
export const geminiCliQuota: LiveChecker = {
  name: 'gemini-cli-quota',
  provider: 'google-gemini-cli',
  defaultBaseUrl: 'https://cloudcode-pa.googleapis.com',
  quota: true,
  readsBody: true,
  types: ['oauth'],
  // Google answers a stale access token and a revoked one alike (401 UNAUTHENTICATED, "Request
  // had invalid authentication credentials"); only a refresh would tell, and none is made.
  deadWords: null,
  request: (secret) => ({
    path: '/v1internal:retrieveUserQuota',
    headers: { authorization: `Bearer ${secret.value}`, 'content-type': 'application/json' },
    body: '{}',
  }),
  classify(answer) {
    if (answer.status !== 200) return unexpected(answer);
    const buckets = field(answer.body, 'buckets');
    if (buckets !== undefined && !Array.isArray(buckets)) return { verdict: 'inconclusive', message: 'the answer is not the documented {buckets:[…]}' };
    const windows: QuotaWindow[] = [];
    for (const bucket of (buckets ?? []).slice(0, maxBuckets)) {
      const model = field(bucket, 'modelId');
      const left = finiteNumber(field(bucket, 'remainingFraction'));
      if (typeof model !== 'string' || !model.trim() || left === null) continue;
      const name = cleanMessage(model).slice(0, 60);
      windows.push({ name, utilization: 1 - Math.min(1, Math.max(0, left)), resetsAt: timeOf(field(bucket, 'resetTime')), periodMs: null, model: name });
    }
    return { verdict: 'works', message: '', windows };
  },
};
