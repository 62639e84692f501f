import { errorMessage, field, finiteNumber, saysDead, timeOf, unexpected, type LiveChecker } from '../provider.js';
import type { Money, QuotaWindow } from '../../evaluate/live.js';
import { claudeCodeOnly } from './anthropic-api.js';

const hour = 3_600_000;
/** The usage windows as the endpoint names them, as they are shown, and how long each runs (named by the key). */
const windows: [key: string, name: string, periodMs: number][] = [
  ['five_hour', '5h', 5 * hour],
  ['seven_day', '7d', 168 * hour],
  ['seven_day_opus', '7d opus', 168 * hour],
  ['seven_day_sonnet', '7d sonnet', 168 * hour],
];

/**
 * Extra usage (subscription traffic billed beyond the plan): `used_credits` and `monthly_limit`
 * are in cents of `currency` (USD when absent), read as OpenClaw reads them
 * (provider-usage.fetch.claude: `used_credits / 100`, period "month").
 */
function extraUsage(body: unknown): Money[] {
  const used = finiteNumber(field(body, 'extra_usage', 'used_credits'));
  if (used === null || used < 0) return [];
  const limit = finiteNumber(field(body, 'extra_usage', 'monthly_limit'));
  const currency = field(body, 'extra_usage', 'currency');
  const unit = typeof currency === 'string' && /^[A-Za-z]{3}$/.test(currency) ? currency.toUpperCase() : 'USD';
  return [{ name: 'extra usage', unit, spent: used / 100, limit: limit !== null && limit >= 0 ? limit / 100 : null, period: 'month', left: null, today: null }];
}

/**
 * A Claude login (OAuth access token): `GET /api/oauth/usage` reports the subscription's
 * windows (utilization in percent) and costs nothing. A setup-token lacks the `user:profile`
 * scope: its 403 is the wrong kind of credential, not a dead one.
 */
export const anthropicOauth: LiveChecker = {
  name: 'anthropic-oauth',
  provider: 'anthropic',
  defaultBaseUrl: 'https://api.anthropic.com',
  quota: true,
  readsBody: true,
  types: ['oauth'],
  request: (secret) => ({
    path: '/api/oauth/usage',
    headers: { authorization: `Bearer ${secret.value}`, 'anthropic-version': '2023-06-01', 'anthropic-beta': 'oauth-2025-04-20' },
  }),
  classify(answer) {
    const said = errorMessage(answer.body);
    if (answer.status === 200) {
      const found: QuotaWindow[] = [];
      for (const [key, name, periodMs] of windows) {
        const utilization = finiteNumber(field(answer.body, key, 'utilization'));
        if (utilization !== null) found.push({ name, utilization: utilization / 100, resetsAt: timeOf(field(answer.body, key, 'resets_at')), periodMs });
      }
      const enabled = field(answer.body, 'extra_usage', 'is_enabled') === true;
      const extra = finiteNumber(field(answer.body, 'extra_usage', 'utilization'));
      if (enabled && extra !== null) found.push({ name: 'extra usage', utilization: extra / 100, resetsAt: null, periodMs: null });
      return { verdict: 'works', message: '', windows: found, money: enabled ? extraUsage(answer.body) : [] };
    }
    if (answer.status === 403 && /scope requirement/i.test(said)) return { verdict: 'wrong-kind', message: said };
    if (answer.status === 400 && said.includes(claudeCodeOnly)) return { verdict: 'wrong-kind', message: said };
    // "OAuth token has been revoked" (permission_error) is death; a 403 that does not say so is not.
    if (answer.status === 403 && saysDead.test(said)) return { verdict: 'rejected', message: said };
    return unexpected(answer);
  },
};
