import { errorMessage, field, finiteNumber, timeOf, unexpected, type LiveChecker } from '../provider.js';
import type { QuotaWindow } from '../../evaluate/live.js';

/** Codex usage-limit types that are credit, not a window (they do not reset by themselves). */
const depleted = /credits_depleted/;

/**
 * A ChatGPT / Codex login (OAuth access token): `GET /backend-api/wham/usage` reports the
 * plan's primary and secondary windows, credits and spend control; costs nothing.
 */
export const codexUsage: LiveChecker = {
  name: 'codex-usage',
  provider: 'openai-codex',
  defaultBaseUrl: 'https://chatgpt.com',
  quota: true,
  readsBody: true,
  topUp: 'add credits or raise the spend limit in the ChatGPT workspace settings',
  types: ['oauth'],
  request: (secret) => ({
    path: '/backend-api/wham/usage',
    headers: { authorization: `Bearer ${secret.value}`, ...(secret.accountId ? { 'chatgpt-account-id': secret.accountId } : {}) },
  }),
  classify(answer) {
    if (answer.status === 403) return { verdict: 'rejected', message: errorMessage(answer.body) || 'account not allowed (403)' };
    if (answer.status !== 200) return unexpected(answer);
    const reached = field(answer.body, 'rate_limit_reached_type', 'type');
    if (typeof reached === 'string' && depleted.test(reached)) return { verdict: 'no-credit', message: reached };
    if (field(answer.body, 'spend_control', 'reached') === true) return { verdict: 'no-credit', message: 'spend control reached' };
    const windows: QuotaWindow[] = [];
    for (const [key, name] of [['primary_window', 'primary'], ['secondary_window', 'secondary']] as const) {
      const used = finiteNumber(field(answer.body, 'rate_limit', key, 'used_percent'));
      if (used !== null) windows.push({ name, utilization: used / 100, resetsAt: timeOf(field(answer.body, 'rate_limit', key, 'reset_at')) });
    }
    return { verdict: 'works', message: '', windows };
  },
};
