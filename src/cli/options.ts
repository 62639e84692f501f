import { homedir } from 'node:os';
import { locateConfig, loadConfig, type LoadedConfig } from '../config/load.js';
import { durationHint, parseDuration } from '../core/duration.js';
import { AuthwatchError } from '../core/errors.js';
import { createLogger, logLevels, type LogLevel } from '../core/log.js';
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
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new AuthwatchError(`${flag !== undefined ? '--now' : 'AUTHWATCH_NOW'}: expected an ISO-8601 time like 2026-11-24T12:00:00Z`);
  }
  return ms;
}

export function resolveWarn(flag: string | undefined): number | undefined {
  if (flag === undefined) return undefined;
  const ms = parseDuration(flag);
  if (ms === undefined || ms <= 0) throw new AuthwatchError(`--warn: expected ${durationHint}`);
  return ms;
}

/** `value` if it is one of `allowed`, else an error naming the flag (or variable) and the choices. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], name: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new AuthwatchError(`${name}: expected one of ${allowed.join(', ')}`);
  return value as T;
}

export function resolveLogLevel(flag: string | undefined, env: NodeJS.ProcessEnv): LogLevel {
  return oneOf((flag ?? (env.LOG_LEVEL?.trim() || 'warn')).toLowerCase(), logLevels, flag !== undefined ? '--log-level' : 'LOG_LEVEL');
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
