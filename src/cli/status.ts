import { readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadState } from '../alerts/store.js';
import { stateDirectory } from '../core/state-dir.js';
import type { AlertState } from '../alerts/decide.js';
import { locateConfig, loadConfig, type LoadedConfig } from '../config/load.js';
import { formatLocalTime, formatSpan } from '../core/duration.js';
import { AuthwatchError, ExitCode } from '../core/errors.js';
import { maxCredentialFileBytes, maxUnitFileBytes, pathExists, readBoundedText } from '../core/files.js';
import { createLogger } from '../core/log.js';
import { runProgram } from '../core/run-program.js';
import { termuxFiles } from '../install/termux.js';
import { lastRunPath, loadLastRun, type LastRun } from '../pipeline/last-run.js';
import { stateDatabasePath } from '../sources/openclaw-db.js';
import { openclawConfigPath, stateDirs } from '../sources/openclaw-paths.js';
import { pendingPairingOf } from '../sources/gateway-device.js';
import { urlForMessages } from '../core/scrub.js';
import { commonOptions, parseCommandArgs, resolveNow } from './options.js';
import { writeStdout } from './stdout.js';

const statusUsage = `Usage: authwatch status [--json] [--config FILE]

Answers "is my monitoring working?": the config in use, the state dir, the last run and its
result, what each alert channel still owes and when it tries again, the installed launchers
(systemd units and the timer's next run, the Termux job), the metrics route and the OpenClaw
homes found. Exits 0 when monitoring works, 1 when it is broken (no run recorded, none in
3 schedule periods, the last run could not run, a channel failing, the config unreadable) or
incomplete (nothing runs the check on a schedule; no channel and no metrics tell anyone).

Options:
  --json            one JSON document instead of the text
  --config FILE     config file (default $AUTHWATCH_CONFIG or ~/.config/authwatch/config.json5)
  --now ISO-8601    judge the last run's age as if it were this time
  -h, --help        this help
`;

export const options = { ...commonOptions, json: { type: 'boolean' } } as const;

interface ChannelStatus {
  name: string;
  type: string;
  /** What the last run did on this channel (sent, failed, waiting, idle), if it recorded it. */
  lastResult: string | null;
  owed: number | null;
  failures: number;
  nextAttemptAt: number | null;
  lastError: string | null;
}

interface Launcher {
  kind: 'systemd-user' | 'systemd-system' | 'termux';
  unit: string;
  path: string;
  /** The arguments authwatch is started with (`check --textfile …`, `daemon`). */
  command: string | null;
  /** When systemd starts it next (timers), as systemd says it; or why that is not known. */
  next: string | null;
}

interface OpenclawHome {
  dir: string;
  legacy: boolean;
  layout: string[];
  agents: string[];
  version: string | null;
}

interface StatusFacts {
  config: { path: string | null; error: string | null };
  stateDir: string;
  lastRun: LastRun | null;
  lastRunProblem: string | null;
  /** How often a run is expected: the config's schedule. */
  intervalMs: number;
  channels: ChannelStatus[];
  launchers: Launcher[];
  metrics: string | null;
  openclaw: OpenclawHome[];
  /** Gateways waiting to approve authwatch's device (src/sources/gateway-device.ts). */
  gatewayPairing: { url: string; requestId: string | null; since: number }[];
}

/** What makes monitoring broken, in words a user can act on; none when it works. Pure. */
function problemsOf(facts: StatusFacts, now: number): string[] {
  const problems: string[] = [];
  if (facts.config.error) problems.push(`the config cannot be used: ${facts.config.error}`);
  const run = facts.lastRun;
  if (!run) problems.push(facts.lastRunProblem ?? 'no run recorded yet: run `authwatch check`, or install a launcher (`authwatch install systemd|termux`)');
  else {
    if (run.finishedAt - now > 3_600_000) {
      problems.push(`the last run says it finished ${formatSpan(run.finishedAt - now)} from now: is the clock right? (the next run records it again)`);
    } else if (now - run.finishedAt > 3 * facts.intervalMs) {
      problems.push(`no run for ${formatSpan(now - run.finishedAt)} (expected every ${formatSpan(facts.intervalMs)}): is the timer or daemon running?`);
    }
    if (run.exitCode === ExitCode.CouldNotRun && run.error) problems.push(`the last run could not run: ${run.error}`);
  }
  for (const { url, requestId } of facts.gatewayPairing) {
    problems.push(`pairing pending: the gateway ${urlForMessages(url)} has not approved authwatch's device yet; on the gateway host run \`${requestId ? `openclaw devices approve ${requestId}` : 'openclaw devices list'}\``);
  }
  for (const channel of facts.channels) {
    if (channel.failures > 0 || channel.lastResult === 'failed') {
      problems.push(`alert channel ${channel.name} is failing${channel.lastError ? `: ${channel.lastError}` : ''} (try \`authwatch alert test --channel ${channel.name}\`)`);
    }
  }
  for (const [name, heartbeat] of Object.entries(run?.heartbeats ?? {})) {
    if (heartbeat.result === 'failed') problems.push(`heartbeat ${name} failed on the last run${heartbeat.error ? `: ${heartbeat.error}` : ''} (its service will report a missed ping; check the ping URL and that the service is reachable)`);
  }
  return problems;
}

