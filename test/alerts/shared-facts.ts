import type { decideAlerts as Decide, markDelivered as Mark, profileKey as Key, toldMarks as ToldMarks, AlertState } from '../../src/alerts/decide.js';
import type { evaluate as Evaluate, Evaluation } from '../../src/evaluate/evaluate.js';
import type { withLive as WithLive } from '../../src/evaluate/live.js';
import type { usageView as UsageView } from '../../src/evaluate/usage.js';
import type { makeProfile as MakeProfile } from '../../src/sources/source.js';
import type { Notice } from '../../src/alerts/notifier.js';
import { defaultAlerting } from '../../src/config/defaults.js';
import { HOUR, NOW } from '../helpers/clock.js';
import { policy } from '../helpers/policy.js';

// The story of issue 30's duplicate notices, as rows the alerts are decided on: the main
// agent's store holds a Claude login (serving agents main and work) whose 5 h window is past
// 90 %, and both agents' deepseek routes are unavailable the same way (the same text). The
// modules are parameters so the same story runs on today's code and on the code of an earlier
// main (to write the state file that main left: test/fixtures/alert-state/).

interface Modules {
  decideAlerts: typeof Decide;
  markDelivered: typeof Mark;
  profileKey: typeof Key;
  evaluate: typeof Evaluate;
  withLive: typeof WithLive;
  toldMarks: typeof ToldMarks;
  usageView: typeof UsageView;
  makeProfile: typeof MakeProfile;
}

/** The 5 h window resets here: 3 h after NOW, 2 h into it. */
export const resetAt = NOW + 3 * HOUR;

export function rows(m: Modules, now: number, utilization: number, windowResetsAt: number, deepseekDown: boolean): Evaluation[] {
  const login = m.makeProfile({ id: 'anthropic:me', provider: 'anthropic', source: 'openclaw', type: 'oauth', agent: 'main', path: '/home/u/.openclaw/agents/main/agent/auth-profiles.json', expiresAt: NOW + 30 * 24 * HOUR, refreshable: true, fingerprint: { hex: 'aaaa1111' } });
  const fact = { verdict: 'works' as const, observedAt: now, httpStatus: 200, message: '', lastWorkedAt: now, lastConclusiveAt: now, windows: [{ name: '5h', utilization, resetsAt: windowResetsAt, periodMs: 5 * HOUR }], topUp: null };
  const evaluated = m.withLive(m.evaluate(login, now, policy), fact, now, { warnRatio: 0.9 });
  // report.ts `routeRow`: one per route owner; the shared store makes them say the same.
  const route = (agent: string): Evaluation => ({
    profile: m.makeProfile({ id: 'route:deepseek', provider: 'deepseek', source: 'route', type: null, secret: 'absent', agent }),
    status: 'missing',
    expiresAt: NOW + 2 * HOUR,
    remainingMs: NOW + 2 * HOUR - now,
    detail: 'deepseek unavailable: deepseek:default billing disabled until 14:00; fix: add credit or fix billing for deepseek; OpenClaw tries deepseek:default again after 2026-11-24 14:00 +00:00',
    unused: false,
  });
  return [evaluated, ...(deepseekDown ? [route('main'), route('work')] : [])];
}

/** One run for one channel (`mail`, or an Alertmanager-like one): decide, deliver everything planned. */
export function run(m: Modules, state: AlertState, alertRows: Evaluation[], now: number, resendsFiring = false): { state: AlertState; notices: Notice[] } {
  const usage = m.usageView(alertRows, m.profileKey, [75, 90, 100], now);
  const { next, plans } = m.decideAlerts(state, alertRows, now, [{ name: 'mail', resendsFiring }], defaultAlerting, new Set(), usage);
  const notices = plans.get('mail')!.notices;
  const fingerprints = m.toldMarks(alertRows, usage.signals);
  if (notices.length > 0) next.channels.mail = m.markDelivered(next.channels.mail!, notices, fingerprints, now);
  return { state: next, notices };
}
