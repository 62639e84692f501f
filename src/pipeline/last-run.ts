import { homedir } from 'node:os';
import { join } from 'node:path';
import { AuthwatchError, ExitCode } from '../core/errors.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { parseJsonText } from '../core/files.js';
import { readObject, type Read } from '../core/json-reader.js';
import { scrub } from '../core/scrub.js';
import { makeStateDirectory, readStateFile, stateDirectory } from '../core/state-dir.js';
import { isTerminal } from '../core/terminal.js';

// What the last check or daemon run did (`last-run.json` in the state dir), for `authwatch
// status`. Apart from the alert state: the state decides what is sent, this only reports.
// Never holds a secret: errors are scrubbed, the metrics route is shown as messages show URLs.

export interface ChannelRun {
  result: string;
  notices: number;
  /** Notices still owed after the run: failed, backing off, or held by quiet hours. */
  owed: number;
  error: string | null;
}

export interface LastRun {
  version: 1;
  command: 'check' | 'daemon';
  /** Epoch ms of the real clock (not `--now`), when the run ended. */
  finishedAt: number;
  durationMs: number;
  exitCode: number;
  /** The credentials' overall status; null when the run ended before judging them. */
  status: string | null;
  /** Why the run could not run (exit 3), in one line. */
  error: string | null;
  /** Per alert channel, what this run did; null when it had none or did not get that far. */
  channels: Record<string, ChannelRun> | null;
  /** `textfile <path>`, `pushgateway <url>`, `daemon /metrics`, or null. */
  metrics: string | null;
  /** Started from a terminal (a check by hand), not by a timer, job, cron or daemon; absent in older records. */
  byHand?: boolean;
  /** Per heartbeat target, whether this run's pings got through; null when it had none (or an older record). */
  heartbeats: Record<string, HeartbeatRun> | null;
}

export interface HeartbeatRun {
  result: string;
  error: string | null;
}

const fileName = 'last-run.json';

export function lastRunPath(env: NodeJS.ProcessEnv, home: string): string {
  return join(stateDirectory(env, home), fileName);
}

/**
 * Records the run. Reporting must never cost the run itself: a state dir that cannot be
 * written is left to the alert state (which says so) and this record is skipped.
 */
export function saveLastRun(env: NodeJS.ProcessEnv, home: string, run: Omit<LastRun, 'version'>): void {
  try {
    makeStateDirectory(stateDirectory(env, home));
    const channels = run.channels && Object.fromEntries(Object.entries(run.channels).map(([name, c]) => [name, { ...c, error: c.error === null ? null : scrub(c.error) }]));
    const heartbeats = run.heartbeats && Object.fromEntries(Object.entries(run.heartbeats).map(([name, h]) => [name, { ...h, error: h.error === null ? null : scrub(h.error) }]));
    const record: LastRun = { version: 1, ...run, channels, heartbeats, error: run.error === null ? null : scrub(run.error) };
    writeFileAtomic(lastRunPath(env, home), `${JSON.stringify(record)}\n`, { mode: 0o600, durable: false });
  } catch {
    // see above
  }
}

function readLastRun(document: unknown): Read<LastRun> {
  return readObject(document, (run) => {
    if (run.fields.version !== 1) run.problems.add(run.at('version'), 'Invalid input: expected 1');
    const command = run.requiredString('command');
    if (command !== 'check' && command !== 'daemon') run.problems.expected(run.at('command'), 'check or daemon', command);
    return {
      version: 1,
      command: command as LastRun['command'],
      finishedAt: run.requiredTime('finishedAt'),
      durationMs: run.requiredNumber('durationMs'),
      exitCode: run.requiredNumber('exitCode'),
      status: run.stringOrNull('status') ?? null,
      error: run.stringOrNull('error') ?? null,
      channels:
        run.fields.channels === null
          ? null
          : run.mapOf('channels', (channel) => ({
            result: channel.requiredString('result'),
            notices: channel.requiredNumber('notices'),
            owed: channel.requiredNumber('owed'),
            error: channel.stringOrNull('error') ?? null,
          })),
      metrics: run.stringOrNull('metrics') ?? null,
      ...(typeof run.fields.byHand === 'boolean' ? { byHand: run.fields.byHand } : {}),
      heartbeats:
        run.fields.heartbeats === undefined || run.fields.heartbeats === null
          ? null
          : run.mapOf('heartbeats', (heartbeat) => ({ result: heartbeat.requiredString('result'), error: heartbeat.stringOrNull('error') ?? null })),
    };
  });
}

/** The last run, `absent` when none was recorded, or `unreadable` with the problem. */
export function loadLastRun(env: NodeJS.ProcessEnv, home: string): { kind: 'run'; run: LastRun } | { kind: 'absent' } | { kind: 'unreadable'; problem: string } {
  let text: string | null;
  try {
    text = readStateFile(stateDirectory(env, home), fileName, 'run record');
  } catch (error) {
    return { kind: 'unreadable', problem: (error as Error).message };
  }
  if (text === null) return { kind: 'absent' };
  const json = parseJsonText(text);
  if (!json.ok) return { kind: 'unreadable', problem: json.message };
  const read = readLastRun(json.value);
  return read.ok ? { kind: 'run', run: read.value } : { kind: 'unreadable', problem: read.problems.join('; ') };
}

/** What a run learns on its way, for its record. */
export interface RunNotes {
  status: string | null;
  channels: Record<string, ChannelRun> | null;
  heartbeats: Record<string, HeartbeatRun> | null;
  metrics: string | null;
}

/** Runs `work` and records how it ended — a failure too (then rethrown), with its exit code and message. */
export async function recordRun<T extends number>(command: LastRun['command'], notes: RunNotes, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  let exitCode: number = ExitCode.CouldNotRun;
  let error: string | null = null;
  try {
    const code = await work();
    exitCode = code;
    return code;
  } catch (thrown) {
    // A bug's message could quote input: only its kind, as run.ts prints it.
    error = thrown instanceof AuthwatchError ? thrown.message : `unexpected ${thrown instanceof Error ? thrown.name : 'error'}`;
    if (thrown instanceof AuthwatchError) exitCode = thrown.exitCode;
    throw thrown;
  } finally {
    const byHand = isTerminal(0) || isTerminal(1);
    saveLastRun(process.env, homedir(), { command, finishedAt: Date.now(), durationMs: Date.now() - started, exitCode, error, ...notes, byHand });
  }
}

/** A run's channel outcomes as the record keeps them. */
export function channelRuns(
  outcomes: readonly { channel: string; result: string; notices: number; error?: string }[],
  pending: ReadonlyMap<string, number>,
): Record<string, ChannelRun> {
  return Object.fromEntries(outcomes.map(({ channel, result, notices, error }) => [channel, { result, notices, owed: pending.get(channel) ?? 0, error: error ?? null }]));
}

/** A run's heartbeat outcomes as the record keeps them. */
export function heartbeatRuns(outcomes: readonly { name: string; result: string; error: string | null }[]): Record<string, HeartbeatRun> {
  return Object.fromEntries(outcomes.map(({ name, result, error }) => [name, { result, error }]));
}
