// What a heartbeat target is told; nothing here may import the report (the config's schema loads the targets).

/** What one target is told at the end of a run. Never holds a secret (it is scrubbed again on the way out). */
export interface HeartbeatVerdict {
  failed: boolean;
  /** One line: the worst provider and why. */
  line: string;
  /** A few lines for receivers that keep a body (Healthchecks): the line, each provider, the exit code. */
  body: string;
  exitCode: number;
  durationMs: number;
  /** Pairs the start and end pings of one run (Healthchecks' `rid`). */
  runId: string;
}

export interface Heartbeat {
  /** When the run begins; targets that have no start signal do nothing. */
  start(runId: string): Promise<void>;
  finish(verdict: HeartbeatVerdict): Promise<void>;
}
