import { homedir, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { AuthwatchError, ExitCode } from '../core/errors.js';
import { quoteArgument } from '../core/quote-argument.js';
import type { PushInstall } from '../install/installed-push.js';
import { parseCommandArgs, resolvePush } from './options.js';
import { writeStdout } from './stdout.js';

const installUsage = `Usage: authwatch install systemd [--user|--system] [--daemon] [--dry-run] [--prefix DIR]
                                 [--textfile FILE] [--push URL] [--config FILE] [--run-as USER]
       authwatch install termux [--dry-run] [--prefix DIR] [--push URL] [--config FILE] [--gateway URL]
       authwatch uninstall systemd [--user|--system] [--dry-run] [--prefix DIR]
       authwatch uninstall termux [--dry-run] [--prefix DIR]

systemd   renders the units with this installation's paths (node, entry script; HOME from the
          unit user's passwd entry, a fixed PATH) and enables them: the 15-minute check
          timer, or with --daemon the long-running daemon (it serves /metrics: no --textfile
          or --push). --user (default when not root) installs into ~/.config/systemd/user;
          --system into /etc/systemd/system, hardened, as the user authwatch or --run-as USER
          (which must exist). --textfile: a system unit gets write access to its directory by
          /etc/tmpfiles.d/authwatch.conf. --prefix writes under DIR and only prints the commands.
termux    installs the job script, registers it with termux-job-scheduler (every 15
          minutes, persisted), a Termux:Boot script and a Termux:Widget shortcut.
--push    the check also pushes to this Pushgateway; its Basic auth is $AUTHWATCH_PUSH_USER and
          the file named by $AUTHWATCH_PUSH_PASSWORD_FILE (the installed units read that file;
          no password is written into them). uninstall deletes this host's group there.
--gateway the Termux job also asks this OpenClaw gateway's /health (e.g. http://127.0.0.1:18789)
          and says in the notification when the gateway is down.
--dry-run prints every file and command without writing or running anything.
uninstall does every step even when one fails, and reports each failure (exit 3).
`;

export const options = {
  user: { type: 'boolean' },
  system: { type: 'boolean' },
  daemon: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  prefix: { type: 'string' },
  textfile: { type: 'string' },
  push: { type: 'string' },
  config: { type: 'string' },
  'run-as': { type: 'string' },
  gateway: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flag = keyof typeof options;

const installOnly: Flag[] = ['daemon', 'textfile', 'push', 'config', 'run-as'];
const undoneFromFiles = (flags: Flag[]) => Object.fromEntries(flags.map((flag) => [flag, 'uninstall finds what to undo in the installed files']));

/** Why a target cannot honour a flag: refused with this reason instead of silently ignored. */
const refused: Record<string, Partial<Record<Flag, string>>> = {
  'install termux': {
    user: 'there is no systemd on Android',
    system: 'there is no systemd on Android',
    'run-as': 'the job runs as the Termux user',
    daemon: 'Android stops long-running processes; the 15-minute job is the way there',
    textfile: 'there is no node_exporter on a phone: use --push to a Pushgateway',
  },
  'install systemd': { gateway: 'a server watches its gateway with an uptime monitor (the gateway\'s own /health; authwatch\'s /health/auth for model auth)' },
  'uninstall systemd': undoneFromFiles([...installOnly, 'gateway']),
  'uninstall termux': undoneFromFiles([...installOnly, 'user', 'system', 'gateway']),
};

const out = (line: string) => writeStdout(`${line}\n`);

/**
 * `--push URL` for an installation: the URL and where the job will read the password, checked
 * now (the URL, the user, the file readable) so a typo fails here and not every 15 minutes.
 */
async function pushInstall(url: string | undefined, env: NodeJS.ProcessEnv): Promise<PushInstall | null> {
  if (url === undefined) return null;
  const passwordFile = env.AUTHWATCH_PUSH_PASSWORD_FILE?.trim();
  if (env.AUTHWATCH_PUSH_PASSWORD && !passwordFile) {
    throw new AuthwatchError('--push: AUTHWATCH_PUSH_PASSWORD is set, but the installer writes no password into a unit or script', {
      hint: 'put the password in a file only you can read and set AUTHWATCH_PUSH_PASSWORD_FILE to it',
    });
  }
  const file = passwordFile ? resolve(passwordFile) : undefined;
  const target = await resolvePush(url, { ...env, ...(file ? { AUTHWATCH_PUSH_PASSWORD_FILE: file } : {}) });
  const { pushGroupUrl } = await import('../outputs/pushgateway.js');
  pushGroupUrl(target.url);
  return { url: target.url, user: target.basic?.user ?? null, passwordFile: target.basic ? file! : null };
}

async function act(verb: 'install' | 'uninstall', argv: string[]): Promise<ExitCode> {
  const [target, ...rest] = argv;
  if (target === undefined || target === '--help' || target === '-h') {
    writeStdout(installUsage);
    return target === undefined ? ExitCode.CouldNotRun : ExitCode.Ok;
  }
  const command = `${verb} ${target}`;
  const { values } = parseCommandArgs(command, rest, options);
  if (values.help) {
    writeStdout(installUsage);
    return ExitCode.Ok;
  }
  if (target !== 'systemd' && target !== 'termux') throw new AuthwatchError(`${verb}: unknown target ${quoteArgument(target)} (expected systemd or termux)`);
  for (const [flag, why] of Object.entries(refused[command] ?? {})) {
    if (values[flag as Flag] !== undefined) throw new AuthwatchError(`${command}: --${flag} cannot be honoured here: ${why}`);
  }
  const dryRun = values['dry-run'] ?? false;
  const config = values.config === undefined ? null : resolve(values.config);
  const push = verb === 'install' ? await pushInstall(values.push, process.env) : null;
  if (target === 'systemd') {
    if (values.user && values.system) throw new AuthwatchError(`${verb} systemd: choose --user or --system, not both`);
    const mode = values.system ? 'system' : values.user ? 'user' : userInfo().uid === 0 ? 'system' : 'user';
    const systemd = await import('../install/systemd-install.js');
    const prefix = values.prefix ?? null;
    if (verb === 'install') {
      await systemd.installSystemd(
        { mode, daemon: values.daemon ?? false, dryRun, prefix, textfile: values.textfile ?? null, config, runAs: values['run-as'] ?? null, push },
        process.env,
        out,
      );
    } else await systemd.uninstallSystemd({ mode, dryRun, prefix }, process.env, out);
    return ExitCode.Ok;
  }
  const termux = await import('../install/termux.js');
  const { openclawPathEnvironment } = await import('../sources/openclaw-paths.js');
  const settings = {
    prefix: termux.resolvePrefix(values.prefix, process.env),
    home: homedir(),
    dryRun,
    config,
    push,
    openclawPaths: openclawPathEnvironment(process.env, homedir()),
    gateway: values.gateway === undefined ? null : termux.gatewayHealthUrl(values.gateway),
  };
  await (verb === 'install' ? termux.installTermux(settings, out) : termux.uninstallTermux(settings, process.env, out));
  return ExitCode.Ok;
}

export const install = (argv: string[]) => act('install', argv);
export const uninstall = (argv: string[]) => act('uninstall', argv);
