import { existsSync } from 'node:fs';
import { makeDirectory, writeFileAtomic } from '../core/atomic-write.js';
import { dirname, join } from 'node:path';
import { AuthwatchError } from '../core/errors.js';
import { deleteGroup, findPushMarker, pushMarker, type PushInstall } from './installed-push.js';
import { attempt, readInstalled, removeInstalled, reportFailures, runCommand } from './run-command.js';
import { quoteArgument } from '../core/quote-argument.js';
import { refuseControlCharacters, shDoubleQuoted, shSingleQuoted } from './render-grammar.js';
import { fillTemplate, installation, readTemplate } from './template.js';

/** The prefix the templates are written for; the installer puts the real one in its place. */
const termuxPrefix = '/data/data/com.termux/files/usr';
/** One fixed job id, so installing again replaces the job instead of adding a second. */
const jobId = 4711;
/** Android's minimum period for a periodic job. */
const periodMs = 900_000;
const apiTimeoutMs = 20_000;

interface TermuxOptions {
  prefix: string;
  home: string;
  dryRun: boolean;
  /** An absolute config path for the job and the widget (else the default ~/.config/authwatch/config.json5). */
  config: string | null;
  push: PushInstall | null;
  /** OPENCLAW_HOME / OPENCLAW_STATE_DIR / OPENCLAW_CONFIG_PATH to carry, as absolute paths. */
  openclawPaths?: Readonly<Record<string, string>>;
  /** The OpenClaw gateway's /health URL the job probes (`--gateway`); `null`: no probe. */
  gateway?: string | null;
}

export function termuxFiles(home: string) {
  return {
    job: join(home, '.local', 'share', 'authwatch', 'authwatch-job.sh'),
    boot: join(home, '.termux', 'boot', 'authwatch'),
    widget: join(home, '.shortcuts', 'tasks', 'authwatch-check'),
  };
}

function scheduleCommand(job: string): string[] {
  return ['termux-job-scheduler', '--job-id', String(jobId), '-s', job, '--period-ms', String(periodMs), '--network', 'any', '--persisted', 'true'];
}

/** Termux is the one with `$TERMUX_VERSION` or a `$PREFIX` inside com.termux. */
export function resolvePrefix(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  if (env.TERMUX_VERSION || env.PREFIX?.includes('com.termux')) return env.PREFIX ?? termuxPrefix;
  throw new AuthwatchError('this does not look like Termux (no $TERMUX_VERSION); give --prefix to install anyway');
}

/** `--gateway`: the gateway's base URL (OpenClaw's default port is 18789), made its `/health` probe URL. */
export function gatewayHealthUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AuthwatchError(`--gateway: expected the gateway's URL, e.g. http://127.0.0.1:18789`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new AuthwatchError('--gateway: expected an http:// or https:// URL');
  if (url.username || url.password || url.search) throw new AuthwatchError('--gateway: give the URL without credentials or query (/health needs none)');
  url.pathname = `${url.pathname.replace(/\/+$/, '').replace(/\/health$/, '')}/health`;
  return url.href;
}

/** The variables the job and widget export: the config, where the Pushgateway's Basic auth comes from, the gateway to probe. */
function settings(options: Pick<TermuxOptions, 'config' | 'push' | 'gateway' | 'openclawPaths'>): Record<string, string> {
  return {
    ...(options.gateway ? { AUTHWATCH_GATEWAY_HEALTH: options.gateway } : {}),
    ...(options.config ? { AUTHWATCH_CONFIG: options.config } : {}),
    ...options.openclawPaths,
    ...(options.push?.user ? { AUTHWATCH_PUSH_USER: options.push.user, AUTHWATCH_PUSH_PASSWORD_FILE: options.push.passwordFile! } : {}),
  };
}

/**
 * Renders a Termux script: the real prefix, node, entry script and settings. Each value goes
 * inside the template's double quotes, escaped by sh's rules; the prefix also stands in the
 * `#!` line, which has no quoting at all, so it must be a plain path.
 */