/**
 * What keeps monitoring from happening though nothing is broken: no schedule runs the check
 * (one manual `authwatch check` proves the config, not the watching), and nobody hears of
 * trouble (no channel, no metrics for Prometheus to alert on). Pure.
 */
function gapsOf(facts: StatusFacts): { short: string; fix: string }[] {
  const gaps: { short: string; fix: string }[] = [];
  // A run not from a terminal came from something that schedules it (cron too): only a check
  // by hand with no launcher installed is known to be the only one.
  if (facts.launchers.length === 0 && facts.lastRun?.byHand === true) {
    gaps.push({
      short: 'nothing runs the check on a schedule',
      fix: 'the last run was by hand, and no timer, Termux job or daemon is installed: `authwatch install systemd` (or `install termux`, or run `authwatch daemon`)',
    });
  }
  if (facts.channels.length === 0 && facts.metrics === null) {
    gaps.push({ short: 'nobody is told of trouble', fix: 'no alert channel and no metrics: add a channel to the config (docs/alerts.md), or export metrics for Prometheus (--textfile, --push, the daemon)' });
  }
  return gaps;
}

export async function status(argv: string[]): Promise<ExitCode> {
  const { values } = parseCommandArgs('status', argv, options);
  if (values.help) {
    writeStdout(statusUsage);
    return ExitCode.Ok;
  }
  const env = process.env;
  const home = homedir();
  const now = resolveNow(values.now, env);
  const facts = await gather(env, home, values.config);
  const problems = problemsOf(facts, now);
  const gaps = gapsOf(facts);
  const ok = problems.length === 0 && gaps.length === 0;
  writeStdout(values.json ? `${JSON.stringify({ ok, problems, missing: gaps.map((gap) => `${gap.short}: ${gap.fix}`), ...facts }, null, 2)}\n` : render(facts, problems, gaps, now));
  return ok ? ExitCode.Ok : ExitCode.ExpiredOrMissing;
}

async function gather(env: NodeJS.ProcessEnv, home: string, configFlag: string | undefined): Promise<StatusFacts> {
  const location = locateConfig(configFlag, env, home);
  let loaded: LoadedConfig | null = null;
  let configError: string | null = null;
  try {
    loaded = await loadConfig(location);
  } catch (error) {
    if (!(error instanceof AuthwatchError)) throw error;
    configError = error.message;
  }
  const stateDir = stateDirectory(env, home);
  const last = loadLastRun(env, home);
  const channels = loaded ? await channelStatuses(loaded, stateDir, last.kind === 'run' ? last.run : null) : [];
  const launchers = await findLaunchers(env, home);
  const lastRun = last.kind === 'run' ? last.run : null;
  const unitRoute = launchers.map((l) => /--textfile\s+(\S+)/.exec(l.command ?? '')?.[1]).find(Boolean);
  return {
    config: { path: configError ? location.path : (loaded?.path ?? null), error: configError },
    stateDir,
    lastRun,
    lastRunProblem: last.kind === 'unreadable' ? `the run record ${lastRunPath(env, home)} is unreadable (${last.problem}): the next run replaces it` : null,
    intervalMs: await periodOf(loaded?.config.schedule),
    channels,
    launchers,
    metrics: lastRun?.metrics ?? (unitRoute ? `textfile ${unitRoute}` : launchers.some((l) => l.command?.startsWith('daemon')) ? 'daemon /metrics' : null),
    openclaw: openclawHomes(env, home),
    gatewayPairing: pendingPairings(stateDir),
  };
}

/** The device files in the state dir that record a pairing request still waiting. */
function pendingPairings(stateDir: string): StatusFacts['gatewayPairing'] {
  let names: string[];
  try {
    names = readdirSync(stateDir).filter((name) => /^gateway-device-[0-9a-f]{12}\.json$/.test(name));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const read = readBoundedText(join(stateDir, name), maxCredentialFileBytes);
    if (read.kind !== 'ok') return [];
    const pending = pendingPairingOf(read.text);
    return pending ? [{ url: urlForMessages(pending.url), requestId: pending.pairing.requestId, since: pending.pairing.since }] : [];
  });
}

const quarterHour = 15 * 60_000;

