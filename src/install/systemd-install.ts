import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { makeDirectory, writeFileAtomic } from '../core/atomic-write.js';
import { homedir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runCommand } from './run-command.js';
import { primaryUnit, renderUnit, unitFiles, type SystemdInputs, type SystemdMode } from './systemd.js';
import { installation, readTemplate } from './template.js';

export interface SystemdOptions {
  mode: SystemdMode;
  daemon: boolean;
  dryRun: boolean;
  /** Write under this root instead of `/` (packaging, tests); systemctl is then not run. */
  prefix: string | null;
  textfile: string | null;
  config: string | null;
  runAs: string;
}

const defaultTextfileDir = '/var/lib/prometheus/node-exporter';

function unitDirectory(mode: SystemdMode, prefix: string | null, env: NodeJS.ProcessEnv): string {
  const dir = mode === 'system' ? '/etc/systemd/system' : join(env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config'), 'systemd', 'user');
  return prefix ? join(prefix, dir) : dir;
}

function systemctl(mode: SystemdMode, ...args: string[]): string[] {
  return mode === 'user' ? ['systemctl', '--user', ...args] : ['systemctl', ...args];
}

/** The real paths and environment of this installation, for the units to run it as it is. */
function inputsFor(options: SystemdOptions, env: NodeJS.ProcessEnv): SystemdInputs {
  const { node, entry } = installation();
  const within = (path: string) => (options.prefix ? join(options.prefix, path) : path);
  const environment: Record<string, string> = {
    HOME: homedir(),
    PATH: env.PATH?.trim() || `${dirname(node)}:/usr/local/bin:/usr/bin:/bin`,
  };
  const systemConfig = '/etc/authwatch/config.json5';
  if (options.config) environment.AUTHWATCH_CONFIG = resolve(options.config);
  else if (options.mode === 'system' && existsSync(within(systemConfig))) environment.AUTHWATCH_CONFIG = systemConfig;
  const textfile = options.textfile ?? (options.mode === 'system' && existsSync(within(defaultTextfileDir)) ? join(defaultTextfileDir, 'authwatch.prom') : null);
  const smtpPassword = '/etc/authwatch/smtp-password';
  return {
    mode: options.mode,
    daemon: options.daemon,
    node,
    entry,
    environment,
    checkArgs: textfile ? ['--textfile', textfile] : [],
    runAs: options.runAs,
    credentials: existsSync(within(smtpPassword)) ? [{ name: 'smtp-password', path: smtpPassword }] : [],
  };
}

export async function installSystemd(options: SystemdOptions, env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> {
  const inputs = inputsFor(options, env);
  const { root } = installation();
  const dir = unitDirectory(options.mode, options.prefix, env);
  const files = unitFiles(inputs).map((file) => ({ path: join(dir, file.name), text: renderUnit(readTemplate(root, file.template), file.name, inputs) }));
  for (const file of files) {
    if (options.dryRun) out(`would write ${file.path}:\n${file.text}`);
    else {
      makeDirectory(dir, 0o755);
      writeFileAtomic(file.path, file.text, { mode: 0o644, durable: true });
      out(`wrote ${file.path}`);
    }
  }
  const commands = [systemctl(options.mode, 'daemon-reload'), systemctl(options.mode, 'enable', '--now', primaryUnit(inputs))];
  const run = { dryRun: options.dryRun || options.prefix !== null };
  if (options.prefix !== null && !options.dryRun) out(`--prefix given: not touching the running systemd; on the target run:`);
  for (const command of commands) runCommand(command, run, out);
  if (options.mode === 'user') {
    out(`note: a user timer runs only while you are logged in unless lingering is on: loginctl enable-linger ${userInfo().username}`);
  } else if (options.runAs === 'authwatch') {
    out('note: the units run as the system user "authwatch"; create it with: useradd --system --home-dir /var/lib/authwatch --shell /usr/sbin/nologin authwatch');
    out(`note: it must be able to read the credential files it watches (HOME=${inputs.environment.HOME}); or install with --run-as <the gateway's user>`);
  }
}

export async function uninstallSystemd(options: Pick<SystemdOptions, 'mode' | 'dryRun' | 'prefix'>, env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> {
  const dir = unitDirectory(options.mode, options.prefix, env);
  const names = [...new Set([...unitFiles({ mode: options.mode, daemon: false }), ...unitFiles({ mode: options.mode, daemon: true })].map((f) => f.name))];
  const present = names.filter((name) => existsSync(join(dir, name)));
  const run = { dryRun: options.dryRun || options.prefix !== null };
  const enabled = present.filter((name) => name === 'authwatch-check.timer' || name === 'authwatch.service');
  if (enabled.length > 0) runCommand(systemctl(options.mode, 'disable', '--now', ...enabled), run, out);
  for (const name of present) {
    const path = join(dir, name);
    if (options.dryRun) out(`would remove ${path}`);
    else {
      await rm(path, { force: true });
      out(`removed ${path}`);
    }
  }
  if (present.length > 0) runCommand(systemctl(options.mode, 'daemon-reload'), run, out);
  else out(`nothing to remove in ${dir}`);
}
