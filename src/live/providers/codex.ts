import { amount, cleanMessage, errorMessage, field, finiteNumber, saysDead, timeOf, unexpected, type LiveChecker } from '../provider.js';
import type { Money, QuotaWindow } from '../../evaluate/live.js';

/** At most this many per-model buckets are kept: a hostile answer cannot flood the metrics. */
const maxBuckets = 16;

/** A `rate_limit` object's primary and secondary windows, named `<prefix>primary`. */
function windowsOf(limit: unknown, prefix: string, model: string | undefined): QuotaWindow[] {
  const windows: QuotaWindow[] = [];
  for (const [key, name] of [['primary_window', 'primary'], ['secondary_window', 'secondary']] as const) {
    const used = finiteNumber(field(limit, key, 'used_percent'));
    const seconds = finiteNumber(field(limit, key, 'limit_window_seconds'));
    const periodMs = seconds !== null && seconds > 0 ? seconds * 1000 : null;
    if (used !== null) windows.push({ name: `${prefix}${name}`, utilization: used / 100, resetsAt: timeOf(field(limit, key, 'reset_at')), periodMs, ...(model === undefined ? {} : { model }) });
  }
  return windows;
}

/** Codex usage-limit types that are credit, not a window (they do not reset by themselves). */
const depleted = /credits_depleted/;

/**
 * A ChatGPT / Codex login (OAuth access token): `GET /backend-api/wham/usage` reports the
 * plan's primary and secondary windows, credits and spend control; costs nothing. The login's
 * account id goes as `ChatGPT-Account-Id`, as OpenClaw and the Codex CLI send it.
 */
export const codexUsage: LiveChecker = {
  name: 'codex-usage',
  provider: 'openai-codex',
  defaultBaseUrl: 'https://chatgpt.com',
  quota: true,
  readsBody: true,
  topUp: 'add credits or raise the spend limit in the ChatGPT workspace settings',
  types: ['oauth'],
  // OpenClaw 2026.9 keeps ChatGPT logins under `openai` (`openai-codex` is its legacy id) and
  // probes this endpoint for them (usage-*.mjs `isWhamOAuthProfile`).
  alsoFor: ['openai'],
  request: (secret) => ({
    path: '/backend-api/wham/usage',
    headers: { authorization: `Bearer ${secret.value}`, ...(secret.accountId ? { 'chatgpt-account-id': secret.accountId } : {}) },
  }),
  classify(answer) {
    // Only a 403 that says the account is gone; any other (a workspace policy, a region) says nothing about the login.
    if (answer.status === 403 && saysDead.test(errorMessage(answer.body))) return { verdict: 'rejected', message: errorMessage(answer.body) };
    if (answer.status !== 200) return unexpected(answer);
    const reached = field(answer.body, 'rate_limit_reached_type', 'type');
    if (typeof reached === 'string' && depleted.test(reached)) return { verdict: 'no-credit', message: reached };
    if (field(answer.body, 'spend_control', 'reached') === true) return { verdict: 'no-credit', message: 'spend control reached' };
    const windows = windowsOf(field(answer.body, 'rate_limit'), '', undefined);
    // Per-model buckets (openai/codex codex-rs backend-client: `additional_rate_limits[]` of
    // `{ metered_feature, limit_name, rate_limit }`, `limit_name` naming the model): each limits its model only.
    const additional = field(answer.body, 'additional_rate_limits');
    for (const bucket of Array.isArray(additional) ? additional.slice(0, maxBuckets) : []) {
      const name = field(bucket, 'limit_name');
      if (typeof name === 'string' && name.trim()) windows.push(...windowsOf(field(bucket, 'rate_limit'), `${cleanMessage(name).slice(0, 60)} `, cleanMessage(name).slice(0, 60)));
    }
    // credits.balance: a number or a decimal string (OpenClaw's provider-usage.fetch.codex reads both);
    // has_credits and unlimited beside it (openai/codex codex-backend-openapi-models
    // `CreditStatusDetails { has_credits, unlimited, balance }`): an unlimited balance has no amount left.
    const balance = amount(field(answer.body, 'credits', 'balance'));
    const unlimited = field(answer.body, 'credits', 'unlimited') === true;
    const none = field(answer.body, 'credits', 'has_credits') === false && !unlimited;
    const left = unlimited ? null : balance !== null && balance >= 0 ? balance : none ? 0 : null;
    const money: Money[] = left !== null || unlimited ? [{ name: 'credits', unit: 'credits', spent: null, limit: null, period: 'total', left, today: null, ...(none ? { exhausted: true as const } : {}) }] : [];
    return { verdict: 'works', message: '', windows, money };
  },
};
