import { describe, expect, it } from 'vitest';
import { blockEvidence, type StoredWindow } from '../src/evaluate/block-evidence.js';
import type { LiveFact, QuotaWindow } from '../src/evaluate/live-fact.js';
import { evaluate } from '../src/evaluate/evaluate.js';
import { withLive } from '../src/evaluate/live.js';
import { policyFromConfig } from '../src/evaluate/policy.js';
import { buildReport } from '../src/evaluate/report.js';
import { buildRoutes, describeRoute } from '../src/evaluate/routes.js';
import { routeFix } from '../src/evaluate/fix.js';
import { defaultConfig } from '../src/config/defaults.js';
import type { Config } from '../src/config/schema.js';
import { makeProfile, type UsageFacts } from '../src/sources/source.js';
import { HOUR, NOW } from './helpers/clock.js';
import { metricFamilies, singleRun } from '../src/outputs/metric-families.js';
import { renderExposition } from '../src/outputs/exposition.js';
import type { Report } from '../src/evaluate/report.js';

const metricsText = (report: Report) => renderExposition(metricFamilies(singleRun(report, 1, { host: 'h', checkIntervalSeconds: null })));

const MIN = 60_000;
const SET = NOW - HOUR;
const window = (reason: string | null, model: string | null = null, since: number | null = SET): StoredWindow => ({ reason, model, since });
const fact = (fields: Partial<LiveFact> = {}): LiveFact => ({ verdict: 'works', observedAt: NOW - 5 * MIN, httpStatus: 200, message: '', lastWorkedAt: NOW - 5 * MIN, lastConclusiveAt: NOW - 5 * MIN, windows: [], topUp: null, ...fields });
const usage = (...windows: QuotaWindow[]) => fact({ windows });
const w = (name: string, utilization: number, model?: string): QuotaWindow => ({ name, utilization, resetsAt: NOW + 4 * HOUR, periodMs: null, ...(model ? { model } : {}) });

