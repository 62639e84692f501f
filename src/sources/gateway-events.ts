import * as z from '../core/zod.js';
import type { GatewayEventFrame } from './gateway-client.js';

// What a running gateway's live events say about its credentials (OpenClaw 2026.9.6, read by a
// client with `operator.read` only; docs/gateway/protocol/rpc-bootstrap-and-events.md). Seen
// from a real gateway whose providers were local fakes answering as Anthropic documents:
// - `chat`, `state: "error"`: a run that failed, with `errorDetail { provider, model,
//   failoverReason, httpStatus, … }` from the failed attempt's sanitized provider observation
//   (server-chat `emitChatTerminal`, sessions `projectChatErrorDetail`);
// - `agent`, `stream: "lifecycle"`: each failed attempt ends with `data.phase: "finishing"` and
//   `data.errorObservation` (the same fields); a run that then succeeds on a fallback model ends
//   with `data.phase: "end"` and `data.terminalReceipt { requested, effective, rerouted: true }`,
//   one that fails with `data.phase: "error"` and a `chat` error for its last attempt;
// - `agent` lifecycle `data.phase: "fallback"` (agent-runner `emitAgentEvent`, for runs started
//   by a channel message): the failed `attempts[] { provider, model, reason, status }` and the
//   model that served (gateway-protocol `WorkerLiveLifecycleFallbackPayloadSchema`).
// Only the provider, model, reason, HTTP status and agent are kept: never a message, a preview
// or anything else a run carries.

/** The failover reasons (gateway-protocol `FAILOVER_REASONS`) that are about a credential: a login, credit, a quota. */
const credentialReasons = ['auth', 'auth_permanent', 'billing', 'rate_limit'] as const;
export type CredentialReason = (typeof credentialReasons)[number];

export interface GatewayIncident {
  /** `failed`: the run failed on it; `fallback`: a later model served instead. */
  kind: 'failed' | 'fallback';
  provider: string;
  model: string | null;
  reason: CredentialReason;
  httpStatus: number | null;
  /** The OpenClaw agent whose run it was, when the event says. */
  agent: string | null;
  /** For a fallback: the `provider/model` that served. */
  servedBy: string | null;
}

/** A provider, model or agent id: a short identifier, never free text. */
const identifier = z.string().check(z.regex(/^[A-Za-z0-9][\w.:@/+-]{0,127}$/));
const optionalIdentifier = z.catch(z.nullish(identifier), null);
const reason = z.enum(credentialReasons);
const httpStatus = z.catch(z.nullish(z.int().check(z.gte(100), z.lte(599))), null);

const chatError = z.looseObject({
  state: z.literal('error'),
  agentId: optionalIdentifier,
  sessionKey: z.catch(z.nullish(z.string()), null),
  errorDetail: z.looseObject({ provider: identifier, model: optionalIdentifier, failoverReason: reason, httpStatus }),
});

const attempt = z.looseObject({ provider: identifier, model: optionalIdentifier, reason: z.catch(z.nullish(reason), null), status: httpStatus });

const agentFallback = z.looseObject({
  stream: z.literal('lifecycle'),
  sessionKey: z.catch(z.nullish(z.string()), null),
  data: z.looseObject({
    phase: z.literal('fallback'),
    activeProvider: optionalIdentifier,
    activeModel: optionalIdentifier,
    attempts: z.catch(z.array(z.unknown()), []),
  }),
});

const lifecycle = z.looseObject({
  runId: z.string().check(z.minLength(1), z.maxLength(200)),
  stream: z.literal('lifecycle'),
  agentId: optionalIdentifier,
  sessionKey: z.catch(z.nullish(z.string()), null),
  data: z.looseObject({ phase: z.string() }),
});

const failedAttempt = z.looseObject({ errorObservation: z.looseObject({ provider: identifier, model: optionalIdentifier, failoverReason: reason, httpStatus }) });
const rerouted = z.looseObject({
  terminalReceipt: z.looseObject({ rerouted: z.literal(true), effective: z.catch(z.nullish(z.looseObject({ provider: optionalIdentifier, model: optionalIdentifier })), null) }),
});

