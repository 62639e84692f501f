import { accessSync, constants, existsSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { loadConfig, locateConfig } from '../config/load.js';
import { makeDirectory, writeFileAtomic } from '../core/atomic-write.js';
import { AuthwatchError } from '../core/errors.js';
import { deleteGroup, findPushMarker, pushMarker, type PushInstall } from './installed-push.js';
import { groupsOf, lookupAccount } from './passwd.js';
import { blockedOnTheWay, type Opener } from './reachable.js';
import { attempt, readInstalled, removeInstalled, reportFailures, runCommand } from './run-command.js';
import { hardeningTemplate, primaryUnit, renderTmpfiles, renderUnit, unitFiles, type SystemdInputs, type SystemdMode } from './systemd.js';
import { installation, readTemplate } from './template.js';
import { openclawPathEnvironment } from '../sources/openclaw-paths.js';

interface SystemdOptions {
  mode: SystemdMode;
  daemon: boolean;
  dryRun: boolean;
  /** Write under this root instead of `/` (packaging, tests); systemctl is then not run. */
  prefix: string | null;
  textfile: string | null;
  config: string | null;
  /** `--run-as`; the system units' default is the user `authwatch`. */
  runAs: string | null;
  push: PushInstall | null;
}

const defaultTextfileDir = '/var/lib/prometheus/node-exporter';
const defaultUser = { name: 'authwatch', home: '/var/lib/authwatch' };
const tmpfilesPath = '/etc/tmpfiles.d/authwatch.conf';
/** The units' PATH after the node binary's (and openclaw's) directory: never the installer's own PATH. */
const fixedPath = ['/usr/local/bin', '/usr/bin', '/bin'];
const useradd = `useradd --system --home-dir ${defaultUser.home} --shell /usr/sbin/nologin ${defaultUser.name}`;

function unitDirectory(mode: SystemdMode, prefix: string | null, env: NodeJS.ProcessEnv): string {
  const dir = mode === 'system' ? '/etc/systemd/system' : join(env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config'), 'systemd', 'user');
  return prefix ? join(prefix, dir) : dir;
}

function systemctl(mode: SystemdMode, ...args: string[]): string[] {
  return mode === 'user' ? ['systemctl', '--user', ...args] : ['systemctl', ...args];
}

/** What to tell a user whose `systemctl --user` failed: usually there is no user manager to talk to. */
function userBusHint(env: NodeJS.ProcessEnv): string {
  const runtime = env.XDG_RUNTIME_DIR?.trim();
  if (runtime && existsSync(join(runtime, 'bus'))) return '';
  const { username, uid } = userInfo();
  return (
    `hint: your systemd user manager is not reachable (${runtime ? `no ${join(runtime, 'bus')}` : 'XDG_RUNTIME_DIR is not set'}): ` +
    `log in as ${username} directly (not su/sudo) or export XDG_RUNTIME_DIR=/run/user/${uid}; without a login session: loginctl enable-linger ${username}`
  );
}

/** The account the system units run as, from its passwd entry; a user that does not exist is an error. */
function runAsAccount(options: SystemdOptions): { name: string; home: string; missingDefault: boolean; opener: Opener | null } {
  const name = options.runAs ?? defaultUser.name;
  if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(name)) throw new AuthwatchError(`--run-as ${name}: not a user name`);
  const account = lookupAccount(name);
  if (account) return { ...account, missingDefault: false, opener: { uid: account.uid, groups: groupsOf(account) } };
  // A package (--prefix) or a dry run may come before the user exists: the home is the one `useradd` below gives it.
  if (options.runAs === null && (options.prefix !== null || options.dryRun)) return { ...defaultUser, missingDefault: true, opener: null };
  throw new AuthwatchError(
    `--run-as ${name}: no such user on this host`,
    options.runAs === null ? { hint: `create it first: ${useradd}` } : { hint: 'give the user that owns the credential files (the gateway\'s user)' },
  );
}

/**
 * The system units run Node and authwatch's entry script as the unit user: a clone under a
 * home that user cannot enter (`/root` is 0700) would fail every run, and the failure notice
 * with it. Refused here, naming what is in the way.
 */
function refuseUnreachable(user: string, opener: Opener, node: string, entry: string): void {
  for (const [path, need, what] of [[node, 1, 'run Node'], [entry, 4, 'read authwatch']] as const) {
    const blocked = blockedOnTheWay(path, opener, need);
    if (blocked === null) continue;
    throw new AuthwatchError(`--run-as ${user}: the units would ${what} from ${path}, but ${user} cannot: ${blocked} is in the way`, {
      hint: `install authwatch where ${user} can read it (e.g. \`npm install -g\` as root, or a clone under /opt), or let ${user} in (chmod o+x on each directory on the way)`,
    });
  }
}

/** Where `command` is found on `path`, as a shell would; `null` when nowhere. */
function which(command: string, path: string): string | null {
  if (command.includes('/')) return resolve(command);
  for (const dir of path.split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return join(dir, command);
    } catch {
      // not in this one
    }
  }
  return null;
}