describe('blockEvidence (issue 30 §1): a stored window against the live evidence', () => {
  it('usage under every limit after a billing disable: works, with the usage', () => {
    expect(blockEvidence(window('billing'), usage(w('5h', 0.03), w('7d', 0.2)), NOW)).toEqual({ verdict: 'works', says: 'usage now 20 % (7d window)', observedAt: NOW - 5 * MIN });
  });

  it('a credit check that works contradicts a billing window; no credit confirms it; a plain key answering 200 says nothing of a balance', () => {
    expect(blockEvidence(window('billing'), fact({ topUp: 'top up at platform.deepseek.com' }), NOW)?.verdict).toBe('works');
    expect(blockEvidence(window('billing'), fact({ verdict: 'no-credit', message: 'is_available: false', topUp: 'x' }), NOW)).toMatchObject({ verdict: 'confirmed', says: 'no credit: is_available: false' });
    expect(blockEvidence(window('billing'), fact(), NOW)).toBeNull();
  });

  it('a window at 100 % confirms a quota block; under it, the block is contradicted', () => {
    expect(blockEvidence(window('rate_limit'), usage(w('5h', 1), w('7d', 0.1)), NOW)).toMatchObject({ verdict: 'confirmed', says: expect.stringMatching(/^usage 100 % \(5h window\) until /) });
    expect(blockEvidence(window('subscription_limit'), usage(w('primary', 0.4)), NOW)).toMatchObject({ verdict: 'works', says: 'usage now 40 % (primary window)' });
    // A quota block with no usage window in the answer (a list endpoint): nothing to weigh.
    expect(blockEvidence(window('rate_limit'), fact(), NOW)).toBeNull();
    // A window whose reset has passed is cleared: it neither confirms nor counts.
    expect(blockEvidence(window('rate_limit'), usage({ name: '5h', utilization: 1, resetsAt: NOW - MIN, periodMs: null }, w('7d', 0.1)), NOW)?.verdict).toBe('works');
  });

  it('auth windows: a key accepted contradicts, a rejection confirms', () => {
    expect(blockEvidence(window('auth_permanent'), fact(), NOW)).toMatchObject({ verdict: 'works', says: 'the provider accepts it (200)' });
    expect(blockEvidence(window('auth'), fact({ verdict: 'rejected', httpStatus: 401, message: 'invalid x-api-key' }), NOW)).toMatchObject({ verdict: 'confirmed', says: 'the provider rejects the credential (401): invalid x-api-key' });
  });

  it('stale or weak evidence never flips a verdict: older than the window, undated window, inconclusive or wrong-kind last answer, reasons no answer bears on', () => {
    expect(blockEvidence(window('billing'), usage(w('5h', 0.03)), NOW)).not.toBeNull();
    expect(blockEvidence(window('billing', null, NOW - MIN), usage(w('5h', 0.03)), NOW)).toBeNull();
    expect(blockEvidence(window('billing', null, null), usage(w('5h', 0.03)), NOW)).toBeNull();
    expect(blockEvidence(window('billing'), fact({ verdict: 'inconclusive', windows: [w('5h', 0.03)] }), NOW)).toBeNull();
    expect(blockEvidence(window('billing'), fact({ verdict: 'wrong-kind' }), NOW)).toBeNull();
    expect(blockEvidence(window('billing'), undefined, NOW)).toBeNull();
    for (const reason of ['overloaded', 'timeout', 'model_not_found', 'format', 'unknown', null]) expect(blockEvidence(window(reason), usage(w('5h', 0.03)), NOW), String(reason)).toBeNull();
  });

  it("model-scoped windows: only that model's bucket (and the whole account's windows) count", () => {
    const spark = w('GPT-5.3-Codex-Spark primary', 0.05, 'GPT-5.3-Codex-Sparkless');
    const sparkFull = w('GPT-5.3-Codex-Spark primary', 1, 'GPT-5.3-Codex-Spark');
    const sparkFree = w('GPT-5.3-Codex-Spark primary', 0.05, 'GPT-5.3-Codex-Spark');
    const scoped = window('subscription_limit', 'gpt-5.3-codex-spark');
    // No bucket of that model: the account's 3 % says nothing of the model's own limit.
    expect(blockEvidence(scoped, usage(w('primary', 0.03), spark), NOW)).toBeNull();
    expect(blockEvidence(scoped, usage(w('primary', 0.03), sparkFull), NOW)?.verdict).toBe('confirmed');
    expect(blockEvidence(scoped, usage(w('primary', 0.03), sparkFree), NOW)).toMatchObject({ verdict: 'works', says: 'usage now 5 % (GPT-5.3-Codex-Spark primary window)' });
    expect(blockEvidence({ ...scoped, model: 'openai/gpt-5.3-codex-spark' }, usage(w('primary', 0.03), sparkFree), NOW)?.verdict).toBe('works');
    // The account's own window at 100 % holds every model.
    expect(blockEvidence(scoped, usage(w('primary', 1), sparkFree), NOW)?.verdict).toBe('confirmed');
    // Another model's full bucket does not confirm this model's block…
    expect(blockEvidence(window('rate_limit', 'gpt-5.5'), usage(w('primary', 0.03), sparkFull, w('GPT-5.5 primary', 0.1, 'GPT-5.5')), NOW)?.verdict).toBe('works');
    // …but a window of the whole credential weighs every bucket (OpenClaw's probe blocks on any).
    expect(blockEvidence(window('subscription_limit'), usage(w('primary', 0.03), sparkFull), NOW)?.verdict).toBe('confirmed');
  });

  it("a model's own bucket at 100 % never makes the credential out of quota", () => {
    const policy = policyFromConfig(defaultConfig() as Config);
    const e = evaluate(makeProfile({ id: 'openai:me', provider: 'openai', source: 'openclaw-db', type: 'api_key' }), NOW, policy);
    expect(withLive(e, usage(w('primary', 0.1), w('GPT-5.3-Codex-Spark primary', 1, 'GPT-5.3-Codex-Spark')), NOW, { warnRatio: 0.9 }).status).toBe('ok');
    expect(withLive(e, usage(w('primary', 1)), NOW, { warnRatio: 0.9 }).status).toBe('expiring');
  });
});

