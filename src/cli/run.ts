import packageJson from '../../package.json' with { type: 'json' };
import { AuthwatchError, ExitCode } from '../core/errors.js';
import { quoteArgument } from '../core/quote-argument.js';
import type { CompletionEntry } from './completion.js';
import { writeStderr, writeStdout } from './stdout.js';

type Command = (argv: string[]) => Promise<ExitCode>;
const helpOnly = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * The command table; each command is imported only when it runs, to keep `check` quick to start.
 * Its options (and the words after it) also make the shell completion (`authwatch completion`).
 */
const commands: Record<string, CompletionEntry & { load: () => Promise<Command> }> = {
  check: { summary: 'check every credential once, print a table or JSON', load: async () => (await import('./check.js')).check, options: async () => (await import('./check.js')).options },
  status: { summary: 'is the monitoring working? last run, channels, launchers, OpenClaw homes', load: async () => (await import('./status.js')).status, options: async () => (await import('./status.js')).options },
  alert: { summary: 'alert test [--channel NAME]: send a test message through the channels', words: ['test'], load: async () => (await import('./alert.js')).alert, options: async () => (await import('./alert.js')).options },
  install: { summary: 'install systemd|termux: schedule authwatch on this machine', words: ['systemd', 'termux'], load: async () => (await import('./install.js')).install, options: async () => (await import('./install.js')).options },
  uninstall: { summary: 'uninstall systemd|termux: undo install', words: ['systemd', 'termux'], load: async () => (await import('./install.js')).uninstall, options: async () => (await import('./install.js')).options },
  'migrate-openclaw-monitor': {
    summary: "print an authwatch config equivalent to OpenClaw's old auth monitor",
    load: async () => (await import('./migrate-monitor.js')).migrateMonitor,
    options: async () => helpOnly,
  },
  daemon: { summary: 'check on a schedule; serve /metrics, /healthz, /health/auth and /status', load: async () => (await import('./daemon.js')).daemon, options: async () => (await import('./daemon.js')).options },
  completion: {
    summary: 'completion bash|zsh: print a shell completion script',
    words: ['bash', 'zsh'],
    load: async () => {
      const { completion } = await import('./completion.js');
      return (argv) => completion(argv, commands);
    },
    options: async () => helpOnly,
  },
  gateway: {
    summary: 'gateway pair: pair authwatch with an OpenClaw gateway (read-only)',
    load: async () => (await import('./gateway.js')).gateway,
    options: async () => (await import('./gateway.js')).options,
  },
};

function version(): string {
  return packageJson.version;
}

function usage(): string {
  const lines = Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`);
  return `authwatch ${version()} — watches AI-gateway credentials before they expire

Usage: authwatch <command> [options]     (authwatch <command> --help for its options)

Commands:
${lines.join('\n')}

Exit codes: 0 all ok, 1 expired/missing/unreadable, 2 expiring soon, 3 could not run.
`;
}

function logLevelOf(argv: readonly string[]): string | undefined {
  const at = argv.findIndex((arg) => arg === '--log-level' || arg.startsWith('--log-level='));
  if (at < 0) return undefined;
  return argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1];
}

/** Runs one command line and returns the exit code; the one place errors are turned into messages. */
export async function run(argv: string[]): Promise<ExitCode> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
      writeStdout(usage());
      return name === undefined ? ExitCode.CouldNotRun : ExitCode.Ok;
    }
    if (name === '--version' || name === '-v') {
      writeStdout(`${version()}\n`);
      return ExitCode.Ok;
    }
    const command = commands[name];
    if (!command) throw new AuthwatchError(`unknown command ${quoteArgument(name)}`, { hint: 'run `authwatch --help`' });
    return await (await command.load())(rest);
  } catch (error) {
    if (error instanceof AuthwatchError) {
      writeStderr(`authwatch: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`);
      return error.exitCode;
    }
    // A bug, not a user error. Its message could quote input (a credential, even), so only
    // its kind is printed unless debugging was asked for.
    const debugging = /^(debug|trace)$/i.test(logLevelOf(argv) ?? process.env.LOG_LEVEL ?? '');
    const detail = debugging && error instanceof Error ? `\n${error.stack}` : '\nhint: run again with --log-level debug to see where it happened';
    writeStderr(`authwatch: unexpected ${error instanceof Error ? error.name : 'error'} — this is a bug, please report it${detail}\n`);
    return ExitCode.CouldNotRun;
  }
}
