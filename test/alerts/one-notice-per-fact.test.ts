import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as decide from '../../src/alerts/decide.js';
import * as evaluate from '../../src/evaluate/evaluate.js';
import * as live from '../../src/evaluate/live.js';
import * as usage from '../../src/evaluate/usage.js';
import * as source from '../../src/sources/source.js';
import { readAlertState } from '../../src/alerts/state-format.js';
import { defaultAlerting } from '../../src/config/defaults.js';
import { textOf } from '../../src/alerts/message.js';
import { alertsOf } from '../../src/alerts/alertmanager-payload.js';
import type { Notice } from '../../src/alerts/notifier.js';
import { resetAt, rows, run } from './shared-facts.js';
import { HOUR, NOW } from '../helpers/clock.js';

// Issue 30: one fact, one notice. A window past a threshold is told by its usage item only (not
// again as the credential `expiring`), and a route every agent has the same way is told once,
// naming the agents. The alert memory keeps one item per agent, so a state file written by
// main before this change (test/fixtures/alert-state/main-1495945.json, made by running this
// story on main at 1495945) neither re-sends nor loses a resolve.

const m = { ...decide, ...evaluate, ...live, ...usage, ...source };
const MIN = 60_000;
const said = (notices: Notice[]) => notices.map((n) => `${n.kind} ${n.topic ?? n.profile} ${n.status}${n.group ? ` [${n.group.map((g) => g.agent).join(',')}]` : ''}`).toSorted();

describe('one notice per fact', () => {
  it('a window past a threshold and a route shared by two agents: three notices, not five', () => {
    const first = run(m, decide.emptyState(), rows(m, NOW, 0.92, resetAt, true), NOW);
    expect(said(first.notices)).toEqual(['new 5h pace expiring', 'new 5h window expiring', 'new route:deepseek missing [main,work]']);
    const text = textOf({ host: 'gw', now: NOW, notices: first.notices });
    expect(text).not.toContain('EXPIRING');
    expect(text.match(/92 % used/g)).toHaveLength(2); // the threshold and the pace, once each
    expect(text).toContain('MISSING: route:deepseek (deepseek, agents main, work)');
    expect(text.match(/deepseek unavailable/g)).toHaveLength(1);
    // Each agent's item is remembered: told once per window, no reminder of the threshold.
    expect(Object.keys(first.state.channels.mail!.told)).toContain('work/route:deepseek');
    const again = run(m, first.state, rows(m, NOW + 10 * MIN, 0.95, resetAt, true), NOW + 10 * MIN);
    expect(again.notices).toEqual([]);
    // The route recovers and the window resets: one resolve for the route, one per usage item, none for the credential.
    const after = run(m, again.state, rows(m, resetAt + MIN, 0.05, resetAt + 5 * HOUR, false), resetAt + MIN);
    expect(said(after.notices)).toEqual(['resolved 5h pace expiring', 'resolved 5h window expiring', 'resolved route:deepseek missing [main,work]']);
    expect(after.state.channels.mail!.told).toEqual({});
  });

  it('a state file from main before the change: nothing re-sent, every resolve still told', () => {
    const document: unknown = JSON.parse(readFileSync(new URL('../fixtures/alert-state/main-1495945.json', import.meta.url), 'utf8'));
    const read = readAlertState(document);
    if (!read.ok) throw new Error(read.problems.join('; '));
    // Main told all five (the credential `expiring` too). The same facts later: silence; the
    // credential's item, now told by its window's, is forgotten without a word.
    const later = run(m, read.value, rows(m, NOW + 20 * MIN, 0.93, resetAt, true), NOW + 20 * MIN);
    expect(later.notices).toEqual([]);
    expect(Object.keys(later.state.channels.mail!.told).toSorted()).toEqual(['main/route:deepseek', 'usage\u0000main/anthropic:me\u0000pace:5h', 'usage\u0000main/anthropic:me\u0000quota:5h', 'work/route:deepseek']);
    const after = run(m, later.state, rows(m, resetAt + MIN, 0.05, resetAt + 5 * HOUR, false), resetAt + MIN);
    expect(said(after.notices)).toEqual(['resolved 5h pace expiring', 'resolved 5h window expiring', 'resolved route:deepseek missing [main,work]']);
  });

  it('Alertmanager-shaped payloads keep one alert per agent, so the alerts their receiver knows are resolved under the same labels', () => {
    const first = run(m, decide.emptyState(), rows(m, NOW, 0.1, resetAt, true), NOW);
    const fired = alertsOf({ host: 'gw', now: NOW, notices: first.notices }, HOUR);
    expect(fired.map((a) => `${a.status} ${a.labels.agent}`)).toEqual(['firing main', 'firing work']);
    const after = run(m, first.state, rows(m, NOW + 3 * HOUR, 0.1, resetAt + 5 * HOUR, false), NOW + 3 * HOUR);
    const resolved = alertsOf({ host: 'gw', now: NOW, notices: after.notices }, HOUR);
    expect(resolved.map((a) => [a.status, a.fingerprint])).toEqual(fired.map((a) => ['resolved', a.fingerprint]));
  });

  it('an Alertmanager channel hears the credential resolved once its window is told as usage (its alert would linger otherwise)', () => {
    const read = readAlertState(JSON.parse(readFileSync(new URL('../fixtures/alert-state/main-1495945.json', import.meta.url), 'utf8')));
    if (!read.ok) throw new Error(read.problems.join('; '));
    const later = run(m, read.value, rows(m, NOW + 20 * MIN, 0.93, resetAt, true), NOW + 20 * MIN, true);
    expect(said(later.notices.filter((n) => n.kind === 'resolved'))).toEqual(['resolved anthropic:me expiring']);
  });

  it('a window under the usage thresholds but past the warning share is still told, as the credential', () => {
    const usageRows = rows(m, NOW, 0.92, resetAt, false);
    const view = m.usageView(usageRows, m.profileKey, [95], NOW);
    const { plans } = m.decideAlerts(decide.emptyState(), usageRows, NOW, [{ name: 'mail', resendsFiring: false }], defaultAlerting, new Set(), view);
    expect(said(plans.get('mail')!.notices)).toEqual(['new 5h pace expiring', 'new anthropic:me expiring']);
  });
});
