import type { Server } from 'node:http';
import type { ConfigLocation } from '../config/load.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { hostName } from '../config/host-name.js';
import { AuthwatchError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { sourceHealth, type DaemonCounters } from '../outputs/metric-families.js';
import { createDaemonMetrics } from '../outputs/prometheus.js';
import { createAuthorizer, type Authorizer } from './http-auth.js';
import { CheckRunner, errorMessage } from './runner.js';
import { createHandler, serverOptions } from './server.js';
import type { DaemonSignals } from './signals.js';

export interface DaemonOptions {
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

/**
 * The long-running mode: a check at start and on the schedule, metrics and status over HTTP,
 * SIGHUP re-reads the config (an invalid one is logged and the old one kept), SIGTERM/SIGINT
 * let a delivery under way save what it sent, close the server and resolve. `signals` were
 * trapped before anything else ran; a stop that came before the port was bound ends it there.
 */
export async function runDaemon(options: DaemonOptions, signals: DaemonSignals): Promise<void> {
  const { env, home, log, location } = options;
  let config = options.config;
  let authorizer: Authorizer = await createAuthorizer(config.metrics.auth, env);
  let counters: DaemonCounters = { sourceErrors: new Map(), notifications: new Map() };
  // Validate the schedule before binding the port, but start it only once the server listens,
  // so a failed start leaves no timer behind that would keep the process alive.
  let job = await schedule(config.schedule, location.path, () => runner.run('schedule'), log, { paused: true });
  const runner = new CheckRunner({
    env,
    home,
    log,
    config: () => config,
    machine: () => {
      const period = schedulePeriod(job);
      return { host: hostName(config), checkIntervalSeconds: period === null ? null : period / 1000 };
    },
    checked: (report) => {
      const sourceErrors = new Map(counters.sourceErrors);
      for (const [source, up] of sourceHealth(report)) sourceErrors.set(source, (sourceErrors.get(source) ?? 0) + (up ? 0 : 1));
      counters = { ...counters, sourceErrors };
    },
    heartbeats: async () => (config.heartbeats.length === 0 ? null : (await import('../alerts/heartbeats.js')).startHeartbeats(config.heartbeats, { env, log })),
    deliver: async (report, now) => {
      if (config.channels.length === 0) return null;
      const { deliverAlerts } = await import('../alerts/deliver.js');
      const result = await deliverAlerts(report, config, { env, home, log, now });
      const notifications = new Map(counters.notifications);
      for (const { channel, result: outcome } of result.outcomes) {
        if (outcome !== 'sent' && outcome !== 'failed') continue;
        const key = `${channel}\u0000${outcome}`;
        const entry = notifications.get(key) ?? { channel, result: outcome, count: 0 };
        notifications.set(key, { ...entry, count: entry.count + 1 });
      }
      counters = { ...counters, notifications };
      return result.pending;
    },
  });
  const metrics = await createDaemonMetrics(() => runner.record, () => counters);

  const { createServer } = process.getBuiltinModule('node:http'); // loaded here: a check never needs it
  const server = createServer(
    serverOptions,
    createHandler({
      runner,
      metrics,
      authorizer: () => authorizer,
      staleAfterMs: () => config.daemon.staleAfter ?? defaultStaleAfter(job),
      scrapeTtlMs: () => config.daemon.scrapeTtl,
      log,
    }),
  );
  if (signals.stopSignal === null) {
    try {
      await listen(server, options.host, options.port);
    } catch (error) {
      job.stop();
      throw error;
    }
  }
  if (signals.stopSignal !== null) {
    job.stop();
    server.close();
    log.info({ signal: signals.stopSignal }, 'shutting down before the first check');
    return;
  }
  job.resume();
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  log.info({ host: options.host, port, schedule: config.schedule, next: job.nextRun()?.toISOString() }, 'daemon listening');
  void runner.run('start');

  let stopping = false;
  const reload = async () => {
    try {
      const loaded = await loadConfig(location);
      const nextAuthorizer = await createAuthorizer(loaded.config.metrics.auth, env);
      if (stopping) return;
      if (loaded.config.schedule !== config.schedule) {
        const nextJob = await schedule(loaded.config.schedule, location.path, () => runner.run('schedule'), log);
        job.stop();
        job = nextJob;
      }
      config = loaded.config;
      authorizer = nextAuthorizer;
      log.info({ config: loaded.path ?? '(defaults)', schedule: config.schedule }, 'config reloaded');
      await runner.run('reload');
    } catch (error) {
      log.error({ error: errorMessage(error) }, 'config reload failed; keeping the previous config');
    }
  };
  signals.onHangup(() => {
    if (!stopping) void reload();
  });

  const signal = await signals.stopped;
  stopping = true;
  log.info({ signal }, 'shutting down');
  job.stop();
  await runner.stop();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
