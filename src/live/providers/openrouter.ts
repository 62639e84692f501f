import { bearer, classifyList, cleanMessage, field, finiteNumber, timeOf, unexpected, type LiveChecker, type ModelLookup } from '../provider.js';
import type { Money, QuotaWindow } from '../../evaluate/live.js';

const day = 86_400_000;

/**
 * The key limit's current period: `limit_reset` daily, weekly or monthly, reset "automatically
 * at midnight UTC, and weeks are Monday through Sunday" (OpenRouter's API reference,
 * CreateKeysLimitReset); `null` (no reset) or a value not documented: no period.
 */
export function limitPeriod(reset: unknown, now: number): { name: 'day' | 'week' | 'month'; resetsAt: number; periodMs: number } | null {
  const today = new Date(now);
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  if (reset === 'daily') return { name: 'day', resetsAt: midnight + day, periodMs: day };
  if (reset === 'weekly') {
    const sinceMonday = (today.getUTCDay() + 6) % 7;
    return { name: 'week', resetsAt: midnight + (7 - sinceMonday) * day, periodMs: 7 * day };
  }
  if (reset === 'monthly') {
    const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1);
    const next = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1);
    return { name: 'month', resetsAt: next, periodMs: next - start };
  }
  return null;
}

/**
 * One model, zero tokens: `GET /api/v1/models/{author}/{slug}/endpoints` (OpenRouter's API
 * reference, "List all endpoints for a model"): 200 lists the providers serving it, an unknown
 * model is the documented 404, OpenRouter's own error shape `{error: {code: 404, message}}`.
 * Not looked up: OpenRouter's routers (`openrouter/auto`, no model of their own) and a variant
 * (`…:free`), which the reference does not say this path takes.
 */
const modelEndpoints: ModelLookup = {
  readsBody: true,
  path(model) {
    const parts = model.split('/');
    if (parts.length !== 2 || parts[0] === 'openrouter' || model.includes(':') || parts.some((part) => !part || /^\.+$/.test(part))) return null;
    return `/api/v1/models/${parts.map(encodeURIComponent).join('/')}/endpoints`;
  },
  classify(answer) {
    if (answer.status === 404 && field(answer.body, 'error', 'code') === 404) {
      const said = field(answer.body, 'error', 'message');
      return { verdict: 'missing', message: typeof said === 'string' && said.trim() ? cleanMessage(said) : 'not found' };
    }
    if (answer.status !== 200) return { verdict: 'inconclusive', message: unexpected(answer).message };
    const endpoints = field(answer.body, 'data', 'endpoints');
    if (!Array.isArray(endpoints)) return { verdict: 'inconclusive', message: 'the answer is not the documented {data:{endpoints:[…]}}' };
    // Listed with no provider behind it: requests fail now, but the model may come back.
    if (endpoints.length === 0) return { verdict: 'inconclusive', message: 'listed, but no provider serves it now' };
    return { verdict: 'exists', message: '' };
  },
};

/**
 * OpenRouter API key: `GET /api/v1/key` reports the key's limit and what is left of it, when
 * the limit resets, what the key spent (total, today, this week and month, in USD) and when the
 * key itself expires (`expires_at`).
 */
export const openrouter: LiveChecker = {
  name: 'openrouter',
  provider: 'openrouter',
  defaultBaseUrl: 'https://openrouter.ai',
  quota: true,
  readsBody: true,
  topUp: 'add credit or raise the key limit at openrouter.ai/settings/credits',
  types: ['api_key'],
  request: bearer('/api/v1/key'),
  models: modelEndpoints,
  classify(answer, now) {
    if (answer.status !== 200) return classifyList(answer);
    const data = field(answer.body, 'data');
    const expiresAt = timeOf(field(data, 'expires_at'));
    const limit = finiteNumber(field(data, 'limit'));
    const remaining = finiteNumber(field(data, 'limit_remaining'));
    const period = limitPeriod(field(data, 'limit_reset'), now);
    const spentKey = period ? ({ day: 'usage_daily', week: 'usage_weekly', month: 'usage_monthly' } as const)[period.name] : 'usage';
    const spent = finiteNumber(field(data, spentKey));
    const money: Money[] =
      spent === null && remaining === null ? [] : [{ name: 'key', unit: 'USD', spent, limit, period: period?.name ?? 'total', left: remaining, today: finiteNumber(field(data, 'usage_daily')) }];
    if (limit === null || remaining === null) return { verdict: 'works', message: '', windows: [], money, expiresAt };
    if (remaining <= 0) return { verdict: 'no-credit', message: `key limit reached (limit_remaining ${remaining})`, money, expiresAt };
    const windows: QuotaWindow[] = limit > 0 ? [{ name: 'key limit', utilization: (limit - remaining) / limit, resetsAt: period?.resetsAt ?? null, periodMs: period?.periodMs ?? null }] : [];
    return { verdict: 'works', message: '', windows, money, expiresAt };
  },
};

/**
 * An OpenRouter account's credit, with a management key (`live.providers.openrouter.managementKey`):
 * `GET /api/v1/credits` → `{data: {total_credits, total_usage}}` (OpenRouter's API reference,
 * "Get remaining credits": management key required). Not a profile's check: its money is added
 * to every OpenRouter key's live fact.
 */
export const openrouterCredits: LiveChecker = {
  name: 'openrouter-credits',
  provider: 'openrouter',
  defaultBaseUrl: 'https://openrouter.ai',
  quota: true,
  readsBody: true,
  types: [],
  request: bearer('/api/v1/credits'),
  classify(answer) {
    if (answer.status !== 200) return classifyList(answer);
    const total = finiteNumber(field(answer.body, 'data', 'total_credits'));
    const used = finiteNumber(field(answer.body, 'data', 'total_usage'));
    if (total === null || used === null) return { verdict: 'inconclusive', message: 'no total_credits / total_usage in the answer' };
    return { verdict: 'works', message: '', money: [{ name: 'account', unit: 'USD', spent: used, limit: total, period: 'total', left: total - used, today: null }] };
  },
};