export function renderScript(
  template: string,
  name: string,
  values: { prefix: string; node: string; entry: string; job: string },
  options: Pick<TermuxOptions, 'config' | 'push' | 'gateway' | 'openclawPaths'> = { config: null, push: null },
): string {
  if (/[^\w./+@,:~-]/.test(values.prefix)) {
    throw new AuthwatchError(`cannot install: the prefix ${quoteArgument(values.prefix)} is not a plain path (letters, digits and . / _ + @ , : ~ -): it stands unquoted in the scripts' #! line`);
  }
  const lines = [refuseControlCharacters(pushMarker(options.push), 'the push marker'), ...Object.entries(settings(options)).map(([key, value]) => `${key}=${shSingleQuoted(value, key)}; export ${key}`)].filter(Boolean);
  return fillTemplate(
    template.replaceAll(termuxPrefix, values.prefix),
    {
      NODE: shDoubleQuoted(values.node, 'the node binary'),
      ENTRY: shDoubleQuoted(values.entry, "authwatch's entry script"),
      JOB: shDoubleQuoted(values.job, 'the job script'),
      JOB_ID: String(jobId),
      SETTINGS: lines.join('\n'),
      // The job's period, exported so AuthwatchStale knows when a run is overdue.
      CHECK_ARGS: ` --interval ${periodMs / 60_000}m${options.push ? ` --push "${shDoubleQuoted(options.push.url, 'the push URL')}"` : ''}`,
    },
    name,
  );
}

export async function installTermux(options: TermuxOptions, out: (line: string) => void): Promise<void> {
  const { node, entry, root } = installation();
  const files = termuxFiles(options.home);
  const values = { prefix: options.prefix, node, entry, job: files.job };
  const scripts = [
    { path: files.job, template: 'termux/authwatch-job.sh.in' },
    { path: files.boot, template: 'termux/authwatch-boot.sh.in' },
    { path: files.widget, template: 'termux/authwatch-widget.sh.in' },
  ];
  for (const script of scripts) {
    const text = renderScript(readTemplate(root, script.template), script.template, values, options);
    if (options.dryRun) out(`would write ${script.path}:\n${text}`);
    else {
      makeDirectory(dirname(script.path), 0o700);
      writeFileAtomic(script.path, text, { mode: 0o700, durable: true });
      out(`wrote ${script.path}`);
    }
  }
  for (const [name, value] of Object.entries(options.openclawPaths ?? {})) out(`note: the job and the widget carry ${name}=${value} from this environment, to read the gateway there`);
  runCommand(scheduleCommand(files.job), { dryRun: options.dryRun, timeoutMs: apiTimeoutMs }, out);
  out('note: install the Termux:API app (and `pkg install termux-api`) for the job and notifications;');
  out('      install Termux:Boot and open it once so the job survives a reboot; add the widget from Termux:Widget');
}

/** Undoes everything the install and the job did: the job, the scripts, the notification, a wake lock; and the push group. */
export async function uninstallTermux(options: Pick<TermuxOptions, 'home' | 'dryRun'>, env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> {
  const run = { dryRun: options.dryRun, timeoutMs: apiTimeoutMs };
  const failures: string[] = [];
  const files = termuxFiles(options.home);
  let push: PushInstall | null = null;
  if (existsSync(files.job)) await attempt(failures, () => (push = findPushMarker(readInstalled(files.job))), out);
  for (const command of [
    ['termux-job-scheduler', '--cancel', '--job-id', String(jobId)],
    ['termux-notification-remove', 'authwatch'],
    // An older boot script took the wake lock and never released it.
    ['termux-wake-unlock'],
  ]) {
    await attempt(failures, () => runCommand(command, run, out), out);
  }
  for (const path of Object.values(files)) {
    if (!existsSync(path)) continue;
    await removeInstalled(path, options.dryRun, failures, out);
  }
  if (push) await deleteGroup(push, run, env, out, failures);
  reportFailures('uninstall termux', failures);
}
