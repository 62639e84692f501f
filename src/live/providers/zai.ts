import { cleanMessage, field, finiteNumber, timeOf, unexpected, classifyList, type LiveChecker } from '../provider.js';
import type { QuotaWindow } from '../../evaluate/live.js';

/** `unit` of a z.ai limit, as OpenClaw labels it (provider-usage.fetch.zai): 1 days, 3 hours, 5 minutes. */
const unitMs: Record<number, number> = { 1: 86_400_000, 3: 3_600_000, 5: 60_000 };
const unitName: Record<number, string> = { 1: 'd', 3: 'h', 5: 'm' };

/**
 * z.ai (GLM Coding Plan) API key: `GET /api/monitor/usage/quota/limit` reports the plan's
 * token windows and its monthly limit, as OpenClaw reads it (provider-usage.fetch.zai):
 * `{success, code, msg, data: {limits: [{type, percentage, unit, number, nextResetTime}], planName}}`.
 * A 200 that is not `success: true, code: 200` is z.ai's own error: it says nothing sure about
 * the key, so it is inconclusive with z.ai's words.
 */
export const zai: LiveChecker = {
  name: 'zai',
  provider: 'zai',
  defaultBaseUrl: 'https://api.z.ai',
  quota: true,
  readsBody: true,
  types: ['api_key'],
  request: (secret) => ({ path: '/api/monitor/usage/quota/limit', headers: { authorization: `Bearer ${secret.value}`, accept: 'application/json' } }),
  classify(answer) {
    if (answer.status !== 200) return classifyList(answer);
    if (field(answer.body, 'success') !== true || finiteNumber(field(answer.body, 'code')) !== 200) {
      const said = field(answer.body, 'msg');
      return answer.body === undefined ? unexpected(answer) : { verdict: 'inconclusive', message: `z.ai answered an error${typeof said === 'string' && said.trim() ? `: ${cleanMessage(said)}` : ''}` };
    }
    const limits = field(answer.body, 'data', 'limits');
    const windows: QuotaWindow[] = [];
    for (const limit of Array.isArray(limits) ? limits : []) {
      const type = field(limit, 'type');
      const percent = finiteNumber(field(limit, 'percentage'));
      if (percent === null) continue;
      const reset = field(limit, 'nextResetTime');
      const resetsAt = typeof reset === 'string' ? timeOf(reset) : null;
      const unit = finiteNumber(field(limit, 'unit'));
      const count = finiteNumber(field(limit, 'number'));
      const sized = unit !== null && count !== null && count > 0 && unitMs[unit] !== undefined;
      if (type === 'TOKENS_LIMIT') windows.push({ name: sized ? `tokens ${count}${unitName[unit!]}` : 'tokens', utilization: percent / 100, resetsAt, periodMs: sized ? count! * unitMs[unit!]! : null });
      else if (type === 'TIME_LIMIT') windows.push({ name: 'monthly', utilization: percent / 100, resetsAt, periodMs: null });
    }
    return { verdict: 'works', message: '', windows };
  },
};