/** The config the units will read, and the directory of `openclaw` when that config runs it. */
async function openclawDirectory(configPath: string | null, home: string, options: SystemdOptions, env: NodeJS.ProcessEnv): Promise<string | null> {
  const within = (path: string) => (options.prefix ? join(options.prefix, path) : path);
  // The units set no XDG_CONFIG_HOME: without AUTHWATCH_CONFIG they read ~/.config/authwatch.
  // --config names a file here; the default ones are looked for under --prefix.
  const location = options.config ? { path: options.config, explicit: true } : { path: within(configPath ?? locateConfig(undefined, {}, home).path), explicit: false };
  const { config } = await loadConfig(location);
  if (!config.openclaw.fromCli) return null;
  const command = config.openclaw.command[0]!;
  const found = which(command, env.PATH ?? '');
  if (!found) throw new AuthwatchError(`${location.path}: openclaw.command ${command} is not on this PATH`, { hint: 'give it as an absolute path' });
  return dirname(found);
}

/** The real paths and environment of this installation, for the units to run it as it is. */
async function inputsFor(options: SystemdOptions, env: NodeJS.ProcessEnv, out: (line: string) => void) {
  const { node, entry } = installation();
  const within = (path: string) => (options.prefix ? join(options.prefix, path) : path);
  const system = options.mode === 'system';
  if (!system && options.runAs !== null) throw new AuthwatchError('--run-as is for --system: a user unit runs as you');
  if (options.daemon && options.textfile !== null) {
    throw new AuthwatchError('--daemon --textfile: the daemon serves /metrics for Prometheus to scrape and writes no textfile', {
      hint: 'drop --textfile (scrape 127.0.0.1:9787), or drop --daemon for the 15-minute check that writes the textfile',
    });
  }
  if (options.daemon && options.push !== null) {
    throw new AuthwatchError('--daemon --push: the daemon serves /metrics and pushes nothing', { hint: 'drop --push (scrape it), or drop --daemon for the 15-minute check that pushes' });
  }
  const account = system ? runAsAccount(options) : null;
  if (account?.opener) refuseUnreachable(account.name, account.opener, node, entry);
  const systemConfig = '/etc/authwatch/config.json5';
  const configPath = options.config ? resolve(options.config) : system && existsSync(within(systemConfig)) ? systemConfig : null;
  const home = account ? account.home : homedir();
  const openclaw = await openclawDirectory(configPath, home, options, env);
  const environment: Record<string, string> = {
    HOME: home,
    PATH: [...new Set([dirname(node), ...(openclaw ? [openclaw] : []), ...fixedPath])].join(':'),
  };
  if (configPath) environment.AUTHWATCH_CONFIG = configPath;
  const openclawPaths = openclawPathEnvironment(env, home);
  Object.assign(environment, openclawPaths);
  for (const [name, value] of Object.entries(openclawPaths)) out(`note: the units carry ${name}=${value} from this environment, to read the gateway there`);

  const textfile = options.textfile !== null ? resolve(options.textfile) : system && !options.daemon && existsSync(within(defaultTextfileDir)) ? join(defaultTextfileDir, 'authwatch.prom') : null;
  if (textfile !== null && !textfile.endsWith('.prom')) throw new AuthwatchError(`--textfile ${textfile}: node_exporter only reads files ending in .prom`);
  const textfileDir = textfile === null ? null : dirname(textfile);
  if (textfileDir !== null && !system && options.prefix === null) {
    try {
      accessSync(textfileDir, constants.W_OK | constants.X_OK);
    } catch {
      throw new AuthwatchError(`--textfile ${textfile}: you cannot write ${textfileDir}, and neither could your user unit`, {
        hint: `use --system (it gives its user write access to ${textfileDir} by a tmpfiles.d ACL) or a directory you own that node_exporter reads`,
      });
    }
  }

  const credentials: { name: string; path: string }[] = [];
  const smtpPassword = '/etc/authwatch/smtp-password';
  if (existsSync(within(smtpPassword))) credentials.push({ name: 'smtp-password', path: smtpPassword });
  // The timer's period (OnCalendar=*:0/15), exported so AuthwatchStale knows when a run is overdue.
  const checkArgs = ['--interval', '15m', ...(textfile ? ['--textfile', textfile] : []), ...(options.push ? ['--push', options.push.url] : [])];
  if (options.push?.user) {
    environment.AUTHWATCH_PUSH_USER = options.push.user;
    // The system unit reads the password as a systemd credential: the file can stay root's alone.
    if (system) credentials.push({ name: 'push-password', path: options.push.passwordFile! });
    environment.AUTHWATCH_PUSH_PASSWORD_FILE = system ? 'push-password' : options.push.passwordFile!;
  }
  if (account?.missingDefault) out(`note: the user ${account.name} does not exist yet; create it before starting the units: ${useradd}`);
  const inputs: SystemdInputs = {
    mode: options.mode,
    daemon: options.daemon,
    node,
    entry,
    environment,
    checkArgs,
    runAs: account?.name ?? '',
    credentials,
    readWritePaths: system && textfileDir ? [textfileDir] : [],
    marker: pushMarker(options.push),
  };
  return { inputs, textfileDir, account };
}