/** The schedule's period: the gap between its next two runs (the timer and the Termux job run every 15 minutes too). */
async function periodOf(schedule: string | undefined): Promise<number> {
  if (schedule === undefined) return quarterHour;
  const { Cron } = await import('croner');
  try {
    const [first, second] = new Cron(schedule, { paused: true }).nextRuns(2);
    return first && second ? second.getTime() - first.getTime() : quarterHour;
  } catch {
    return quarterHour; // the daemon refuses a bad schedule itself
  }
}

async function channelStatuses(loaded: LoadedConfig, stateDir: string, run: LastRun | null): Promise<ChannelStatus[]> {
  let state: AlertState | null = null;
  try {
    // Read like every run reads it; a state that does not read is no channel's failure here.
    state = await loadState(stateDir, createLogger('silent'), Date.now());
  } catch {
    state = null;
  }
  return loaded.config.channels.map((channel) => {
    const memory = state?.channels[channel.name];
    const recorded = run?.channels?.[channel.name];
    return {
      name: channel.name,
      type: channel.type,
      lastResult: recorded?.result ?? null,
      owed: recorded?.owed ?? null,
      failures: memory?.failures ?? 0,
      nextAttemptAt: memory?.retryAt ?? null,
      lastError: memory?.lastError ?? recorded?.error ?? null,
    };
  });
}

const unitNames = ['authwatch-check.timer', 'authwatch-check.service', 'authwatch.service'];

async function findLaunchers(env: NodeJS.ProcessEnv, home: string): Promise<Launcher[]> {
  const dirs = [
    { kind: 'systemd-user' as const, dir: join(env.XDG_CONFIG_HOME?.trim() || join(home, '.config'), 'systemd', 'user') },
    { kind: 'systemd-system' as const, dir: '/etc/systemd/system' },
  ];
  const launchers: Launcher[] = [];
  for (const { kind, dir } of dirs) {
    for (const unit of unitNames) {
      const path = join(dir, unit);
      if (!pathExists(path)) continue;
      const next = unit.endsWith('.timer') ? await nextElapse(kind, unit) : null;
      launchers.push({ kind, unit, path, command: unit.endsWith('.service') ? commandOf(path) : null, next });
    }
  }
  const { job } = termuxFiles(home);
  if (pathExists(job)) launchers.push({ kind: 'termux', unit: 'termux-job-scheduler job', path: job, command: commandOf(job), next: 'every 15 minutes (termux-job-scheduler -p lists it)' });
  return launchers;
}

/** `check --textfile /x.prom` from a unit's ExecStart or the Termux job's check line. */
function commandOf(path: string): string | null {
  // A FIFO or /dev/zero in its place must not hang status (its whole point is to answer).
  const read = readBoundedText(path, maxUnitFileBytes);
  if (read.kind !== 'ok') return null;
  const match = /(?:^ExecStart=|\$\().*?\s((?:check|daemon)\b[^\n]*)/m.exec(read.text);
  return match ? match[1]!.replace(/\s*2>>.*$/, '').trim() : null;
}

/** How long systemctl may take to answer (a hung bus must not hang status). */
const systemctlTimeoutMs = 3000;

async function nextElapse(kind: Launcher['kind'], unit: string): Promise<string> {
  const command = ['systemctl', ...(kind === 'systemd-user' ? ['--user'] : []), 'show', unit, '--property=NextElapseUSecRealtime,ActiveState'];
  try {
    const { stdout } = await runProgram(command, systemctlTimeoutMs, 64 * 1024);
    const fields = Object.fromEntries(stdout.split('\n').map((line) => line.split('=', 2) as [string, string]));
    if (fields.ActiveState !== 'active') return `not active (${fields.ActiveState || 'unknown'}): systemctl ${kind === 'systemd-user' ? '--user ' : ''}enable --now ${unit}`;
    return fields.NextElapseUSecRealtime ? `next run ${fields.NextElapseUSecRealtime}` : 'active, next run not known';
  } catch (error) {
    const failure = error as NodeJS.ErrnoException & { killed?: boolean; stderr?: string };
    if (failure.code === 'ENOENT') return 'unknown: systemctl not found';
    if (failure.killed) return `unknown: systemctl did not answer within ${systemctlTimeoutMs / 1000}s`;
    return `unknown: systemctl says ${(failure.stderr ?? '').trim().split('\n')[0] || `exit ${failure.code}`}`;
  }
}

function openclawHomes(env: NodeJS.ProcessEnv, home: string): OpenclawHome[] {
  const context = { env, home, now: Date.now(), agent: null };
  return stateDirs(context)
    .filter(({ dir }) => pathExists(dir))
    .map(({ dir, legacy }) => {
      let agents: string[] = [];
      try {
        agents = readdirSync(join(dir, 'agents')).filter((id) => pathExists(join(dir, 'agents', id, 'agent'))).sort();
      } catch {
        // no agents dir
      }
      const layout = [
        ...(pathExists(stateDatabasePath(dir)) ? ['state DB'] : []),
        ...(agents.some((id) => pathExists(join(dir, 'agents', id, 'agent', 'openclaw-agent.sqlite'))) ? ['agent DBs'] : []),
        ...(agents.some((id) => pathExists(join(dir, 'agents', id, 'agent', 'auth-profiles.json'))) ? ['JSON stores'] : []),
        ...(pathExists(join(dir, 'agent', 'auth-profiles.json')) ? ['pre-multi-agent store'] : []),
      ];
      return { dir, legacy, layout, agents, version: legacy ? null : versionOf(openclawConfigPath(context)) };
    });
}

/** OpenClaw writes the version that last touched its config in `meta.lastTouchedVersion`. */
function versionOf(configPath: string): string | null {
  const read = readBoundedText(configPath, maxCredentialFileBytes);
  return read.kind === 'ok' ? (/"?lastTouchedVersion"?\s*:\s*"([^"]{1,40})"/.exec(read.text)?.[1] ?? null) : null;
}

