import { existsSync, readFileSync } from 'node:fs';

/** Whether a process with this pid exists (EPERM: it does, but belongs to another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One run of a process, told apart from any later process that gets the same pid (after it
 * exits, after a reboot, in a restarted container): its start time in clock ticks since boot
 * (`/proc/<pid>/stat` field 22) and the boot's id. Either is `null` where the system does not say
 * (no /proc): then only the pid is compared.
 */
export interface ProcessIdentity {
  pid: number;
  start: string | null;
  boot: string | null;
}

/** The start time of `pid`; `null`: no such process; `undefined`: /proc cannot tell. */
function startTime(pid: number): string | null | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' && procfsMounted() ? null : undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces and parentheses itself.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
}

let procfs: boolean | undefined;
const procfsMounted = () => (procfs ??= existsSync('/proc/self/stat'));

let boot: string | null | undefined;
/** This boot's id (`/proc/sys/kernel/random/boot_id`), `null` where the system does not say. */
export function bootId(): string | null {
  if (boot === undefined) {
    try {
      boot = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim() || null;
    } catch {
      boot = null;
    }
  }
  return boot;
}

export function ownIdentity(): ProcessIdentity {
  return { pid: process.pid, start: startTime(process.pid) ?? null, boot: bootId() };
}

/** Whether that run of a process is still going: a reused pid, or one from another boot, is not it. */
export function identityAlive(identity: ProcessIdentity): boolean {
  const currentBoot = bootId();
  if (identity.boot !== null && currentBoot !== null && identity.boot !== currentBoot) return false;
  if (identity.start !== null) {
    const start = startTime(identity.pid);
    if (start !== undefined) return start === identity.start;
  }
  return processAlive(identity.pid);
}

/** Clock ticks per second of `/proc/<pid>/stat` start times: USER_HZ, 100 on every Linux ABI (Android's too). */
const ticksPerSecond = 100;

/**
 * When `pid` started, in epoch ms (to about a clock tick, more off after a suspend on kernels
 * whose start times leave it out: then it reads earlier than the truth); `null`: no such
 * process; `undefined`: /proc cannot tell.
 */
export function processStartedAt(pid: number): number | null | undefined {
  const start = startTime(pid);
  if (start === null || start === undefined) return start;
  let uptime: number;
  try {
    uptime = Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]);
  } catch {
    return undefined;
  }
  const ticks = Number(start);
  if (!Number.isFinite(uptime) || !Number.isSafeInteger(ticks)) return undefined;
  return Date.now() - uptime * 1000 + (ticks * 1000) / ticksPerSecond;
}
