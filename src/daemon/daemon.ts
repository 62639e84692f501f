import type { Server } from 'node:http';
import type { ConfigLocation } from '../config/load.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { hostName } from '../config/host-name.js';
import { AuthwatchError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { DeliveryResult } from '../alerts/deliver.js';
import type { Report } from '../evaluate/report.js';
import { gatewayLabel, sourceHealth, type DaemonCounters } from '../outputs/metric-families.js';
import type { GatewayIncident } from '../sources/gateway-events.js';
import { createDaemonMetrics } from '../outputs/prometheus.js';
import { createAuthorizer, type Authorizer } from './http-auth.js';
import { CheckRunner, errorMessage } from './runner.js';
import { createHandler, serverOptions } from './server.js';
import { GatewayIncidents, type EventGateway } from './gateway-incidents.js';
import type { GatewayWatches } from './gateway-watch.js';
import { gatewayInputs } from '../pipeline/gateway-inputs.js';
import type { DaemonSignals } from './signals.js';

interface DaemonOptions {
  host: string;
  port: number;
  location: ConfigLocation;
  config: Config;
  env: NodeJS.ProcessEnv;
  home: string;
  log: Logger;
}

type CronJob = import('croner').Cron;

async function schedule(pattern: string, file: string, job: () => Promise<void>, log: Logger, options: { paused?: boolean } = {}): Promise<CronJob> {
  const { Cron } = await import('croner');
  try {
    // protect: a tick that comes while the last check still runs is skipped, not stacked;
    // catch: a throwing check is logged and the schedule goes on.
    return new Cron(pattern, { protect: true, paused: options.paused ?? false, catch: (error) => log.error({ err: error }, 'scheduled check failed') }, job);
  } catch (error) {
    throw new AuthwatchError(`${file}: schedule: ${(error as Error).message}`);
  }
}

/** The schedule's period (between its next two runs), `null` when it has none. */
function schedulePeriod(job: CronJob): number | null {
  const [first, second] = job.nextRuns(2);
  return first && second ? second.getTime() - first.getTime() : null;
}

/** Three schedule periods: the default age after which /healthz calls the daemon stale. */
function defaultStaleAfter(job: CronJob): number {
  const period = schedulePeriod(job);
  return period === null ? 45 * 60_000 : 3 * period;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new AuthwatchError(`cannot listen on ${host}:${port}: ${error.code === 'EADDRINUSE' ? 'the address is in use' : error.code === 'EACCES' ? 'permission denied' : error.message}`)),
    );
    server.listen(port, host, () => resolve());
  });
}

/** What a reload swaps as one: the config, the scrape authorizer and the schedule. */
interface Settings {
  config: Config;
  authorizer: Authorizer;
  job: CronJob;
}

/** The daemon's own counters for /metrics: each check's unreadable sources, each channel's deliveries, the gateways' live events. */
class Counters {
  value: DaemonCounters = { sourceErrors: new Map(), notifications: new Map(), gatewayEvents: new Map(), gatewayConnected: new Map() };

  gatewayEvent(gateway: EventGateway, incident: GatewayIncident): void {
    const labels = { ...gatewayLabel(gateway.label), provider: incident.provider, reason: incident.reason, kind: incident.kind };
    const key = [gateway.url, labels.provider, labels.reason, labels.kind].join('\u0000');
    const gatewayEvents = new Map(this.value.gatewayEvents);
    gatewayEvents.set(key, { labels, count: (gatewayEvents.get(key)?.count ?? 0) + 1 });
    this.value = { ...this.value, gatewayEvents };
  }

  /** `null`: the gateway is not watched any more (a reload dropped it), so its series goes. */
  gatewayConnection(gateway: EventGateway, connected: boolean | null): void {
    const gatewayConnected = new Map(this.value.gatewayConnected);
    if (connected === null) gatewayConnected.delete(gateway.url);
    else gatewayConnected.set(gateway.url, { labels: gatewayLabel(gateway.label), connected });
    this.value = { ...this.value, gatewayConnected };
  }

  checked(report: Report): void {
    const sourceErrors = new Map(this.value.sourceErrors);
    for (const [key, { labels, up }] of sourceHealth(report)) sourceErrors.set(key, { labels, count: (sourceErrors.get(key)?.count ?? 0) + (up ? 0 : 1) });
    this.value = { ...this.value, sourceErrors };
  }

  delivered(outcomes: DeliveryResult['outcomes']): void {
    const notifications = new Map(this.value.notifications);
    for (const { channel, result } of outcomes) {
      if (result !== 'sent' && result !== 'failed') continue;
      const key = `${channel}\u0000${result}`;
      const entry = notifications.get(key) ?? { channel, result, count: 0 };
      notifications.set(key, { ...entry, count: entry.count + 1 });
    }
    this.value = { ...this.value, notifications };
  }
}

/**
 * The long-running mode: a check at start and on the schedule, metrics and status over HTTP,
 * SIGHUP re-reads the config (an invalid one is logged and the old one kept), SIGTERM/SIGINT
 * let a delivery under way save what it sent, close the server and resolve. `signals` were
 * trapped before anything else ran; a stop that came before the port was bound ends it there.
 */
