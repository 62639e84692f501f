import { classifyList, field, finiteNumber, timeOf, type LiveChecker } from '../provider.js';
import type { QuotaWindow } from '../../evaluate/live.js';

/** GitHub Copilot (the GitHub token): `GET /copilot_internal/user`, internal and undocumented, reports the plan's quotas. */
export const copilot: LiveChecker = {
  name: 'copilot',
  provider: 'github-copilot',
  defaultBaseUrl: 'https://api.github.com',
  quota: true,
  readsBody: true,
  types: ['api_key', 'token', 'oauth'],
  request: (secret) => ({ path: '/copilot_internal/user', headers: { authorization: `token ${secret.value}`, accept: 'application/json' } }),
  classify(answer) {
    if (answer.status !== 200) return classifyList(answer);
    const snapshots = field(answer.body, 'quota_snapshots');
    const resetsAt = timeOf(field(answer.body, 'quota_reset_date'));
    const windows: QuotaWindow[] = [];
    for (const [key, name] of [['premium_interactions', 'premium'], ['chat', 'chat']] as const) {
      const remaining = finiteNumber(field(snapshots, key, 'percent_remaining'));
      if (remaining !== null && field(snapshots, key, 'unlimited') !== true) windows.push({ name, utilization: 1 - remaining / 100, resetsAt, periodMs: null });
    }
    return { verdict: 'works', message: '', windows };
  },
};