export async function installSystemd(options: SystemdOptions, env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> {
  const { inputs, textfileDir, account } = await inputsFor(options, env, out);
  const { root } = installation();
  const dir = unitDirectory(options.mode, options.prefix, env);
  const hardening = readTemplate(root, hardeningTemplate);
  const files = unitFiles(inputs).map((file) => ({ path: join(dir, file.name), text: renderUnit(readTemplate(root, file.template), file.name, inputs, hardening) }));
  const tmpfiles = account && textfileDir ? { path: options.prefix ? join(options.prefix, tmpfilesPath) : tmpfilesPath, text: renderTmpfiles(textfileDir, account.name) } : null;
  for (const file of tmpfiles ? [...files, tmpfiles] : files) {
    if (options.dryRun) out(`would write ${file.path}:\n${file.text}`);
    else {
      makeDirectory(dirname(file.path), 0o755);
      writeFileAtomic(file.path, file.text, { mode: 0o644, durable: true });
      out(`wrote ${file.path}`);
    }
  }
  const commands = [
    ...(tmpfiles ? [['systemd-tmpfiles', '--create', tmpfilesPath]] : []),
    systemctl(options.mode, 'daemon-reload'),
    systemctl(options.mode, 'enable', '--now', primaryUnit(inputs)),
  ];
  const run = { dryRun: options.dryRun || options.prefix !== null };
  if (options.prefix !== null && !options.dryRun) out(`--prefix given: not touching the running systemd; on the target run:`);
  try {
    for (const command of commands) runCommand(command, run, out);
  } catch (error) {
    const hint = options.mode === 'user' ? userBusHint(env) : '';
    if (error instanceof AuthwatchError && hint) throw new AuthwatchError(error.message, { hint: hint.replace(/^hint: /, '') });
    throw error;
  }
  if (options.mode === 'user') {
    out(`note: a user timer runs only while you are logged in unless lingering is on: loginctl enable-linger ${userInfo().username}`);
  } else {
    out(`note: the units run as ${inputs.runAs} (HOME=${inputs.environment.HOME}); it must be able to read the credential files it watches${options.runAs === null ? ', or install with --run-as <the gateway\'s user>' : ''}`);
  }
  if (tmpfiles) out(`note: ${tmpfilesPath} gives ${inputs.runAs} write access to ${textfileDir} by an ACL (the filesystem must support ACLs)`);
}

export async function uninstallSystemd(options: Pick<SystemdOptions, 'mode' | 'dryRun' | 'prefix'>, env: NodeJS.ProcessEnv, out: (line: string) => void): Promise<void> {
  const dir = unitDirectory(options.mode, options.prefix, env);
  const names = [...new Set([...unitFiles({ mode: options.mode, daemon: false }), ...unitFiles({ mode: options.mode, daemon: true })].map((f) => f.name))];
  const present = names.filter((name) => existsSync(join(dir, name)));
  const tmpfiles = options.prefix ? join(options.prefix, tmpfilesPath) : tmpfilesPath;
  const run = { dryRun: options.dryRun || options.prefix !== null };
  const hint = options.mode === 'user' ? userBusHint(env) : '';
  const failures: string[] = [];
  const pushes: PushInstall[] = [];
  await attempt(failures, () => present.forEach((name) => pushes.push(...[findPushMarker(readInstalled(join(dir, name)))].filter((p) => p !== null))), out);
  // Each unit on its own, so one that systemd does not know does not keep the other running.
  for (const name of present.filter((n) => n === 'authwatch-check.timer' || n === 'authwatch.service')) {
    await attempt(failures, () => runCommand(systemctl(options.mode, 'disable', '--now', name), run, out), out, hint);
  }
  for (const path of [...present.map((name) => join(dir, name)), ...(options.mode === 'system' && existsSync(tmpfiles) ? [tmpfiles] : [])]) {
    await removeInstalled(path, options.dryRun, failures, out);
  }
  if (present.length > 0) await attempt(failures, () => runCommand(systemctl(options.mode, 'daemon-reload'), run, out), out, hint);
  else out(`nothing to remove in ${dir}`);
  for (const push of pushes.filter((p, i) => pushes.findIndex((q) => q.url === p.url) === i)) await deleteGroup(push, run, env, out, failures);
  reportFailures(`uninstall systemd`, failures);
}
