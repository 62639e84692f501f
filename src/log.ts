import { pino, type Logger } from 'pino';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

/**
 * JSON logs on stderr, written synchronously so a short-lived check loses nothing on exit and
 * stdout stays clean for the table or JSON. Secret-looking keys are censored as a second line
 * of defence; sources never hand secrets to the logger in the first place.
 */
export function createLogger(level: LogLevel): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: {
        paths: ['*.token', '*.key', '*.apiKey', '*.access', '*.refresh', '*.password', '*.secret', 'token', 'key', 'password', 'secret'],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: 2, sync: true }),
  );
}