export async function runDaemon(options: DaemonOptions, signals: DaemonSignals): Promise<void> {
  const { env, home, log, location } = options;
  const counters = new Counters();
  const runScheduled = () => runner.run('schedule');
  // Validate the schedule before binding the port, but start it only once the server listens,
  // so a failed start leaves no timer behind that would keep the process alive.
  let settings: Settings = {
    config: options.config,
    authorizer: await createAuthorizer(options.config.metrics.auth, env),
    job: await schedule(options.config.schedule, location.path, runScheduled, log, { paused: true }),
  };
  const incidents = new GatewayIncidents();
  const runner: CheckRunner = new CheckRunner({
    env,
    home,
    log,
    config: () => settings.config,
    machine: () => {
      const period = schedulePeriod(settings.job);
      return { host: hostName(settings.config), checkIntervalSeconds: period === null ? null : period / 1000 };
    },
    checked: (report) => counters.checked(report),
    heartbeats: async () => (settings.config.heartbeats.length === 0 ? null : (await import('../alerts/heartbeats.js')).startHeartbeats(settings.config.heartbeats, { env, log })),
    deliver: async (report, now) => {
      if (settings.config.channels.length === 0) return null;
      const { deliverAlerts } = await import('../alerts/deliver.js');
      // The gateways' live events ride along with every delivery while they are held.
      const withEvents = { ...report, alertRows: [...report.alertRows, ...incidents.rows(now)] };
      const result = await deliverAlerts(withEvents, settings.config, { env, home, log, now });
      counters.delivered(result.outcomes);
      return result.pending;
    },
  });
  const metrics = await createDaemonMetrics(() => runner.record, () => counters.value);

  const { createServer } = process.getBuiltinModule('node:http'); // loaded here: a check never needs it
  const server = createServer(
    serverOptions,
    createHandler({
      runner,
      metrics,
      authorizer: () => settings.authorizer,
      staleAfterMs: () => settings.config.daemon.staleAfter ?? defaultStaleAfter(settings.job),
      scrapeTtlMs: () => settings.config.daemon.scrapeTtl,
      log,
    }),
  );
  if (signals.stopSignal === null) {
    try {
      await listen(server, options.host, options.port);
    } catch (error) {
      settings.job.stop();
      throw error;
    }
  }
  if (signals.stopSignal !== null) {
    settings.job.stop();
    server.close();
    log.info({ signal: signals.stopSignal }, 'shutting down before the first check');
    return;
  }
  settings.job.resume();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log.info({ host: options.host, port, schedule: settings.config.schedule, next: settings.job.nextRun()?.toISOString() }, 'daemon listening');
  let stopping = false;
  // The gateways' live events, once the start check has read each gateway (and so made the
  // device identity the connections share): a new incident goes out at once with the last report.
  let events: Promise<GatewayWatches | null> = runner.run('start').then(() => (stopping ? null : watchEvents(settings.config, { env, home, log }, incidents, counters, () => runner.redeliver())));

  signals.onHangup(async () => {
    if (stopping) return;
    try {
      const loaded = await loadConfig(location);
      const next = await reloadSettings(settings, loaded.config, location.path, env, runScheduled, log);
      if (stopping) return next.job === settings.job ? undefined : next.job.stop();
      if (next.job !== settings.job) settings.job.stop();
      settings = next;
      const before = events;
      events = before.then(async (watches) => {
        await watches?.stop();
        return stopping ? null : watchEvents(settings.config, { env, home, log }, incidents, counters, () => runner.redeliver());
      });
      log.info({ config: loaded.path ?? '(defaults)', schedule: settings.config.schedule }, 'config reloaded');
      await runner.run('reload');
    } catch (error) {
      log.error({ error: errorMessage(error) }, 'config reload failed; keeping the previous config');
    }
  });

  const signal = await signals.stopped;
  stopping = true;
  log.info({ signal }, 'shutting down');
  settings.job.stop();
  await (await events)?.stop();
  await runner.stop();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * Opens the read-only event connections to the config's gateways (as a check finds them);
 * `null` when there is none. Trouble setting them up is logged: the checks go on either way.
 */
async function watchEvents(config: Config, deps: { env: NodeJS.ProcessEnv; home: string; log: Logger }, incidents: GatewayIncidents, counters: Counters, deliverNow: () => void): Promise<GatewayWatches | null> {
  const { env, home, log } = deps;
  try {
    const context = { env, home, now: Date.now(), agent: null, openclawProfiles: config.openclaw.profiles };
    const inputs = await gatewayInputs(context, undefined, config, null, log);
    if (!inputs) return null;
    const { watchGateways } = await import('./gateway-watch.js');
    return await watchGateways(inputs, log, {
      incident: (gateway, incident) => {
        counters.gatewayEvent(gateway, incident);
        if (incidents.record(gateway, incident, Date.now())) deliverNow();
      },
      connection: (gateway, connected) => counters.gatewayConnection(gateway, connected),
    });
  } catch (error) {
    log.error({ error: errorMessage(error) }, "the gateways' live events are not watched");
    return null;
  }
}

/** The settings a re-read config gives; the running schedule is kept when the config's is unchanged. Throws when a part is invalid. */
async function reloadSettings(current: Settings, config: Config, file: string, env: NodeJS.ProcessEnv, job: () => Promise<void>, log: Logger): Promise<Settings> {
  const authorizer = await createAuthorizer(config.metrics.auth, env);
  const sameSchedule = config.schedule === current.config.schedule;
  return { config, authorizer, job: sameSchedule ? current.job : await schedule(config.schedule, file, job, log) };
}
