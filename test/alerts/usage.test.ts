import { describe, expect, it } from 'vitest';
import { defaultAlerting } from '../../src/config/defaults.js';
import { decideAlerts, emptyState, markDelivered, markFailed, profileKey, toldMarks, type AlertState } from '../../src/alerts/decide.js';
import { evaluate, type Evaluation } from '../../src/evaluate/evaluate.js';
import type { LiveFact, Money, QuotaWindow } from '../../src/evaluate/live-fact.js';
import { usageView } from '../../src/evaluate/usage.js';
import { textOf } from '../../src/alerts/message.js';
import { makeProfile } from '../../src/sources/source.js';
import { HOUR, NOW } from '../helpers/clock.js';
import { policy } from '../helpers/policy.js';

// The usage items of the alert memory, as a story: each threshold of a window told once per
// window (its reset time names it), a pace warning once per window, a notice when the window
// resets; an inconclusive check in between changes nothing.

const MIN = 60_000;
const login = makeProfile({ id: 'anthropic:me', provider: 'anthropic', source: 'openclaw', type: 'oauth', agent: 'main', expiresAt: NOW + 30 * 24 * HOUR, fingerprint: { hex: 'aaaa1111' }, refreshable: true });
const fiveHours = 5 * HOUR;

function fact(verdict: LiveFact['verdict'], windows: QuotaWindow[], now: number): LiveFact {
  return { verdict, observedAt: now, httpStatus: verdict === 'works' ? 200 : 429, message: '', lastWorkedAt: now, lastConclusiveAt: now, windows, topUp: null };
}
const fiveHour = (utilization: number, resetsAt: number): QuotaWindow => ({ name: '5h', utilization, resetsAt, periodMs: fiveHours });

function run(state: AlertState, live: LiveFact | null, now: number, options: { fail?: boolean; thresholds?: number[]; sendResolved?: boolean } = {}) {
  const evaluation: Evaluation = { ...evaluate(login, now, policy), ...(live ? { live } : {}) };
  const usage = usageView([evaluation], profileKey, options.thresholds ?? [75, 90, 100], now);
  const { next, plans } = decideAlerts(state, [evaluation], now, [{ name: 'mail', resendsFiring: false }], { ...defaultAlerting, sendResolved: options.sendResolved ?? true }, new Set(), usage);
  const plan = plans.get('mail')!;
  const fingerprints = toldMarks([evaluation], usage.signals);
  if (plan.notices.length > 0) next.channels.mail = options.fail ? markFailed(next.channels.mail!, 'smtp down', now) : markDelivered(next.channels.mail!, plan.notices, fingerprints, now);
  return { state: next, told: plan.notices.map((n) => `${n.kind}:${n.topic}: ${n.detail}`), notices: plan.notices };
}

