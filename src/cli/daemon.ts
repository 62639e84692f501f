import { homedir } from 'node:os';
import { locateConfig } from '../config/load.js';
import { AuthwatchError, ExitCode } from '../core/errors.js';
import { trapSignals } from '../daemon/signals.js';
import { commonSetup, parseCommandArgs } from './options.js';
import { writeStdout } from './stdout.js';

const daemonUsage = `Usage: authwatch daemon [options]

Runs the check at start and on the config's schedule (default every 15 minutes) and serves
/metrics (Prometheus or OpenMetrics), /healthz and /status (the check --json document).
Every answer comes from the last completed check; a scrape finding it older than
daemon.scrapeTtl starts the next one in the background. SIGHUP re-reads the config;
SIGTERM or SIGINT stops it cleanly (exit 0), after a delivery under way is saved.

Options:
  --listen HOST:PORT   where to serve (default 127.0.0.1:9787; a bare PORT is 127.0.0.1:PORT, :PORT
                       all interfaces; anything but loopback must be given here)
  --config FILE        config file (default $AUTHWATCH_CONFIG or ~/.config/authwatch/config.json5)
  --log-level LEVEL    fatal, error, warn, info (default for the daemon), debug, trace, silent
  -h, --help           this help
`;

export const options = {
  config: { type: 'string' },
  listen: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `127.0.0.1:9787`, `[::1]:9787`, `0.0.0.0:9787`, `:9787` (all interfaces), `9787` (loopback, like the default). */
export function parseListen(text: string): { host: string; port: number } {
  if (/^\d{1,5}$/.test(text.trim()) && Number(text) <= 65535) return { host: '127.0.0.1', port: Number(text) };
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || port > 65535) throw new AuthwatchError(`--listen: expected HOST:PORT or PORT, e.g. 127.0.0.1:9787, [::1]:9787 or 9787`);
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

export async function daemon(argv: string[]): Promise<ExitCode> {
  const { values } = parseCommandArgs('daemon', argv, options);
  if (values.help) {
    writeStdout(daemonUsage);
    return ExitCode.Ok;
  }
  // Before any work (the config, the first check): see trapSignals.
  const signals = trapSignals();
  const { host, port } = parseListen(values.listen ?? '127.0.0.1:9787');
  const { env, home, loaded, log } = await commonSetup({ ...values, 'log-level': values['log-level'] ?? process.env.LOG_LEVEL ?? 'info' });
  const { runDaemon } = await import('../daemon/daemon.js');
  if (!/^(127\.|::1$|localhost$)/.test(host) && loaded.config.metrics.auth === undefined) {
    log.warn({ host }, 'listening beyond loopback without metrics.auth: anyone who can reach the port can read the report');
  }
  await runDaemon({ host, port, location: locateConfig(values.config, env, homedir()), config: loaded.config, env, home, log }, signals);
  return ExitCode.Ok;
}