/** The agent of a session key (`agent:<id>:<rest>`, OpenClaw's canonical form). */
function agentOfSession(key: string | null | undefined): string | null {
  const id = /^agent:([^:]+):/.exec(key ?? '')?.[1];
  return id !== undefined && identifier.safeParse(id).success ? id : null;
}

const servedByOf = (provider: string | null | undefined, model: string | null | undefined) => (provider ? `${provider}${model ? `/${model}` : ''}` : null);

/** Runs whose attempt failed on a credential and that have not ended yet: a busy gateway's are few; more are dropped oldest first. */
const maxOpenRuns = 1000;

/**
 * A reader for one connection's events: the credential trouble each event reports, none for
 * every other event (most of them). It remembers a run's failed attempt until the run ends, to
 * tell a fallback (the run ends rerouted) from a failure (the `chat` error says it).
 */
export function gatewayEventReader(): (frame: GatewayEventFrame) => GatewayIncident[] {
  const failedRuns = new Map<string, Omit<GatewayIncident, 'kind' | 'servedBy'>>();
  return (frame) => {
    if (frame.event === 'chat') {
      const read = chatError.safeParse(frame.payload);
      if (!read.success) return [];
      const { errorDetail: d } = read.data;
      return [{ kind: 'failed', provider: d.provider, model: d.model ?? null, reason: d.failoverReason, httpStatus: d.httpStatus ?? null, agent: read.data.agentId ?? agentOfSession(read.data.sessionKey), servedBy: null }];
    }
    if (frame.event !== 'agent') return [];
    const fallback = agentFallback.safeParse(frame.payload);
    if (fallback.success) return fallbackIncidents(fallback.data);
    const read = lifecycle.safeParse(frame.payload);
    if (!read.success) return [];
    const { runId, data } = read.data;
    const agent = read.data.agentId ?? agentOfSession(read.data.sessionKey);
    if (data.phase === 'finishing') {
      const attempt = failedAttempt.safeParse(data);
      if (!attempt.success) return [];
      const o = attempt.data.errorObservation;
      failedRuns.delete(runId);
      failedRuns.set(runId, { provider: o.provider, model: o.model ?? null, reason: o.failoverReason, httpStatus: o.httpStatus ?? null, agent });
      if (failedRuns.size > maxOpenRuns) failedRuns.delete(failedRuns.keys().next().value!);
      return [];
    }
    if (data.phase !== 'end' && data.phase !== 'error') return [];
    // A run that ends in error is told by its `chat` error event (its last attempt's errorDetail).
    const failed = failedRuns.get(runId);
    failedRuns.delete(runId);
    if (data.phase === 'error') return [];
    const end = rerouted.safeParse(data);
    if (!failed || !end.success) return [];
    const effective = end.data.terminalReceipt.effective;
    return [{ ...failed, kind: 'fallback', servedBy: servedByOf(effective?.provider, effective?.model) }];
  };
}

/** A channel run's `fallback` lifecycle event: each provider that failed for a credential reason, once. */
function fallbackIncidents(payload: z.output<typeof agentFallback>): GatewayIncident[] {
  const { data } = payload;
  const servedBy = servedByOf(data.activeProvider, data.activeModel);
  const seen = new Set<string>();
  const incidents: GatewayIncident[] = [];
  for (const raw of data.attempts) {
    const a = attempt.safeParse(raw);
    if (!a.success || !a.data.reason || seen.has(`${a.data.provider}\n${a.data.reason}`)) continue;
    seen.add(`${a.data.provider}\n${a.data.reason}`);
    incidents.push({ kind: 'fallback', provider: a.data.provider, model: a.data.model ?? null, reason: a.data.reason, httpStatus: a.data.status ?? null, agent: agentOfSession(payload.sessionKey), servedBy });
  }
  return incidents;
}
