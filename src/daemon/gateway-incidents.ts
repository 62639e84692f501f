import { formatLocalTime } from '../core/duration.js';
import { urlForMessages } from '../core/scrub.js';
import type { Evaluation } from '../evaluate/evaluate.js';
import { remediation } from '../evaluate/remediation.js';
import type { Status } from '../evaluate/status.js';
import type { GatewayIncident } from '../sources/gateway-events.js';
import { makeProfile } from '../sources/source.js';
import { sourceNames } from '../sources/source-names.js';

// The credential trouble the gateways' live events reported, held as alert rows: a notice goes
// out through the alert path like any other row (grouped in one message per channel,
// remembered in the alert state, told once), and the row goes away an hour after the last
// event of its kind, which resolves it.

/** How long a reported failure stays a row after its last event. */
const incidentHoldMs = 60 * 60_000;

/** The gateway an event came from, as its rows name it. */
export interface EventGateway {
  name: string;
  label: string | null;
  url: string;
  /** Several gateways: agent ids carry the gateway's name, as the check's rows do. */
  prefixAgents: boolean;
}

interface Held {
  gateway: EventGateway;
  incident: GatewayIncident;
  agent: string | null;
  first: number;
  last: number;
  count: number;
}

/** A failed login or a refused key fails like an expiry; a rate limit and a fallback are warnings (like a route on fallback). */
function statusOf(incident: GatewayIncident): Status {
  return incident.kind === 'failed' && incident.reason !== 'rate_limit' ? 'expired' : 'expiring';
}

const reasonWords: Record<GatewayIncident['reason'], string> = {
  auth: 'authentication refused',
  auth_permanent: 'authentication refused for good',
  billing: 'billing: no credit',
  rate_limit: 'rate limited',
};

function fixOf(held: Held): string {
  const { provider, reason } = held.incident;
  if (reason === 'rate_limit') return `nothing to renew if the limit resets by itself; \`authwatch check\` shows ${provider}'s windows and cooldowns`;
  if (reason === 'billing') return `add credit to the ${provider} account, or put another ${provider} credential first in the gateway's order`;
  return remediation(provider, `${provider}:default`, null);
}

function rowOf(held: Held): Evaluation {
  const { incident, gateway } = held;
  const http = incident.httpStatus !== null ? `, HTTP ${incident.httpStatus}` : '';
  const prefix = `${incident.provider}/`;
  const model = incident.model ? ` ${prefix}${incident.model.startsWith(prefix) ? incident.model.slice(prefix.length) : incident.model}` : ` ${incident.provider}`;
  const what = incident.kind === 'failed' ? `a run on${model} failed` : `a run fell back from${model}${incident.servedBy ? ` to ${incident.servedBy}` : ''}`;
  const times = held.count > 1 ? `${held.count} times since ${formatLocalTime(held.first)}, the last ${formatLocalTime(held.last)}` : `at ${formatLocalTime(held.last)}`;
  return {
    profile: makeProfile({
      id: `event:${incident.provider}:${incident.reason}${incident.kind === 'fallback' ? ':fallback' : ''}`,
      provider: incident.provider,
      source: sourceNames.gateway,
      type: null,
      secret: 'absent',
      agent: held.agent,
      path: `${urlForMessages(gateway.url)} (live event)`,
      ...(gateway.label ? { gateway: gateway.label } : {}),
    }),
    status: statusOf(incident),
    expiresAt: null,
    remainingMs: null,
    detail: `the gateway ${gateway.name} reported: ${what} (${reasonWords[incident.reason]}${http}) ${times}; fix: ${fixOf(held)}`,
    unused: false,
  };
}

/** The incidents of the last hour, one per gateway, agent, provider, reason and kind. */
export class GatewayIncidents {
  private held = new Map<string, Held>();

  /** Records one; `true` when it is news (no row of its kind was held), so a notice is due now. */
  record(gateway: EventGateway, incident: GatewayIncident, now: number): boolean {
    this.expire(now);
    const agent = incident.agent === null ? null : gateway.prefixAgents ? `${gateway.name}/${incident.agent}` : incident.agent;
    const key = [gateway.url, agent ?? '', incident.provider, incident.reason, incident.kind].join('\n');
    const before = this.held.get(key);
    this.held.set(key, before ? { ...before, incident, last: now, count: before.count + 1 } : { gateway, incident, agent, first: now, last: now, count: 1 });
    return before === undefined;
  }

  /** The alert rows of what is still held at `now`. */
  rows(now: number): Evaluation[] {
    this.expire(now);
    return [...this.held.values()].map(rowOf);
  }

  private expire(now: number): void {
    for (const [key, held] of this.held) if (now - held.last > incidentHoldMs) this.held.delete(key);
  }
}
