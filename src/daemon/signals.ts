/** The daemon's signals, caught from its first moment and held until it can act on them. */
export interface DaemonSignals {
  /** The stop signal (SIGTERM or SIGINT) received so far, `null` before one came. */
  readonly stopSignal: string | null;
  /** Resolves with the first stop signal. */
  readonly stopped: Promise<string>;
  /** Calls `handler` on every SIGHUP from now on, and once at once for any that came before. */
  onHangup(handler: () => void): void;
}

/**
 * Installs the handlers before the daemon does any work: without them a SIGHUP (a reload)
 * kills Node — a death systemd counts as clean and does not restart — and a SIGTERM cuts a
 * delivery short before its state is saved. The handlers stay for the life of the process, so
 * a second SIGTERM during the shutdown cannot do that either.
 */
export function trapSignals(): DaemonSignals {
  let stopSignal: string | null = null;
  let onStop: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (onStop = resolve));
  let hangups = 0;
  let hangupHandler: (() => void) | null = null;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stopSignal ??= signal;
      onStop(signal);
    });
  }
  // Last, so a caught SIGHUP (visible in /proc/<pid>/status) means all of them are in place.
  process.on('SIGHUP', () => {
    if (hangupHandler) hangupHandler();
    else hangups++;
  });
  return {
    get stopSignal() {
      return stopSignal;
    },
    stopped,
    onHangup(handler) {
      hangupHandler = handler;
      if (hangups > 0) handler();
      hangups = 0;
    },
  };
}