describe('routes with live evidence: words, fix, alert row; the exit code stays the route\'s', () => {
  const path = '/h/.openclaw/state/openclaw.sqlite';
  const policy = policyFromConfig(defaultConfig() as Config);
  const profile = (id: string) => makeProfile({ id, provider: 'anthropic', source: 'openclaw-db', type: 'oauth', refreshable: true, secret: 'present', expiresAt: NOW + 6 * HOUR, path });
  /** `usage` as the store's usageStats: each profile gets its own entry, as the store readers give it. */
  function reportOf(live: Record<string, LiveFact>, usage: Record<string, UsageFacts>, ids = ['anthropic:work']) {
    const evaluations = ids.map((id) => {
      const e = evaluate({ ...profile(id), usage: usage[id] ?? null }, NOW, policy);
      return live[id] ? withLive(e, live[id], NOW, { warnRatio: 0.9 }) : e;
    });
    const visits = [{ name: 'openclaw-db', path, found: true, ok: true, error: null, authStore: { order: {}, inlineKeys: {} } }];
    const routes = buildRoutes({ mode: 'authwatch', uses: [{ provider: 'anthropic', model: 'anthropic/claude-opus-4-6', role: 'model' }], evaluations, visits, auth: { order: {}, profiles: {} }, configKeys: new Set(), agent: null, changes: new Map(), now: NOW });
    return buildReport(evaluations, visits, [], NOW, { routes });
  }
  const billing = { 'anthropic:work': { disabledUntil: NOW + 4 * HOUR, disabledReason: 'billing', lastFailureAt: SET } };

  it('the only profile, disabled for billing, with usage at 3 %: still unavailable (exit 1), says it works, the fix waits, one skipped:<profile> warning', () => {
    const report = reportOf({ 'anthropic:work': usage(w('5h', 0.03)) }, billing);
    const route = report.routes[0]!;
    expect(route).toMatchObject({ verdict: 'unavailable', status: 'missing', serving: null });
    expect(report.exitCode).toBe(1);
    expect(describeRoute(route)).toMatch(/anthropic:work works, but the gateway skips it until .*: billing disabled set .*; live check .*: usage now 3 % \(5h window\)/);
    expect(routeFix(route)).toMatch(/^wait: OpenClaw tries anthropic:work again after .* \(a gateway restart does not clear the stored window\); to serve meanwhile, add another anthropic credential$/);
    const skipped = report.alertRows.filter((row) => row.profile.id.startsWith('skipped:'));
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ status: 'expiring', profile: { id: 'skipped:anthropic:work', provider: 'anthropic' } });
  });

  it('on fallback: the fix orders the usable credential first (openclaw models auth order set), the exit code stays the fallback\'s', () => {
    const report = reportOf({ 'anthropic:work': usage(w('5h', 0.03)) }, billing, ['anthropic:work', 'anthropic:spare']);
    const route = report.routes[0]!;
    expect(route).toMatchObject({ verdict: 'on-fallback', serving: { id: 'anthropic:spare' }, status: 'expiring' });
    expect(report.exitCode).toBe(2);
    expect(routeFix(route)).toMatch(/; or put the credentials it can use first: `openclaw models auth order set --provider anthropic anthropic:spare anthropic:work`$/);
  });

  it('a working credential waiting behind the one that serves (as configured) is no news: the words, but no notice and no metric', () => {
    const report = reportOf({ 'anthropic:spare': usage(w('5h', 0.03)) }, { 'anthropic:spare': { disabledUntil: NOW + 4 * HOUR, disabledReason: 'billing', lastFailureAt: SET } }, ['anthropic:work', 'anthropic:spare']);
    const route = report.routes[0]!;
    expect(route).toMatchObject({ verdict: 'serving', serving: { id: 'anthropic:work' } });
    expect(route.windows[0]!.evidence?.verdict).toBe('works');
    expect(report.alertRows.some((row) => row.profile.id.startsWith('skipped:'))).toBe(false);
    expect(metricsText(report)).toMatch(/^authwatch_credential_unusable_works\{profile="anthropic:spare",[^}]*\} 0$/m);
    expect(metricsText(reportOf({ 'anthropic:work': usage(w('5h', 0.03)) }, billing))).toMatch(/^authwatch_credential_unusable_works\{profile="anthropic:work",[^}]*\} 1$/m);
  });

  it('evidence that agrees: block confirmed, no skipped row; no evidence: no words, no row', () => {
    const confirmed = reportOf({ 'anthropic:work': usage(w('5h', 1)) }, billing);
    expect(describeRoute(confirmed.routes[0]!)).toMatch(/disabled: billing until .*; block confirmed by the live check .*: usage 100 % \(5h window\) until /);
    expect(confirmed.alertRows.some((row) => row.profile.id.startsWith('skipped:'))).toBe(false);
    const none = reportOf({}, billing);
    expect(describeRoute(none.routes[0]!)).not.toMatch(/works|confirmed/);
    expect(none.alertRows.some((row) => row.profile.id.startsWith('skipped:'))).toBe(false);
    // A short window (a rate-limit pause) gets the words but no notice.
    const short = reportOf({ 'anthropic:work': usage(w('5h', 0.03)) }, { 'anthropic:work': { cooldownUntil: NOW + 5 * MIN, cooldownReason: 'rate_limit', lastFailureAt: NOW - 6 * MIN } });
    expect(describeRoute(short.routes[0]!)).toMatch(/works, but the gateway skips it/);
    expect(short.alertRows.some((row) => row.profile.id.startsWith('skipped:'))).toBe(false);
  });
});
