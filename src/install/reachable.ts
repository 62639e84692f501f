import { realpathSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Who would open the file: a uid and its groups. */
export interface Opener {
  uid: number;
  groups: readonly number[];
}

/** Whether the mode bits let `who` do what `need` asks (4 read, 1 search/execute) on a file owned by uid/gid. */
function allowed(mode: number, uid: number, gid: number, who: Opener, need: number): boolean {
  if (who.uid === 0) return true;
  const bits = who.uid === uid ? (mode >> 6) & 7 : who.groups.includes(gid) ? (mode >> 3) & 7 : mode & 7;
  return (bits & need) === need;
}

/**
 * The first path on the way to `path` that keeps `who` from reading it (`need` 4) or running it
 * (1): a directory it cannot search, or the file itself, as `<path> (mode 0700, owner uid 0)`;
 * `null` when the way is open. Judged from the mode bits of each component (symlinks resolved):
 * what the kernel checks when that user opens it, ACLs aside.
 */
export function blockedOnTheWay(path: string, who: Opener, need: 4 | 1): string | null {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return `${path} (cannot be resolved)`;
  }
  const chain: string[] = [];
  for (let dir = dirname(real); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const [component, wanted] of [...chain.map((dir) => [dir, 1] as const), [real, need] as const]) {
    const info = statSync(component);
    if (!allowed(info.mode, info.uid, info.gid, who, wanted)) return `${component} (mode ${(info.mode & 0o7777).toString(8).padStart(4, '0')}, owner uid ${info.uid})`;
  }
  return null;
}