function ago(now: number, at: number): string {
  if (Math.abs(now - at) < 60_000) return at <= now ? 'just now' : 'within a minute';
  return at <= now ? `${formatSpan(now - at)} ago` : `in ${formatSpan(at - now)}`;
}

/** The first line: broken, else what is missing, else working. */
function headline(problems: readonly string[], gaps: ReturnType<typeof gapsOf>): string {
  if (problems.length > 0) return `authwatch status: BROKEN (${problems.length} problem${problems.length > 1 ? 's' : ''})`;
  if (gaps.length > 0) return `authwatch status: NOT MONITORING: ${gaps.map((gap) => gap.short).join(', and ')}`;
  return 'authwatch status: monitoring is working';
}

function render(facts: StatusFacts, problems: string[], gaps: ReturnType<typeof gapsOf>, now: number): string {
  const lines: string[] = [headline(problems, gaps), ''];
  const row = (label: string, value: string) => lines.push(`${label.padEnd(11)}${value}`);
  row('config', facts.config.path ?? '(none: defaults)');
  row('state dir', facts.stateDir);
  const run = facts.lastRun;
  row(
    'last run',
    run
      ? `${run.command}, ${ago(now, run.finishedAt)} (${formatLocalTime(run.finishedAt)}), exit ${run.exitCode}${run.status ? ` (${run.status})` : ''}, ${Math.round(run.durationMs)} ms; expected every ${formatSpan(facts.intervalMs)}`
      : 'none recorded',
  );
  if (facts.channels.length === 0) row('channels', 'none configured');
  for (const [i, channel] of facts.channels.entries()) {
    const parts = [
      `${channel.name} (${channel.type})`,
      channel.lastResult ? `last run: ${channel.lastResult}` : null,
      channel.owed ? `owes ${channel.owed}` : null,
      channel.failures > 0 ? `${channel.failures} failure${channel.failures > 1 ? 's' : ''}` : null,
      channel.nextAttemptAt !== null ? `next attempt ${ago(now, channel.nextAttemptAt)}` : null,
      channel.lastError ? `last error: ${channel.lastError}` : null,
    ];
    row(i === 0 ? 'channels' : '', parts.filter(Boolean).join(', '));
  }
  for (const [i, [name, heartbeat]] of Object.entries(run?.heartbeats ?? {}).entries()) {
    row(i === 0 ? 'heartbeats' : '', `${name}: last run ${heartbeat.result}${heartbeat.error ? `, ${heartbeat.error}` : ''}`);
  }
  if (facts.launchers.length === 0) row('launchers', 'none installed (authwatch install systemd|termux)');
  for (const [i, launcher] of facts.launchers.entries()) {
    row(i === 0 ? 'launchers' : '', `${launcher.kind} ${launcher.unit}: ${launcher.path}${launcher.command ? ` (${launcher.command})` : ''}${launcher.next ? `; ${launcher.next}` : ''}`);
  }
  row('metrics', facts.metrics ?? 'none (no --textfile, --push or daemon)');
  if (facts.openclaw.length === 0) row('openclaw', 'no state dir found');
  for (const [i, home] of facts.openclaw.entries()) {
    const what = [home.layout.length > 0 ? home.layout.join(' + ') : 'no credential store', home.agents.length > 0 ? `agents ${home.agents.join(', ')}` : null, home.version ? `version ${home.version}` : null];
    row(i === 0 ? 'openclaw' : '', `${home.dir}${home.legacy ? ' (legacy)' : ''}: ${what.filter(Boolean).join(', ')}`);
  }
  if (problems.length > 0) lines.push('', 'problems:', ...problems.map((problem) => `  - ${problem}`));
  if (gaps.length > 0) lines.push('', 'missing:', ...gaps.map((gap) => `  - ${gap.short}: ${gap.fix}`));
  return `${lines.join('\n')}\n`;
}
