import { cleanMessage, classifyList, field, finiteNumber, timeOf, unexpected, type LiveChecker } from '../provider.js';
import type { QuotaWindow } from '../../evaluate/live.js';

// Field names as OpenClaw reads them (provider-usage.fetch.minimax): snake or camel case.
// `current_interval_usage_count` is what is LEFT of the interval, not what was used.
const keys = {
  intervalTotal: ['current_interval_total_count', 'currentIntervalTotalCount'],
  intervalLeft: ['current_interval_usage_count', 'currentIntervalUsageCount'],
  intervalLeftPercent: ['current_interval_remaining_percent', 'currentIntervalRemainingPercent'],
  intervalStatus: ['current_interval_status', 'currentIntervalStatus'],
  weeklyTotal: ['current_weekly_total_count', 'currentWeeklyTotalCount'],
  weeklyLeft: ['current_weekly_usage_count', 'currentWeeklyUsageCount'],
  weeklyLeftPercent: ['current_weekly_remaining_percent', 'currentWeeklyRemainingPercent'],
  weeklyStatus: ['current_weekly_status', 'currentWeeklyStatus'],
} as const;

const pick = (record: unknown, names: readonly string[]): number | null => {
  for (const name of names) {
    const value = finiteNumber(field(record, name));
    if (value !== null) return value;
  }
  return null;
};
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Used share from the percentage left (preferred, as OpenClaw does), else from the counts. */
function used(record: unknown, total: readonly string[], left: readonly string[], leftPercent: readonly string[]): number | null {
  const percentLeft = pick(record, leftPercent);
  if (percentLeft !== null) return 1 - percentLeft / 100;
  const all = pick(record, total);
  const remaining = pick(record, left);
  return all !== null && all > 0 && remaining !== null ? (all - remaining) / all : null;
}

/** The model record the plan's limits are read from: the chat model's ("general", "MiniMax-M…"), else a bounded one, else the first with figures. */
function chatRecord(remains: unknown[]): Record<string, unknown> | undefined {
  const records = remains.filter(isRecord).filter((r) => [...keys.intervalLeftPercent, ...keys.weeklyLeftPercent].some((k) => k in r) || (pick(r, keys.intervalTotal) ?? 0) > 0 || (pick(r, keys.weeklyTotal) ?? 0) > 0);
  const chat = (r: Record<string, unknown>) => typeof r.model_name === 'string' && (r.model_name.toLowerCase() === 'general' || r.model_name.toLowerCase().startsWith('minimax-m'));
  const bounded = (r: Record<string, unknown>) => [pick(r, keys.intervalStatus), pick(r, keys.weeklyStatus)].some((s) => s === 1 || s === 2);
  return records.find(chat) ?? records.find(bounded) ?? records[0];
}

/**
 * MiniMax (Coding / Token Plan) API key or portal login: `GET /v1/token_plan/remains` reports
 * the plan's interval (5 h) and weekly limits per model, as OpenClaw reads it
 * (provider-usage.fetch.minimax, default origin api.minimaxi.com). A 200 whose `base_resp`
 * carries a non-zero `status_code` is MiniMax's own error: inconclusive, with its words. An
 * answer of another shape proves the key and reports no window.
 */
export const minimax: LiveChecker = {
  name: 'minimax',
  provider: 'minimax',
  alsoFor: ['minimax-portal'],
  defaultBaseUrl: 'https://api.minimaxi.com',
  quota: true,
  readsBody: true,
  types: ['api_key', 'token', 'oauth'],
  request: (secret) => ({ path: '/v1/token_plan/remains', headers: { authorization: `Bearer ${secret.value}`, 'content-type': 'application/json' } }),
  classify(answer) {
    if (answer.status !== 200) return classifyList(answer);
    if (!isRecord(answer.body)) return unexpected(answer);
    const code = finiteNumber(field(answer.body, 'base_resp', 'status_code'));
    if (code !== null && code !== 0) {
      const said = field(answer.body, 'base_resp', 'status_msg');
      return { verdict: 'inconclusive', message: `MiniMax answered an error (status_code ${code})${typeof said === 'string' && said.trim() ? `: ${cleanMessage(said)}` : ''}` };
    }
    const payload = isRecord(answer.body.data) ? answer.body.data : answer.body;
    const record = Array.isArray(payload.model_remains) ? chatRecord(payload.model_remains) : undefined;
    const windows: QuotaWindow[] = [];
    if (record) {
      const start = timeOf(record.start_time ?? record.startTime);
      const end = timeOf(record.end_time ?? record.endTime);
      const periodMs = start !== null && end !== null && end > start ? end - start : null;
      const interval = used(record, keys.intervalTotal, keys.intervalLeft, keys.intervalLeftPercent);
      // Status 3: a limit the plan does not have (OpenClaw hides it).
      if (interval !== null && pick(record, keys.intervalStatus) !== 3) {
        windows.push({ name: periodMs !== null && periodMs >= 3_600_000 ? `${Math.round(periodMs / 3_600_000)}h` : '5h', utilization: interval, resetsAt: end, periodMs });
      }
      const weekly = used(record, keys.weeklyTotal, keys.weeklyLeft, keys.weeklyLeftPercent);
      if (weekly !== null && pick(record, keys.weeklyStatus) !== 3) windows.push({ name: 'week', utilization: weekly, resetsAt: timeOf(record.weekly_end_time ?? record.weeklyEndTime), periodMs: null });
    }
    return { verdict: 'works', message: '', windows };
  },
};
