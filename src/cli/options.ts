import { homedir } from 'node:os';
import { locateConfig, loadConfig, type LoadedConfig } from '../config/load.js';
import { durationHint, parseDuration } from '../core/duration.js';
import { AuthwatchError } from '../core/errors.js';
import { isoProblemText, parseIsoInstant } from '../core/iso-time.js';
import { createLogger, logLevels, type LogLevel } from '../core/log.js';
import type { PushTarget } from '../outputs/pushgateway.js';
import { ArgumentError, parseOptions, type OptionSpec } from './args.js';

/** Options every command understands. */
export const commonOptions = {
  config: { type: 'string' },
  now: { type: 'string' },
  'log-level': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** The command's arguments, or an error naming the command and the argument that does not fit. */
export function parseCommandArgs<T extends OptionSpec>(command: string, argv: string[], options: T, allowPositionals = false) {
  try {
    return parseOptions(argv, options, allowPositionals);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    throw new AuthwatchError(`${command}: ${error.message}`, { hint: `run \`authwatch ${command} --help\`` });
  }
}

/** `--now` / `$AUTHWATCH_NOW` (ISO-8601) or the real clock, as epoch ms. */
export function resolveNow(flag: string | undefined, env: NodeJS.ProcessEnv): number {
  const text = flag ?? (env.AUTHWATCH_NOW?.trim() || undefined);
  if (text === undefined) return Date.now();
  const parsed = parseIsoInstant(text, true);
  if (parsed.ok) return parsed.ms;
  const what = flag !== undefined ? '--now' : 'AUTHWATCH_NOW';
  throw new AuthwatchError(
    parsed.problem === 'not-iso' ? `${what}: expected an ISO-8601 time like 2026-11-24T12:00:00Z` : `${what}: ${isoProblemText(parsed.problem, text)}`,
  );
}

export function resolveWarn(flag: string | undefined): number | undefined {
  if (flag === undefined) return undefined;
  const ms = parseDuration(flag);
  if (ms === 0 || /^0+(\.0+)?$/.test(flag.trim())) throw new AuthwatchError('--warn: 0 would never warn before an expiry: give a positive window like 24h (1m for the shortest)');
  if (ms === undefined && /^\d+(\.\d+)?$/.test(flag.trim())) throw new AuthwatchError(`--warn: a duration needs its unit: ${flag.trim()}h, ${flag.trim()}d or ${flag.trim()}m`);
  if (ms === undefined || ms < 0) throw new AuthwatchError(`--warn: expected ${durationHint}`);
  return ms;
}

/** `value` if it is one of `allowed`, else an error naming the flag (or variable) and the choices. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new AuthwatchError(`${name}: expected one of ${allowed.join(', ')}`);
  return value as T;
}

function resolveLogLevel(flag: string | undefined, env: NodeJS.ProcessEnv): LogLevel {
  return oneOf((flag ?? (env.LOG_LEVEL?.trim() || 'warn')).toLowerCase(), logLevels, flag !== undefined ? '--log-level' : 'LOG_LEVEL');
}

/**
 * `--push URL` with the Pushgateway's Basic auth from the environment: `$AUTHWATCH_PUSH_USER`
 * and the password from `$AUTHWATCH_PUSH_PASSWORD_FILE` (a bare name is looked up in systemd's
 * `$CREDENTIALS_DIRECTORY`) or `$AUTHWATCH_PUSH_PASSWORD`. A password in the URL itself is
 * refused: every user on the host can read a command line in /proc.
 */
export async function resolvePush(flag: string, env: NodeJS.ProcessEnv): Promise<PushTarget> {
  let url: URL | null = null;
  try {
    url = new URL(flag);
  } catch {
    // pushMetrics says what is wrong with it
  }
  if (url && (url.username || url.password)) {
    throw new AuthwatchError('--push: never put credentials in the URL (any user can read a command line): give the URL without user:password@', {
      hint: 'set AUTHWATCH_PUSH_USER and AUTHWATCH_PUSH_PASSWORD_FILE (a file holding the password) or AUTHWATCH_PUSH_PASSWORD',
    });
  }
  const user = env.AUTHWATCH_PUSH_USER?.trim();
  const file = env.AUTHWATCH_PUSH_PASSWORD_FILE?.trim();
  if (!user) {
    if (file || env.AUTHWATCH_PUSH_PASSWORD) throw new AuthwatchError('AUTHWATCH_PUSH_USER: not set, but a Pushgateway password is: set the user name too');
    return { url: flag };
  }
  const { readSecret } = await import('../config/read-secret.js');
  const password = file
    ? await readSecret({ file }, 'AUTHWATCH_PUSH_PASSWORD_FILE', env)
    : await readSecret({ env: 'AUTHWATCH_PUSH_PASSWORD' }, 'the Pushgateway password (AUTHWATCH_PUSH_PASSWORD_FILE or AUTHWATCH_PUSH_PASSWORD)', env);
  return { url: flag, basic: { user, password } };
}

export interface CommonSetup {
  env: NodeJS.ProcessEnv;
  home: string;
  now: number;
  loaded: LoadedConfig;
  log: ReturnType<typeof createLogger>;
}

/** Clock, logger and config, shared by every command that runs a check. */
export async function commonSetup(values: { config?: string; now?: string; 'log-level'?: string }): Promise<CommonSetup> {
  const env = process.env;
  const home = homedir();
  const log = createLogger(resolveLogLevel(values['log-level'], env));
  const now = resolveNow(values.now, env);
  const loaded = await loadConfig(locateConfig(values.config, env, home));
  log.debug({ config: loaded.path ?? '(defaults)' }, 'config loaded');
  return { env, home, now, loaded, log };
}
