import { statIfVisible } from '../core/files.js';
import { shellWord } from '../core/shell-word.js';
import type { Profile } from './source.js';

/** Group or other users may read it: the file's secrets are not the owner's alone. */
function modeExposes(mode: number): boolean {
  return (mode & 0o044) !== 0;
}

/**
 * Flags every credential whose file other users can read, with a note saying how to fix it.
 * One `stat` per distinct file, done here once for all sources (SQLite stores and declared
 * files included) so no source can forget it.
 */
export function flagExposedFiles(profiles: readonly Profile[]): Profile[] {
  // A loop, not flatMap: one array per profile was garbage on hosts with thousands of them.
  const modes = new Map<string, number | null>();
  for (const { path, problem } of profiles) if (path !== null && problem === null && !modes.has(path)) modes.set(path, statIfVisible(path)?.mode ?? null);
  return profiles.map((profile) => {
    const mode = profile.path === null ? null : (modes.get(profile.path) ?? null);
    if (mode === null || !modeExposes(mode)) return profile;
    const note = `file readable by others (mode ${(mode & 0o7777).toString(8).padStart(4, '0')}; chmod 600 ${shellWord(profile.path!)})`;
    return { ...profile, fileExposed: true, notes: [...profile.notes, note] };
  });
}
