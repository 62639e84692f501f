import { createRequire } from 'node:module';
import type { Logger as PinoLogger } from 'pino';
import { scrub } from './scrub.js';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/** The part of pino's logger authwatch uses; a real pino logger satisfies it too. */
export type Logger = Pick<PinoLogger, 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace'> & {
  isLevelEnabled(level: string): boolean;
};

const levelValues: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
type Method = Exclude<LogLevel, 'silent'>;

/**
 * JSON logs (pino) on stderr, written synchronously so a short-lived check loses nothing on
 * exit and stdout stays clean for the table or JSON. pino itself is loaded only when the first
 * line at an enabled level is written: a quiet `check` on a phone never pays for it.
 * Secret-looking keys are censored as a second line of defence; sources never hand secrets
 * to the logger in the first place.
 */
export function createLogger(level: LogLevel): Logger {
  let real: PinoLogger | undefined;
  const threshold = levelValues[level];
  const method = (name: Method) =>
    ((...args: unknown[]) => {
      if (levelValues[name] < threshold) return;
      real ??= createPino(level);
      (real[name] as (...a: unknown[]) => void)(...args);
    }) as PinoLogger[Method];
  return {
    fatal: method('fatal'),
    error: method('error'),
    warn: method('warn'),
    info: method('info'),
    debug: method('debug'),
    trace: method('trace'),
    isLevelEnabled: (name: string) => (levelValues[name as LogLevel] ?? Infinity) >= threshold,
  };
}

function createPino(level: LogLevel): PinoLogger {
  // A plain require keeps pino out of the start-up path (and out of the bundle).
  const { pino } = createRequire(import.meta.url)('pino') as typeof import('pino');
  return pino(
    {
      level,
      base: { pid: process.pid },
      // Every line, whatever it quotes, passes the run's scrubber on its way out.
      hooks: { streamWrite: scrub },
      redact: {
        paths: ['*.token', '*.key', '*.apiKey', '*.access', '*.refresh', '*.password', '*.secret', 'token', 'key', 'password', 'secret'],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}
