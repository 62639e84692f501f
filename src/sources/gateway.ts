import * as z from '../core/zod.js';
import { describeIssues } from '../core/zod-issues.js';
import { formatLocalTime } from '../core/duration.js';
import { registerSecret, scrub, urlForMessages } from '../core/scrub.js';
import { checkEpochMs } from './epoch.js';
import { openGatewaySession, type GatewayFailure } from './gateway-client.js';
import { deviceFilePath, loadOrCreateDevice } from './gateway-device.js';
import { providerOfModelRef, type ProviderUse, type RequiredProvider } from './openclaw-config.js';
import { failedVisit, foundVisit, problemProfile, type Profile, type SourceVisit } from './source.js';
import { sourceNames } from './source-names.js';
import { reportedProfile } from './openclaw-reported.js';

// The gateway source: what a running OpenClaw gateway itself says about its model credentials,
// read through its supported interface (OpenClaw's docs/gateway/embedding.md: "Use RPC instead of state
// files"). `agents.list` names the agents and their models, `models.authStatus` (per agent) the
// credentials with OpenClaw's own status and expiry, `usage.status` the providers' usage windows.

export interface GatewayTarget {
  /** Its name in messages and agent prefixes: the fleet config's name, else the host and port. */
  name: string;
  /**
   * The `gateway` label of its rows, metrics and alerts: the name given in the config's
   * `gateways`; `null` for a gateway found otherwise, whose series stay as they always were.
   */
  label: string | null;
  url: string;
  token?: string | undefined;
  password?: string | undefined;
  /** Named by the user (flag, variable, config): failing is an error. Found on its own: a note. */
  explicit: boolean;
  /** Where it came from, for messages (`--gateway`, `OPENCLAW_GATEWAY_URL`, `openclaw.json gateway.port`). */
  origin: string;
}

export interface GatewayReadOptions {
  stateDir: string;
  deadlineMs: number;
  /** Several gateways at once: agent ids carry the gateway's name (`name/main`) so their routes stay apart. */
  prefixAgents: boolean;
  /** `--agent`: this agent only. */
  agent: string | null;
}

export type GatewayRead =
  | { ok: true; target: GatewayTarget; profiles: Profile[]; visits: SourceVisit[]; uses: Map<string, ProviderUse[]>; required: RequiredProvider[] }
  | { ok: false; target: GatewayTarget; profiles: Profile[]; visits: SourceVisit[]; failure: GatewayFailure['kind']; requestId?: string | undefined };

const expiry = z.nullish(z.looseObject({ at: z.unknown() }));
/** A name the gateway sends, shown in tables and used as a label: printable, bounded. */
const shownName = (max: number) => z.string().check(z.minLength(1), z.maxLength(max), z.regex(/^[^\u0000-\u001f\u007f]+$/, 'expected printable text'));

const authProfile = z.looseObject({
  profileId: shownName(300),
  type: z.catch(z.enum(['api_key', 'token', 'oauth']), 'token'),
  status: z.string(),
  reasonCode: z.nullish(z.string()),
  expiry,
});

const usageWindow = z.looseObject({ label: z.string(), usedPercent: z.nullish(z.number()), resetAt: z.nullish(z.unknown()) });

const authProvider = z.looseObject({
  provider: shownName(100),
  status: z.string(),
  profiles: z._default(z.array(authProfile), []),
  profileOrder: z.nullish(z.array(z.string())),
  usage: z.nullish(z.looseObject({ windows: z._default(z.array(usageWindow), []), plan: z.nullish(z.unknown()) })),
});

/** `models.authStatus` (OpenClaw 2026.9.6, server-methods/models-auth-status). */
const authStatus = z.looseObject({
  providers: z.array(authProvider),
  unavailable: z.nullish(z.looseObject({ code: z.string(), message: z.nullish(z.string()) })),
});

/** `agents.list`: the agents and their models. */
const agentsList = z.looseObject({
  defaultId: z.nullish(z.string()),
  agents: z.array(
    z.looseObject({
      id: shownName(100),
      model: z.nullish(z.looseObject({ primary: z.nullish(z.string()), fallbacks: z.nullish(z.array(z.string())) })),
    }),
  ),
});

const usageStatus = z.looseObject({ providers: z._default(z.array(z.looseObject({ provider: z.string(), windows: z._default(z.array(usageWindow), []) })), []) });

const name = sourceNames.gateway;


function windowNote(window: z.output<typeof usageWindow>): string | null {
  if (typeof window.usedPercent !== 'number' || !Number.isFinite(window.usedPercent)) return null;
  const label = window.label.replace(/[^\w .-]/g, '').slice(0, 20);
  const reset = checkEpochMs(window.resetAt, 'resetAt');
  const at = reset.ok && reset.ms !== null ? ` (resets ${formatLocalTime(reset.ms)})` : '';
  return `usage ${label}: ${Math.round(window.usedPercent)}% used${at}`;
}

function profileRow(p: z.output<typeof authProfile>, provider: string, agent: string, where: string, notes: readonly string[], gateway: string | null): Profile {
  return reportedProfile({
    row: { id: p.profileId, provider, source: name, type: p.type, agent, path: where, ...(gateway ? { gateway } : {}) },
    who: 'the gateway',
    status: p.status,
    reasonCode: p.reasonCode,
    expiresAt: p.expiry?.at,
    field: 'its expiry',
    where,
    notes,
  });
}

