import { describe, expect, it } from 'vitest';
import type { AlertingConfig } from '../../src/config/alerting.js';
import { defaultAlerting } from '../../src/config/defaults.js';
import { decideAlerts, emptyState, inQuietHours, markDelivered, markFailed, toldMarks, unreadableAgents, type AlertState } from '../../src/alerts/decide.js';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { failedVisit, makeProfile, problemProfile, type Profile, type SourceVisit } from '../../src/sources/source.js';
import { DAY, HOUR, NOW } from '../helpers/clock.js';
import { policy } from '../helpers/policy.js';

const token = (expiresAt: number, fields: Partial<Profile> = {}) =>
  makeProfile({ id: 'anthropic:default', provider: 'anthropic', source: 'openclaw', type: 'token', agent: 'main', expiresAt, fingerprint: { hex: 'aaaa1111' }, ...fields });

/** One run of the alert memory for one channel: decide, then deliver (or fail) everything planned. */
function run(
  state: AlertState,
  profiles: Profile[],
  now: number,
  options: { fail?: boolean; alerting?: Partial<AlertingConfig>; resends?: boolean; visits?: SourceVisit[] } = {},
) {
  const evaluations = profiles.map((p) => evaluate(p, now, policy));
  const unreadable = unreadableAgents(evaluations, options.visits ?? []);
  const { next, plans } = decideAlerts(state, evaluations, now, [{ name: 'mail', resendsFiring: options.resends ?? false }], { ...defaultAlerting, ...options.alerting }, unreadable);
  const plan = plans.get('mail')!;
  const memory = next.channels.mail!;
  const fingerprints = toldMarks(evaluations, []);
  if (plan.notices.length > 0) next.channels.mail = options.fail ? markFailed(memory, 'smtp down', now) : markDelivered(memory, plan.notices, fingerprints, now);
  return { state: next, told: plan.notices.map((n) => `${n.kind}:${n.status}`), deferred: plan.deferred };
}

