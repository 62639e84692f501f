// What a live check saw (src/live), as the judging (live.ts) and every output read it.

export const liveVerdicts = ['works', 'rejected', 'wrong-kind', 'no-credit', 'inconclusive', 'not-checkable'] as const;
export type LiveVerdict = (typeof liveVerdicts)[number];

/** One usage window a provider reported (Anthropic's five_hour, Codex's primary …). */
export interface QuotaWindow {
  name: string;
  /** Share used, 0–1 (1 = out of quota). */
  utilization: number;
  /** When the window resets, epoch ms; `null` when the provider does not say. */
  resetsAt: number | null;
  /**
   * A model's own bucket (Codex `additional_rate_limits[].limit_name`): it limits that model
   * only, not the credential. Absent: the window holds every model.
   */
  model?: string;
  /** How long the window runs (5 h, 7 d, Codex's `limit_window_seconds`), ms; `null` when not known: no pace then. */
  periodMs: number | null;
}

/**
 * Money a provider reports for a credential or its account: spent in a period (against a
 * limit), or a balance left. Amounts in `unit` (a currency code, or `credits`).
 */
export interface Money {
  /** `extra usage` (Claude), `key` (OpenRouter), `balance` (DeepSeek), `credits` (Codex). */
  name: string;
  unit: string;
  /** Spent in the current period (`period`); `null` when not reported. */
  spent: number | null;
  /** The period's spending limit; `null` when none. */
  limit: number | null;
  /** `month`, `week`, `day`, or `total` (no reset). */
  period: string;
  /** What is left to spend (a balance, a prepaid credit); `null` when not reported. */
  left: number | null;
  /** Spent today (UTC), where the provider reports it (OpenRouter `usage_daily`): the daily burn. */
  today: number | null;
  /** The provider says nothing is left to pay with (Codex `credits.has_credits: false`, not unlimited). */
  exhausted?: true;
}

/** What a live check saw, and when. Never holds the secret, at most the provider's scrubbed words. */
export interface LiveFact {
  verdict: LiveVerdict;
  /** When the request that gave this verdict was answered (or failed), epoch ms. */
  observedAt: number;
  /** The HTTP status the provider answered, `null` without an answer. */
  httpStatus: number | null;
  /** The provider's message (scrubbed), or why the check said nothing. */
  message: string;
  /** When the credential was last seen working, epoch ms. */
  lastWorkedAt: number | null;
  /**
   * When the provider last answered conclusively about it (works, rejected, no credit, wrong
   * kind), epoch ms; if it never has, when its checks began. Inconclusive answers leave it.
   */
  lastConclusiveAt: number;
  windows: readonly QuotaWindow[];
  /** Money the provider reports (absent: none). */
  money?: readonly Money[];
  /** When the credential ends as the provider reports it (OpenRouter's `expires_at`), epoch ms. */
  expiresAt?: number | null;
  /** For `no-credit`: where to add credit. */
  topUp: string | null;
}
