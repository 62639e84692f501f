import type { LiveFact, Money } from './live-fact.js';
import { openWindows } from './live.js';

// When a balance a provider reports (DeepSeek `balance`, Codex `credits`, an OpenRouter key's
// or account's credit left) is worth telling: exhausted with nothing else to serve from, or
// under the low-balance amount the config sets for its provider. Pure: the clock is a parameter.

interface BalanceFinding {
  money: Money;
  /** `exhausted`: nothing left to pay with and no subscription window with room; `low`: under `lowBalance`. */
  level: 'exhausted' | 'low';
}

/**
 * A balance the provider says is empty (Codex `credits.has_credits: false`) stops the credential
 * only while a subscription window of the whole credential is full: a Plus login without credits
 * serves from its windows until one is used up, and again once it resets. A model's own bucket
 * limits that model only.
 */
export function balanceFindings(fact: LiveFact, now: number, lowBalance: number | undefined): BalanceFinding[] {
  if (fact.verdict !== 'works') return [];
  const full = openWindows(fact, now).some((window) => window.model === undefined && window.utilization >= 1);
  const findings: BalanceFinding[] = [];
  for (const money of fact.money ?? []) {
    if (money.exhausted && full) findings.push({ money, level: 'exhausted' });
    else if (lowBalance !== undefined && money.left !== null && money.left < lowBalance && !money.exhausted) findings.push({ money, level: 'low' });
  }
  return findings;
}
