import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gatewayEventReader } from '../src/sources/gateway-events.js';
import type { GatewayEventFrame } from '../src/sources/gateway-client.js';
import { GatewayIncidents, type EventGateway } from '../src/daemon/gateway-incidents.js';
import { decideAlerts, emptyState } from '../src/alerts/decide.js';
import { defaultAlerting } from '../src/config/defaults.js';

// The frames below have the shapes OpenClaw 2026.9.6 sends a read-scoped client:
// - `chat` error: server-chat `emitChatTerminal` (runId, sessionKey, agentId, seq, state,
//   errorMessage, errorKind, errorDetail from sessions `projectChatErrorDetail`); the e2e test in
//   gateway.e2e.test.ts gets a real one from a real gateway whose provider refuses the credential.
// - `agent` lifecycle `fallback`: agent-runner `emitAgentEvent` with the data of gateway-protocol
//   `WorkerLiveLifecycleFallbackPayloadSchema` (attempts: WorkerLiveFallbackAttemptSchema).
//   A real fallback needs a provider that answers a run successfully, which cannot be had offline here.

/** One frame through a fresh reader (a connection of its own). */
const incidentsOf = (frame: GatewayEventFrame) => gatewayEventReader()(frame);

/** Every frame of a recording through one reader, as one connection gets them. */
const replay = (file: string) => {
  const read = gatewayEventReader();
  return readFileSync(new URL(`fixtures/gateway-events/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => read(JSON.parse(line) as GatewayEventFrame));
};

const chatError = (errorDetail: unknown, extra: Record<string, unknown> = {}) => ({
  event: 'chat',
  payload: {
    runId: 'b1f1d8d5-0000-4000-8000-000000000001',
    sessionKey: 'agent:main:main',
    agentId: 'main',
    seq: 7,
    state: 'error',
    errorMessage: '⚠️ anthropic/claude-opus-4-6 request failed (authentication failed, HTTP 401). Re-authenticate the provider and try again.',
    errorKind: 'provider',
    errorDetail,
    ...extra,
  },
});

const fallback = (attempts: unknown[]) => ({
  event: 'agent',
  payload: {
    runId: 'b1f1d8d5-0000-4000-8000-000000000002',
    sessionKey: 'agent:ops:telegram:direct:42',
    stream: 'lifecycle',
    seq: 3,
    ts: 1796646847000,
    data: {
      phase: 'fallback',
      selectedProvider: 'anthropic',
      selectedModel: 'claude-opus-4-6',
      activeProvider: 'openai',
      activeModel: 'gpt-5',
      reasonSummary: 'anthropic/claude-opus-4-6: billing',
      attemptSummaries: ['anthropic/claude-opus-4-6 (billing): Your credit balance is too low; key sk-ant-api03-SECRETSECRET'],
      attempts,
    },
  },
});

describe('the live events a read-scoped client gets', () => {
  // Recorded from a real OpenClaw 2026.9.6 gateway (`openclaw agent --agent main --message hi`),
  // every `chat` and `agent` frame a read-scoped client got. Its providers were local fakes that
  // answered as Anthropic documents (docs.anthropic.com/en/api/errors, /en/api/messages-streaming):
  // `anthropic` HTTP 402 `billing_error`, the fallback `fakeco/fake-model` a streamed reply.
  it('a real run that fell back after a billing failure: one fallback incident, with what served', () => {
    expect(replay('fallback-billing.jsonl')).toEqual([{ kind: 'fallback', provider: 'anthropic', model: 'claude-opus-4-6', reason: 'billing', httpStatus: 402, agent: 'main', servedBy: 'fakeco/fake-model' }]);
  });

  it('a real run whose every model failed (anthropic skipped in its cooldown, then the fallback refused for billing): the chat error\'s last attempt, once', () => {
    expect(replay('all-failed-billing.jsonl')).toEqual([{ kind: 'failed', provider: 'fakeco', model: 'fake-model', reason: 'billing', httpStatus: 402, agent: 'main', servedBy: null }]);
  });

  it('a failed run with errorDetail is one incident: provider, model, reason, HTTP status and agent, nothing of the message', () => {
    const frame = chatError({ provider: 'anthropic', model: 'claude-opus-4-6', failoverReason: 'auth', httpStatus: 401, providerErrorType: 'authentication_error', providerErrorMessagePreview: 'invalid x-api-key sk-ant-oat01-SECRET' });
    const incidents = incidentsOf(frame);
    expect(incidents).toEqual([{ kind: 'failed', provider: 'anthropic', model: 'claude-opus-4-6', reason: 'auth', httpStatus: 401, agent: 'main', servedBy: null }]);
    expect(JSON.stringify(incidents)).not.toMatch(/SECRET|x-api-key|Re-authenticate/);
  });

  it('billing and rate limits count; reasons that are not about a credential, successes and other events do not', () => {
    expect(incidentsOf(chatError({ provider: 'openai', failoverReason: 'billing', httpStatus: 402 }))[0]).toMatchObject({ provider: 'openai', model: null, reason: 'billing', httpStatus: 402 });
    expect(incidentsOf(chatError({ provider: 'anthropic', failoverReason: 'rate_limit', httpStatus: 429 }))[0]).toMatchObject({ reason: 'rate_limit' });
    for (const reason of ['timeout', 'overloaded', 'server_error', 'format', 'unknown']) expect(incidentsOf(chatError({ provider: 'anthropic', failoverReason: reason }))).toEqual([]);
    expect(incidentsOf(chatError(undefined))).toEqual([]);
    expect(incidentsOf({ event: 'chat', payload: { runId: 'x', sessionKey: 'agent:main:main', seq: 9, state: 'final' } })).toEqual([]);
    expect(incidentsOf({ event: 'health', payload: { ok: true } })).toEqual([]);
    expect(incidentsOf({ event: 'tick' })).toEqual([]);
  });

  it('the agent comes from the session key when the event has no agentId', () => {
    expect(incidentsOf(chatError({ provider: 'anthropic', failoverReason: 'auth' }, { agentId: undefined, sessionKey: 'agent:ops:main' }))[0]!.agent).toBe('ops');
    expect(incidentsOf(chatError({ provider: 'anthropic', failoverReason: 'auth' }, { agentId: undefined, sessionKey: 'global' }))[0]!.agent).toBeNull();
  });

  it('a fallback names each provider that failed for a credential reason once, and what served instead', () => {
    const incidents = incidentsOf(
      fallback([
        { provider: 'anthropic', model: 'claude-opus-4-6', error: 'Your credit balance is too low', reason: 'billing', status: 402 },
        { provider: 'anthropic', model: 'claude-sonnet-4-5', error: 'Your credit balance is too low', reason: 'billing', status: 402 },
        { provider: 'google', model: 'gemini-2.5-pro', error: 'deadline exceeded', reason: 'timeout' },
      ]),
    );
    expect(incidents).toEqual([{ kind: 'fallback', provider: 'anthropic', model: 'claude-opus-4-6', reason: 'billing', httpStatus: 402, agent: 'ops', servedBy: 'openai/gpt-5' }]);
    expect(JSON.stringify(incidents)).not.toMatch(/SECRET|credit balance/);
  });

  it('hostile frames: free text where an id belongs, huge values, wrong types — no incident, or the field dropped, never thrown', () => {
    const hostile = [
      chatError({ provider: 'anthropic\nFAKE LOG LINE', failoverReason: 'auth' }),
      chatError({ provider: 'x'.repeat(500), failoverReason: 'auth' }),
      chatError({ provider: 42, failoverReason: 'auth' }),
      chatError({ provider: 'anthropic', failoverReason: 'AUTH' }),
      { event: 'chat', payload: 'not an object' },
      { event: 'chat', payload: null },
      fallback(['nope', null, { provider: 'a b', reason: 'auth' }]),
    ];
    for (const frame of hostile) expect(incidentsOf(frame)).toEqual([]);
    expect(incidentsOf(chatError({ provider: 'anthropic', model: 'has space', failoverReason: 'auth', httpStatus: 99999 }))[0]).toMatchObject({ model: null, httpStatus: null });
  });
});

describe('incidents as alert rows', () => {
  const alpha: EventGateway = { name: 'alpha', label: 'alpha', url: 'ws://gw-a.example:18789', prefixAgents: true };
  const failed = incidentsOf(chatError({ provider: 'anthropic', model: 'claude-opus-4-6', failoverReason: 'auth', httpStatus: 401 }))[0]!;
  const t0 = Date.UTC(2026, 11, 7, 12);

  it('news once per kind; repeats are counted on the same row, which goes an hour after the last one', () => {
    const incidents = new GatewayIncidents();
    expect(incidents.record(alpha, failed, t0)).toBe(true);
    expect(incidents.record(alpha, failed, t0 + 60_000)).toBe(false);
    const [row] = incidents.rows(t0 + 60_000);
    expect(row).toMatchObject({ status: 'expired', profile: { id: 'event:anthropic:auth', agent: 'alpha/main', gateway: 'alpha', source: 'gateway', path: 'ws://gw-a.example:18789 (live event)' } });
    expect(row!.detail).toMatch(/^the gateway alpha reported: a run on anthropic\/claude-opus-4-6 failed \(authentication refused, HTTP 401\) 2 times since /);
    expect(incidents.rows(t0 + 60_000 + 3_600_000)).toHaveLength(1);
    expect(incidents.rows(t0 + 60_000 + 3_600_001)).toEqual([]);
    expect(incidents.record(alpha, failed, t0 + 2 * 3_600_000)).toBe(true);
  });

  it('a rate limit and a fallback are warnings; through the alert decision: told once, then resolved when the row goes', () => {
    const incidents = new GatewayIncidents();
    incidents.record(alpha, { ...failed, reason: 'rate_limit' }, t0);
    incidents.record(alpha, { ...failed, kind: 'fallback', reason: 'billing', servedBy: 'openai/gpt-5' }, t0);
    const rows = incidents.rows(t0);
    expect(rows.map((r) => [r.profile.id, r.status])).toEqual([
      ['event:anthropic:rate_limit', 'expiring'],
      ['event:anthropic:billing:fallback', 'expiring'],
    ]);
    const alerting = { ...defaultAlerting, sendResolved: true };
    const channels = [{ name: 'hook', resendsFiring: false }];
    const first = decideAlerts(emptyState(), rows, t0, channels, alerting);
    expect(first.plans.get('hook')!.notices.map((n) => [n.kind, n.gateway, n.agent])).toEqual([
      ['new', 'alpha', 'alpha/main'],
      ['new', 'alpha', 'alpha/main'],
    ]);
    const told = { ...first.next, channels: { hook: { told: Object.fromEntries(first.plans.get('hook')!.notices.map((n) => [n.key, { status: n.status, at: t0, fingerprint: null }])), failures: 0, retryAt: null, lastError: null } } };
    expect(decideAlerts(told, incidents.rows(t0 + 60_000), t0 + 60_000, channels, alerting).plans.get('hook')!.notices).toEqual([]);
    const later = t0 + 3_600_001;
    expect(decideAlerts(told, incidents.rows(later), later, channels, alerting).plans.get('hook')!.notices.map((n) => n.kind)).toEqual(['resolved', 'resolved']);
  });
});