describe('usage thresholds and resets in the alert memory', () => {
  it('tells each threshold once per window, and the reset once', () => {
    const reset = NOW + 4 * HOUR; // 1 h into the 5 h window
    let step = run(emptyState(), fact('works', [fiveHour(0.15, reset)], NOW), NOW);
    expect(step.told).toEqual([]); // under every threshold, on an even pace
    step = run(step.state, fact('works', [fiveHour(0.76, reset + 1000)], NOW + 2 * HOUR), NOW + 2 * HOUR);
    // 3 h in, 76 % used: past 75 %, and on course to run out before the reset.
    expect(step.told).toEqual([
      'new:5h window: 5h window 76 % used (past the 75 % threshold), resets 16:00; at this rate the 5h window is used up 14:56, 1 h before it resets',
      'new:5h pace: at this rate the 5h window is used up 14:56, 1 h before it resets (76 % used, resets 16:00)',
    ]);
    step = run(step.state, fact('works', [fiveHour(0.8, reset)], NOW + 2 * HOUR + 5 * MIN), NOW + 2 * HOUR + 5 * MIN);
    expect(step.told).toEqual([]); // the same window, the same threshold: told already
    step = run(step.state, fact('works', [fiveHour(0.91, reset)], NOW + 2 * HOUR + 10 * MIN), NOW + 2 * HOUR + 10 * MIN);
    expect(step.notices.map((n) => `${n.kind}:${n.topic}`)).toEqual(['escalation:5h window']); // the pace was told already
    expect(step.notices[0]!.detail).toContain('91 % used (past the 90 % threshold)');
    // A rate-limited check in between: nothing known, nothing resolved.
    step = run(step.state, fact('inconclusive', [], NOW + 2 * HOUR + 15 * MIN), NOW + 2 * HOUR + 15 * MIN);
    expect(step.told).toEqual([]);
    step = run(step.state, fact('works', [fiveHour(1, reset)], NOW + 3 * HOUR), NOW + 3 * HOUR);
    expect(step.notices.map((n) => `${n.kind}:${n.topic}`)).toEqual(['escalation:5h window']);
    expect(step.notices[0]!.detail).toContain('past the 100 % threshold');
    // The window resets: one notice per item told, naming the reset; then a fresh window at 10 % says nothing.
    step = run(step.state, fact('works', [fiveHour(0.1, reset + fiveHours)], reset + 30 * MIN), reset + 30 * MIN);
    expect(step.told.sort()).toEqual(['resolved:5h pace: 5h window reset (now 10 % used)', 'resolved:5h window: 5h window reset (now 10 % used)']);
    step = run(step.state, fact('works', [fiveHour(0.12, reset + fiveHours)], reset + 35 * MIN), reset + 35 * MIN);
    expect(step.told).toEqual([]);
    expect(Object.keys(step.state.channels.mail!.told)).toEqual([]);
    // The next window past 75 %: told again, it is a new window.
    step = run(step.state, fact('works', [fiveHour(0.8, reset + fiveHours)], reset + 4 * HOUR), reset + 4 * HOUR);
    expect(step.notices.map((n) => `${n.kind}:${n.topic}`)).toEqual(['new:5h window']);
  });

  it('a reset time that passes is a reset even before the next conclusive answer', () => {
    const reset = NOW + HOUR;
    let step = run(emptyState(), fact('works', [fiveHour(0.95, reset)], NOW), NOW);
    expect(step.told).toHaveLength(2); // the 90 % threshold, and the pace
    step = run(step.state, fact('inconclusive', [], reset + MIN), reset + MIN);
    expect(step.told.sort()).toEqual(['resolved:5h pace: 5h window reset', 'resolved:5h window: 5h window reset']);
  });

  it('a failed delivery keeps the threshold owed; it is sent once by the next run', () => {
    const reset = NOW + 3 * HOUR;
    let step = run(emptyState(), fact('works', [fiveHour(0.92, reset)], NOW), NOW, { fail: true, thresholds: [90] });
    expect(step.told).toHaveLength(2);
    step = run(step.state, fact('works', [fiveHour(0.92, reset)], NOW + 20 * MIN), NOW + 20 * MIN, { thresholds: [90] });
    expect(step.told).toHaveLength(2);
    step = run(step.state, fact('works', [fiveHour(0.93, reset)], NOW + 40 * MIN), NOW + 40 * MIN, { thresholds: [90] });
    expect(step.told).toEqual([]);
  });

  it('a window without a reset time (extra usage) is over when it is below every threshold again', () => {
    const extra = (u: number): QuotaWindow => ({ name: 'extra usage', utilization: u, resetsAt: null, periodMs: null });
    let step = run(emptyState(), fact('works', [extra(0.8)], NOW), NOW);
    expect(step.told).toEqual(['new:extra usage window: extra usage window 80 % used (past the 75 % threshold)']);
    step = run(step.state, fact('works', [extra(0.85)], NOW + HOUR), NOW + HOUR);
    expect(step.told).toEqual([]);
    step = run(step.state, fact('works', [extra(0.02)], NOW + 30 * 24 * HOUR), NOW + 30 * 24 * HOUR);
    expect(step.told).toEqual(['resolved:extra usage window: extra usage back to 2 % used']);
  });

  it('the message names the window, not a credential failure', () => {
    const step = run(emptyState(), fact('works', [fiveHour(0.92, NOW + 3 * HOUR)], NOW), NOW, { thresholds: [90] });
    const text = textOf({ host: 'gw', now: NOW, notices: step.notices.slice(0, 1) });
    expect(text).toContain('USAGE: anthropic:me 5h window (anthropic, agent main)\n5h window 92 % used (past the 90 % threshold), resets 15:00');
    expect(text).not.toContain('EXPIRING');
  });
});

describe('balances in the alert memory', () => {
  const key = makeProfile({ id: 'deepseek:default', provider: 'deepseek', source: 'openclaw', type: 'api_key', agent: 'main', fingerprint: { hex: 'bbbb2222' } });
  const balance = (left: number, extra: Partial<Money> = {}): LiveFact => ({ ...fact('works', [], NOW), money: [{ name: 'balance', unit: 'USD', spent: null, limit: null, period: 'total', left, today: null, ...extra }], topUp: 'top up at platform.deepseek.com' });
  function step(state: AlertState, live: LiveFact, now: number, lowBalance: number | undefined) {
    const evaluation: Evaluation = { ...evaluate(key, now, policy), live };
    const usage = usageView([evaluation], profileKey, [75, 90, 100], now, (provider) => (provider === 'deepseek' ? lowBalance : undefined));
    const { next, plans } = decideAlerts(state, [evaluation], now, [{ name: 'mail', resendsFiring: false }], defaultAlerting, new Set(), usage);
    const notices = plans.get('mail')!.notices;
    if (notices.length > 0) next.channels.mail = markDelivered(next.channels.mail!, notices, toldMarks([], usage.signals), now);
    return { state: next, told: notices.map((n) => `${n.kind}:${n.topic}: ${n.detail}${n.fix ? ` / ${n.fix}` : ''}`) };
  }

  it('a balance under the low mark is told once, and resolved once it is topped up', () => {
    let s = step(emptyState(), balance(1.5), NOW, 2);
    expect(s.told).toEqual(['new:balance: balance 1.50 USD left, under the 2.00 USD low-balance mark / top up at platform.deepseek.com']);
    s = step(s.state, balance(1.2), NOW + HOUR, 2);
    expect(s.told).toEqual([]);
    s = step(s.state, balance(20), NOW + 2 * HOUR, 2);
    expect(s.told).toEqual(['resolved:balance: balance back to 20.00 USD']);
  });

  it('no low mark configured: nothing, whatever the balance; an exhausted balance without windows to fill is not told as exhausted', () => {
    expect(step(emptyState(), balance(0.01), NOW, undefined).told).toEqual([]);
    expect(step(emptyState(), balance(0, { exhausted: true }), NOW, undefined).told).toEqual([]);
  });
});
