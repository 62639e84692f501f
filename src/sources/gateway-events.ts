import * as z from '../core/zod.js';
import type { GatewayEventFrame } from './gateway-client.js';

// What a running gateway's live events say about its credentials (OpenClaw 2026.9.6, read by a
// client with `operator.read` only; docs/gateway/protocol/rpc-bootstrap-and-events.md):
// - `chat`, `state: "error"`: a run that failed, with `errorDetail { provider, model,
//   failoverReason, httpStatus, … }` from the failed attempt's sanitized provider observation
//   (server-chat `emitChatTerminal`, sessions `projectChatErrorDetail`);
// - `agent`, `stream: "lifecycle"`, `data.phase: "fallback"`: a run served by a fallback model,
//   with the failed `attempts[] { provider, model, reason, status }` (agent-runner
//   `emitAgentEvent`; gateway-protocol `WorkerLiveLifecycleFallbackPayloadSchema`).
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

/** The agent of a session key (`agent:<id>:<rest>`, OpenClaw's canonical form). */
function agentOfSession(key: string | null | undefined): string | null {
  const id = /^agent:([^:]+):/.exec(key ?? '')?.[1];
  return id !== undefined && identifier.safeParse(id).success ? id : null;
}

/** The credential trouble one event reports; none for every other event (most of them). */
export function incidentsOf(frame: GatewayEventFrame): GatewayIncident[] {
  if (frame.event === 'chat') {
    const read = chatError.safeParse(frame.payload);
    if (!read.success) return [];
    const { errorDetail: d } = read.data;
    return [{ kind: 'failed', provider: d.provider, model: d.model ?? null, reason: d.failoverReason, httpStatus: d.httpStatus ?? null, agent: read.data.agentId ?? agentOfSession(read.data.sessionKey), servedBy: null }];
  }
  if (frame.event === 'agent') {
    const read = agentFallback.safeParse(frame.payload);
    if (!read.success) return [];
    const { data } = read.data;
    const servedBy = data.activeProvider ? `${data.activeProvider}${data.activeModel ? `/${data.activeModel}` : ''}` : null;
    const seen = new Set<string>();
    const incidents: GatewayIncident[] = [];
    for (const raw of data.attempts) {
      const a = attempt.safeParse(raw);
      if (!a.success || !a.data.reason || seen.has(`${a.data.provider}\n${a.data.reason}`)) continue;
      seen.add(`${a.data.provider}\n${a.data.reason}`);
      incidents.push({ kind: 'fallback', provider: a.data.provider, model: a.data.model ?? null, reason: a.data.reason, httpStatus: a.data.status ?? null, agent: agentOfSession(read.data.sessionKey), servedBy });
    }
    return incidents;
  }
  return [];
}
