import type { Logger } from '../core/log.js';
import { registerSecret, urlForMessages } from '../core/scrub.js';
import { listening, type GatewayInputs } from '../pipeline/gateway-view.js';
import { watchGateway } from '../sources/gateway-client.js';
import { deviceFilePath, loadOrCreateDevice } from '../sources/gateway-device.js';
import { gatewayEventReader, type GatewayIncident } from '../sources/gateway-events.js';
import type { EventGateway } from './gateway-incidents.js';

// The daemon's read-only connections to its gateways, held open for their live events (the
// checks still read each gateway per check). Each runs on its own: a gateway that is away is
// tried again by OpenClaw's client with backoff, and nothing here waits on a check or a scrape.

export interface GatewayWatches {
  /** Closes every connection; resolves once they are closed. */
  stop(): Promise<void>;
}

/** How often the daemon looks whether an auto-discovered local gateway has started. */
const lookAgainMs = 30_000;

/** What the connections tell the daemon. */
interface WatchReports {
  /** Every credential incident an event names. */
  incident(gateway: EventGateway, incident: GatewayIncident): void;
  /** The event connection opened (`true`), is not open (`false`), or is no longer watched (`null`, on stop). */
  connection(gateway: EventGateway, connected: boolean | null): void;
}

/**
 * Starts a connection per gateway; `report` hears of every incident and connection change. An
 * auto-discovered local gateway is connected to once something listens on its port (looked
 * at every 30 s): until then nothing is created for it, not even its device identity.
 */
export async function watchGateways(inputs: GatewayInputs, log: Logger, report: WatchReports): Promise<GatewayWatches> {
  const prefixAgents = inputs.targets.length > 1;
  let stopped = false;
  const timers = new Set<NodeJS.Timeout>();
  const watches: { stop: () => Promise<void> }[] = [];

  const watched = new Set<EventGateway>();
  const start = async (target: GatewayInputs['targets'][number], gateway: EventGateway): Promise<void> => {
    if (stopped) return;
    if (!watched.has(gateway)) {
      watched.add(gateway);
      report.connection(gateway, false);
    }
    if (!target.explicit && !(await listening(target.url, inputs.options.deadlineMs))) {
      if (stopped) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        void start(target, gateway);
      }, lookAgainMs);
      timers.add(timer);
      return;
    }
    registerSecret(target.token);
    registerSecret(target.password);
    const shown = urlForMessages(target.url);
    let device;
    try {
      device = await loadOrCreateDevice(deviceFilePath(inputs.options.stateDir, target.url), target.url);
    } catch (error) {
      log.error({ gateway: target.name, error: error instanceof Error ? error.message : 'error' }, "the gateway's live events are not watched: no device identity");
      return;
    }
    if (stopped) return;
    // Said once per change: a gateway that stays away is not a warning every 30 s.
    let connected: boolean | null = null;
    const incidentsOf = gatewayEventReader();
    watches.push(
      watchGateway(
        { url: target.url, token: target.token, password: target.password, device, timeoutMs: inputs.options.deadlineMs },
        {
          onConnected: () => {
            connected = true;
            if (!stopped) report.connection(gateway, true);
            log.info({ gateway: target.name, url: shown }, "watching the gateway's live events");
          },
          onDisconnected: (failure, final) => {
            if (final) log.error({ gateway: target.name, error: failure.message }, "the gateway's live events are not watched until the daemon is reloaded");
            else if (connected !== false && (target.explicit || connected === true)) log.warn({ gateway: target.name, error: failure.message }, "lost the gateway's live events; trying again with backoff");
            connected = false;
            if (!stopped) report.connection(gateway, false);
          },
          onEvent: (frame) => {
            for (const incident of incidentsOf(frame)) {
              log.warn({ gateway: target.name, kind: incident.kind, provider: incident.provider, model: incident.model, reason: incident.reason, httpStatus: incident.httpStatus, agent: incident.agent }, 'the gateway reported a credential failure');
              report.incident(gateway, incident);
            }
          },
        },
      ),
    );
  };
  await Promise.all(inputs.targets.map((target) => start(target, { name: target.name, label: target.label, url: target.url, prefixAgents })));
  return {
    stop: async () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(watches.map((watch) => watch.stop()));
      for (const gateway of watched) report.connection(gateway, null);
    },
  };
}