describe('alert memory, as a story', () => {
  it('tells once, reminds after the repeat interval, escalates at once, resolves once', () => {
    const expires = NOW + 6 * HOUR;
    let step = run(emptyState(), [token(expires)], NOW);
    expect(step.told).toEqual(['new:expiring']); // a change into expiring
    // A profile's entry keeps the fingerprint key, always null: authwatch before 2026-12-07 requires it (a rollback must read the file).
    expect(step.state.profiles).toEqual({ 'main/anthropic:default': { status: 'expiring', since: NOW, fingerprint: null } });
    expect(step.state.channels.mail!.told['main/anthropic:default']).toEqual({ status: 'expiring', at: NOW, fingerprint: 'aaaa1111' });
    step = run(step.state, [token(expires)], NOW + 15 * 60_000);
    expect(step.told).toEqual([]); // 15 minutes later: nothing new to say
    step = run(step.state, [token(expires)], NOW + 5 * HOUR);
    expect(step.told).toEqual([]); // still inside the 24h reminder interval
    step = run(step.state, [token(expires)], expires + 60_000);
    expect(step.told).toEqual(['escalation:expired']); // worse: at once, inside the interval
    step = run(step.state, [token(expires)], expires + 3 * HOUR);
    expect(step.told).toEqual([]);
    step = run(step.state, [token(expires)], expires + 4 * HOUR + 60_000);
    expect(step.told).toEqual(['reminder:expired']); // 4h repeat for expired
    step = run(step.state, [token(NOW + 365 * DAY, { fingerprint: { hex: 'bbbb2222' } })], expires + 5 * HOUR);
    expect(step.told).toEqual(['resolved:expired']); // a new token: resolved, naming what it was
    step = run(step.state, [token(NOW + 365 * DAY, { fingerprint: { hex: 'bbbb2222' } })], expires + 6 * HOUR);
    expect(step.told).toEqual([]);
  });

  it('a failed delivery stays pending and is sent by the next run; a success is never repeated', () => {
    let step = run(emptyState(), [token(NOW - HOUR)], NOW, { fail: true });
    expect(step.told).toEqual(['new:expired']);
    expect(step.state.channels.mail).toMatchObject({ failures: 1, lastError: 'smtp down' });
    step = run(step.state, [token(NOW - HOUR)], NOW + 15 * 60_000);
    expect(step.told).toEqual(['new:expired']); // retried
    expect(step.state.channels.mail).toMatchObject({ failures: 0, retryAt: null });
    step = run(step.state, [token(NOW - HOUR)], NOW + 30 * 60_000);
    expect(step.told).toEqual([]);
  });

  it('a profile that disappears is resolved; resolved notices can be switched off', () => {
    let step = run(emptyState(), [token(NOW - HOUR)], NOW);
    step = run(step.state, [], NOW + HOUR);
    expect(step.told).toEqual(['resolved:expired']);
    step = run(emptyState(), [token(NOW - HOUR)], NOW, { alerting: { sendResolved: false } });
    const quiet = run(step.state, [token(NOW + 100 * DAY)], NOW + HOUR, { alerting: { sendResolved: false } });
    expect(quiet.told).toEqual([]);
    expect(quiet.state.channels.mail!.told).toEqual({});
  });

  it('a replaced credential that is bad again is a new alert, not a silent repeat', () => {
    let step = run(emptyState(), [token(NOW - HOUR)], NOW);
    step = run(step.state, [token(NOW - HOUR, { fingerprint: { hex: 'cccc3333' } })], NOW + HOUR);
    expect(step.told).toEqual(['new:expired']);
  });

  it('Alertmanager-like channels hear about every firing profile on every run', () => {
    let step = run(emptyState(), [token(NOW - HOUR)], NOW, { resends: true });
    expect(step.told).toEqual(['new:expired']);
    step = run(step.state, [token(NOW - HOUR)], NOW + 15 * 60_000, { resends: true });
    expect(step.told).toEqual(['firing:expired']);
    step = run(step.state, [], NOW + 30 * 60_000, { resends: true, alerting: { sendResolved: false } });
    expect(step.told).toEqual(['resolved:expired']);
  });

  it('quiet hours hold back warnings and let criticals through; held ones go out after the window', () => {
    const alerting = { quietHours: { timeZone: 'Europe/Berlin', start: '22:00', end: '07:00', allowCritical: true } };
    const night = Date.parse('2026-11-24T23:30:00Z'); // 00:30 in Berlin
    const expiring = token(night + 20 * HOUR);
    const expired = token(night - HOUR, { id: 'openai:default', provider: 'openai' });
    let step = run(emptyState(), [expiring, expired], night, { alerting });
    expect(step.told).toEqual(['new:expired']);
    expect(step.deferred).toBe(1);
    const morning = Date.parse('2026-11-25T06:05:00Z'); // 07:05 in Berlin
    step = run(step.state, [expiring, expired], morning, { alerting });
    expect(step.told).toEqual(['new:expiring', 'reminder:expired']); // the held warning, and the 4h reminder that is due
  });

  it('quiet hours are evaluated in the configured zone, across midnight', () => {
    const q = { timeZone: 'America/New_York', start: '22:00', end: '07:00', allowCritical: true };
    expect(inQuietHours(Date.parse('2026-11-25T04:00:00Z'), q)).toBe(true); // 23:00 New York
    expect(inQuietHours(Date.parse('2026-11-25T12:30:00Z'), q)).toBe(false); // 07:30
    expect(inQuietHours(Date.parse('2026-11-25T11:59:00Z'), q)).toBe(true); // 06:59
  });

  it('a time recorded under a clock that ran ahead holds nothing back once the clock is right again', () => {
    const later = NOW + 30 * DAY; // a `--now` in the future, or a clock since set back
    let step = run(emptyState(), [token(NOW - HOUR)], later, { fail: true });
    expect(step.state.channels.mail!.retryAt).toBe(later + 60_000);
    step = run(step.state, [token(NOW - HOUR)], NOW);
    expect(step.told).toEqual(['new:expired']); // the retry is due: that failure's real time is unknown
    step = run(emptyState(), [token(NOW - HOUR)], later);
    expect(step.state.channels.mail!.told['main/anthropic:default']!.at).toBe(later);
    step = run(step.state, [token(NOW - HOUR)], NOW);
    expect(step.told).toEqual([]);
    expect(step.state.channels.mail!.told['main/anthropic:default']!.at).toBe(NOW); // told "now", not in a month
    expect(step.state.profiles['main/anthropic:default']!.since).toBe(NOW);
    step = run(step.state, [token(NOW - HOUR)], NOW + 4 * HOUR + 60_000);
    expect(step.told).toEqual(['reminder:expired']); // the 4h reminder comes on time
  });

  it('a stored retry time further ahead than its backoff is due now; one within it is kept', () => {
    const failedAt = (at: number) => markFailed(markFailed({ told: {}, failures: 0, retryAt: null, lastError: null }, 'down', at), 'down', at);
    const retryAt = (at: number) =>
      decideAlerts({ ...emptyState(), channels: { mail: failedAt(at) } }, [], NOW, [{ name: 'mail', resendsFiring: false }], defaultAlerting).next.channels.mail!;
    expect(retryAt(NOW + 10 * DAY)).toMatchObject({ failures: 2, retryAt: NOW });
    expect(retryAt(NOW - 30_000)).toMatchObject({ failures: 2, retryAt: NOW + 90_000 }); // two minutes after a failure half a minute ago
  });

  it('a store that cannot be read keeps its profiles as they were: nothing resolved, nothing new when it reads again', () => {
    const storePath = '/home/u/.openclaw/agents/main/agent/auth-profiles.json';
    const other = token(NOW - HOUR, { id: 'openai:default', provider: 'openai', agent: 'ops', fingerprint: { hex: 'dddd4444' } });
    const torn = problemProfile({ id: 'openclaw:main', provider: 'unknown', source: 'openclaw', agent: 'main', path: storePath }, `${storePath}: unexpected end of JSON`);
    const visits = [failedVisit('openclaw', storePath, `${storePath}: unexpected end of JSON`)];
    let step = run(emptyState(), [token(NOW - HOUR, { path: storePath }), other], NOW);
    expect(step.told).toEqual(['new:expired', 'new:expired']);
    // Caught mid-rewrite: main's profile is not there, and neither is ops' (removed for real).
    step = run(step.state, [torn], NOW + 15 * 60_000, { visits });
    expect(step.told).toEqual(['new:error', 'resolved:expired']); // the unreadable store is news; only ops' profile is resolved
    expect(step.state.channels.mail!.told['main/anthropic:default']).toBeDefined();
    expect(step.state.profiles['main/anthropic:default']).toMatchObject({ status: 'expired', since: NOW });
    step = run(step.state, [token(NOW - HOUR, { path: storePath })], NOW + 30 * 60_000);
    expect(step.told).toEqual(['resolved:error']); // readable again: the profile goes on as before
  });

  it('a failure that names no agent (a source that broke) keeps every absent profile', () => {
    const broken = problemProfile({ id: 'openclaw:source', provider: 'unknown', source: 'openclaw', path: null }, 'the source failed');
    const evaluations = [evaluate(broken, NOW, policy)];
    expect(unreadableAgents(evaluations, [failedVisit('openclaw', null, 'the source failed')])).toBe('all');
    expect(unreadableAgents(evaluations, [failedVisit('openclaw', '/elsewhere', 'no row for it')])).toBe('all');
    expect(unreadableAgents(evaluations, [])).toEqual(new Set());
    let step = run(emptyState(), [token(NOW - HOUR)], NOW);
    step = run(step.state, [broken], NOW + HOUR, { visits: [failedVisit('openclaw', null, 'the source failed')] });
    expect(step.told).toEqual(['new:error']);
  });
});
