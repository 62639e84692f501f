/** Exit codes of `authwatch check`; 0/1/2 match `openclaw models status --check`. */
export const ExitCode = {
  Ok: 0,
  ExpiredOrMissing: 1,
  Expiring: 2,
  CouldNotRun: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the user can act on: printed as one line (plus an optional hint), never with a
 * stack trace. Anything else that escapes to the CLI entry is a bug and prints its stack.
 */
export class AuthwatchError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;

  constructor(message: string, options: { hint?: string; exitCode?: ExitCode } = {}) {
    super(message);
    this.name = 'AuthwatchError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.CouldNotRun;
  }
}