/** What the gateway said, as profiles, route facts and uses; `null` and the problem when it is not what the protocol promises. */
function readAnswers(target: GatewayTarget, agents: z.output<typeof agentsList>['agents'], statuses: readonly unknown[], usage: unknown, options: GatewayReadOptions) {
  const shown = urlForMessages(target.url);
  const profiles: Profile[] = [];
  const uses = new Map<string, ProviderUse[]>();
  const required: RequiredProvider[] = [];
  const order: Record<string, Record<string, string[]>> = {};
  const usageRead = usageStatus.safeParse(usage);
  const windowsOf = new Map<string, string[]>();
  if (usageRead.success) {
    for (const provider of usageRead.data.providers) windowsOf.set(provider.provider, provider.windows.map(windowNote).filter((n): n is string => n !== null));
  }
  for (const [index, agent] of agents.entries()) {
    const parsed = authStatus.safeParse(statuses[index]);
    if (!parsed.success) return { problem: `models.authStatus for agent ${agent.id} answered unexpected JSON (${describeIssues(parsed.error).slice(0, 2).join('; ')})` };
    if (parsed.data.unavailable) return { problem: `models.authStatus for agent ${agent.id}: ${scrub(parsed.data.unavailable.message ?? parsed.data.unavailable.code).slice(0, 200)}` };
    const agentId = options.prefixAgents ? `${target.name}/${agent.id}` : agent.id;
    const where = `gateway ${shown} (agent ${agent.id})`;
    const agentOrder: Record<string, string[]> = {};
    for (const provider of parsed.data.providers) {
      const providerId = provider.provider.toLowerCase();
      const notes = [...(provider.usage?.windows.map(windowNote).filter((n): n is string => n !== null) ?? windowsOf.get(provider.provider) ?? [])];
      for (const p of provider.profiles) profiles.push(profileRow(p, provider.provider, agentId, where, notes, target.label));
      if (provider.profileOrder) agentOrder[providerId] = provider.profileOrder;
      if (provider.profiles.length === 0 && provider.status === 'missing') required.push({ provider: providerId, reason: `in use with no credential (the gateway ${shown} says missing)` });
    }
    order[where] = agentOrder;
    const models = [agent.model?.primary, ...(agent.model?.fallbacks ?? [])].filter((m): m is string => typeof m === 'string' && m.length > 0);
    uses.set(
      agentId,
      models.flatMap((model, i) => {
        const provider = providerOfModelRef(model);
        return provider ? [{ provider, model, role: i === 0 ? 'model' : 'fallback', reason: `used by agent ${agent.id}'s ${i === 0 ? 'model' : 'fallback'} ${model} (gateway ${shown})` }] : [];
      }),
    );
  }
  return { profiles, uses, required, order };
}

/**
 * Reads one gateway: connects read-only, asks `agents.list`, `models.authStatus` for each agent,
 * `usage.status` and `health`, and closes. An explicitly named gateway that fails is an
 * `error` row naming its URL; an auto-discovered one that is not there is only a visit.
 */
export async function readGateway(target: GatewayTarget, options: GatewayReadOptions): Promise<GatewayRead> {
  registerSecret(target.token);
  registerSecret(target.password);
  const shown = urlForMessages(target.url);
  const labelled = target.label ? { gateway: target.label } : {};
  const failed = (kind: GatewayFailure['kind'], message: string, requestId?: string): GatewayRead => {
    const error = scrub(message);
    return {
      ok: false,
      target,
      failure: kind,
      requestId,
      visits: [{ ...failedVisit(name, shown, error), found: target.explicit || kind !== 'unreachable', ...labelled }],
      profiles: target.explicit ? [problemProfile({ id: `gateway:${target.name}`, provider: 'unknown', source: name, path: shown, ...labelled }, error)] : [],
    };
  };
  let device;
  try {
    device = await loadOrCreateDevice(deviceFilePath(options.stateDir, target.url), target.url);
  } catch (error) {
    return failed('refused', `cannot keep authwatch's device identity for ${shown} in ${options.stateDir}: ${error instanceof Error ? error.message : 'error'}`);
  }
  const session = await openGatewaySession({ url: target.url, token: target.token, password: target.password, device, deadlineMs: options.deadlineMs });
  if (session.ok || session.kind === 'pairing') device.markPairing(session.ok ? null : { requestId: session.requestId ?? null, since: Date.now() });
  if (!session.ok) return failed(session.kind, session.message, session.requestId);
  try {
    const listed = agentsList.safeParse(await session.request('agents.list'));
    if (!listed.success) return failed('garbage', `the gateway ${shown} answered agents.list with unexpected JSON (${describeIssues(listed.error).slice(0, 2).join('; ')})`);
    const agents = listed.data.agents.filter((agent) => options.agent === null || agent.id === options.agent);
    const [statuses, usage] = await Promise.all([
      Promise.all(agents.map((agent) => session.request('models.authStatus', { agentId: agent.id }))),
      session.request('usage.status').catch(() => null),
      session.request('health').catch(() => null),
    ]);
    const read = readAnswers(target, agents, statuses, usage, options);
    if ('problem' in read) return failed('garbage', `the gateway ${shown}: ${read.problem}`);
    const version = session.server.version ? ` (OpenClaw ${session.server.version})` : '';
    // One visit per agent carries its profile order, keyed like its rows' path (the routes read it there).
    const agentVisits = Object.entries(read.order).map(([where, order]): SourceVisit => ({ ...foundVisit(name, where), authStore: { order, inlineKeys: {} }, ...labelled }));
    return { ok: true, target, profiles: read.profiles, uses: read.uses, required: read.required, visits: [{ ...foundVisit(name, `${shown}${version}`), ...labelled }, ...agentVisits] };
  } catch (error) {
    const said = error instanceof Error ? error.message : 'error';
    return failed(/within|timeout/i.test(said) ? 'timeout' : 'unreachable', `the gateway ${shown} stopped answering: ${scrub(said).slice(0, 200)}`);
  } finally {
    await session.close();
  }
}
