import { homedir, userInfo } from 'node:os';
import { AuthwatchError, ExitCode } from '../core/errors.js';
import { quoteArgument } from '../core/quote-argument.js';
import { parseCommandArgs } from './options.js';
import { writeStdout } from './stdout.js';

const installUsage = `Usage: authwatch install systemd [--user|--system] [--daemon] [--dry-run] [--prefix DIR]
                                 [--textfile FILE] [--config FILE] [--run-as USER]
       authwatch install termux [--dry-run] [--prefix DIR]
       authwatch uninstall systemd [--user|--system] [--dry-run] [--prefix DIR]
       authwatch uninstall termux [--dry-run] [--prefix DIR]

systemd   renders the units with this installation's paths (node, entry script, HOME, PATH)
          and enables them: the 15-minute check timer, or with --daemon the long-running
          daemon. --user (default when not root) installs into ~/.config/systemd/user;
          --system into /etc/systemd/system with a dedicated user and strict hardening.
          --prefix writes under DIR and only prints the systemctl commands.
termux    installs the job script, registers it with termux-job-scheduler (every 15
          minutes, persisted), a Termux:Boot script and a Termux:Widget shortcut.
--dry-run prints every file and command without writing or running anything.
`;

const options = {
  user: { type: 'boolean' },
  system: { type: 'boolean' },
  daemon: { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  prefix: { type: 'string' },
  textfile: { type: 'string' },
  config: { type: 'string' },
  'run-as': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const out = (line: string) => writeStdout(`${line}\n`);

async function act(verb: 'install' | 'uninstall', argv: string[]): Promise<ExitCode> {
  const [target, ...rest] = argv;
  if (target === undefined || target === '--help' || target === '-h') {
    writeStdout(installUsage);
    return target === undefined ? ExitCode.CouldNotRun : ExitCode.Ok;
  }
  const { values } = parseCommandArgs(`${verb} ${target}`, rest, options);
  if (values.help) {
    writeStdout(installUsage);
    return ExitCode.Ok;
  }
  const dryRun = values['dry-run'] ?? false;
  if (target === 'systemd') {
    if (values.user && values.system) throw new AuthwatchError(`${verb} systemd: choose --user or --system, not both`);
    const mode = values.system ? 'system' : values.user ? 'user' : userInfo().uid === 0 ? 'system' : 'user';
    const systemd = await import('../install/systemd-install.js');
    const prefix = values.prefix ?? null;
    if (verb === 'install') {
      await systemd.installSystemd(
        { mode, daemon: values.daemon ?? false, dryRun, prefix, textfile: values.textfile ?? null, config: values.config ?? null, runAs: values['run-as'] ?? 'authwatch' },
        process.env,
        out,
      );
    } else await systemd.uninstallSystemd({ mode, dryRun, prefix }, process.env, out);
    return ExitCode.Ok;
  }
  if (target === 'termux') {
    const termux = await import('../install/termux.js');
    const settings = { prefix: termux.resolvePrefix(values.prefix, process.env), home: homedir(), dryRun };
    await (verb === 'install' ? termux.installTermux(settings, out) : termux.uninstallTermux(settings, out));
    return ExitCode.Ok;
  }
  throw new AuthwatchError(`${verb}: unknown target ${quoteArgument(target)} (expected systemd or termux)`);
}

export const install = (argv: string[]) => act('install', argv);
export const uninstall = (argv: string[]) => act('uninstall', argv);
