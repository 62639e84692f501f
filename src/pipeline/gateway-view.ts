import { connect } from 'node:net';
import { formatLocalTime } from '../core/duration.js';
import type { Logger } from '../core/log.js';
import type { ProviderUse, RequiredProvider } from '../sources/openclaw-config.js';
import type { GatewayRead, GatewayReadOptions, GatewayTarget } from '../sources/gateway.js';
import type { Profile, SourceVisit } from '../sources/source.js';
import { sourceNames } from '../sources/source-names.js';

// The running gateway's view next to the files' (docs/sources.md "Which view wins"): where a
// gateway answers, its rows are authoritative for what it reports; the files add what it does
// not, and where a file and the running gateway disagree about the same credential, that is
// said on the gateway's row.

export interface GatewayInputs {
  targets: readonly GatewayTarget[];
  options: Omit<GatewayReadOptions, 'prefixAgents'>;
}

export interface GatewayView {
  reads: GatewayRead[];
  visits: SourceVisit[];
  /** Each reported agent's model uses, by agent id as its rows carry it. */
  uses: Map<string, ProviderUse[]>;
  required: RequiredProvider[];
  /** The `gateway` label of each reported agent (by agent id as its rows carry it), for agents of the config's `gateways`. */
  labels: Map<string, string>;
}

const fileSources: ReadonlySet<string> = new Set([sourceNames.openclawStore, sourceNames.openclawDb]);
const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Whether anything listens at a loopback gateway's port: a refused connection costs no client load. */
export function listening(url: string, timeoutMs: number): Promise<boolean> {
  const parsed = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port) || 80 });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(true)); // something is there but slow: let the client's deadline judge it
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Reads every gateway at once; an auto-discovered one that is not running is only a note in the log and the sources list. */
export async function readGateways({ targets, options }: GatewayInputs, log: Logger): Promise<GatewayView> {
  const prefixAgents = targets.length > 1;
  const reads = await Promise.all(
    targets.map(async (target): Promise<GatewayRead | null> => {
      if (!target.explicit && !(await listening(target.url, options.deadlineMs))) {
        log.info({ url: target.url, origin: target.origin }, 'no local gateway running; reading the files only');
        return null;
      }
      const { readGateway } = await import('../sources/gateway.js');
      const read = await readGateway(target, { ...options, prefixAgents });
      if (!read.ok) log.warn({ gateway: target.name, error: read.visits[0]?.error }, 'gateway not read');
      return read;
    }),
  );
  const answered = reads.filter((read): read is GatewayRead => read !== null);
  const uses = new Map<string, ProviderUse[]>();
  const labels = new Map<string, string>();
  for (const read of answered) {
    if (!read.ok) continue;
    for (const [agent, list] of read.uses) {
      uses.set(agent, list);
      if (read.target.label) labels.set(agent, read.target.label);
    }
  }
  const notRunning = targets.filter((_, i) => reads[i] === null).map((target): SourceVisit => ({ name: sourceNames.gateway, path: target.url, found: false, ok: true, error: null }));
  return {
    reads: answered,
    visits: [...answered.flatMap((read) => read.visits), ...notRunning],
    uses,
    required: answered.flatMap((read) => (read.ok ? read.required : [])),
    labels,
  };
}

/** The gateway that shares this host's files: a loopback one read without agent prefixes. */
function localRead(view: GatewayView): (GatewayRead & { ok: true }) | null {
  if (view.reads.length !== 1) return null;
  const read = view.reads[0]!;
  return read.ok && loopbackHosts.has(new URL(read.target.url).hostname) ? read : null;
}


/**
 * The profiles of a check with the gateway's view in: gateway rows first; a file row of the
 * local gateway's own credential is dropped (the gateway's row stands for it), and where the
 * two disagree the gateway's row says so; file rows the gateway does not report stay, saying so.
 */
export function mergeGatewayView(view: GatewayView, fileProfiles: readonly Profile[], log: Logger): Profile[] {
  const gatewayRows = view.reads.flatMap((read) => read.profiles);
  const local = localRead(view);
  if (!local) return [...gatewayRows, ...fileProfiles];
  const reported = new Map<string, Profile>();
  const agents = new Set<string | null>();
  for (const row of local.profiles) {
    reported.set(`${row.agent}\n${row.id}`, row);
    agents.add(row.agent);
  }
  const disagreements = new Map<Profile, string[]>();
  const kept: Profile[] = [];
  for (const file of fileProfiles) {
    if (!fileSources.has(file.source) || file.problem !== null) {
      kept.push(file);
      continue;
    }
    const row = reported.get(`${file.agent ?? 'main'}\n${file.id}`);
    if (!row) {
      kept.push(agents.has(file.agent ?? 'main') ? { ...file, notes: [...file.notes, `not reported by the running gateway ${local.target.name}`] } : file);
      continue;
    }
    const said: string[] = [];
    // Both expiries known: OpenClaw drops an expired token's expiry, and a missing one says nothing.
    if (row.problem === null && file.expiresAt !== null && row.expiresAt !== null && Math.abs(file.expiresAt - row.expiresAt) > 60_000) {
      said.push(`the file ${file.path ?? ''} holds a credential expiring ${formatLocalTime(file.expiresAt)}, the running gateway one expiring ${formatLocalTime(row.expiresAt)}: the gateway has not picked up the credential on disk`);
    }
    if (file.secret === 'absent' && row.secret !== 'absent') said.push(`the file ${file.path ?? ''} holds no usable secret for it, the running gateway still has one`);
    if (said.length > 0) {
      disagreements.set(row, [...(disagreements.get(row) ?? []), ...said]);
      log.warn({ profile: file.id, agent: file.agent }, 'the files and the running gateway disagree');
    }
  }
  const merged = gatewayRows.map((row) => (disagreements.has(row) ? { ...row, notes: [...row.notes, ...disagreements.get(row)!] } : row));
  return [...merged, ...kept];
}
