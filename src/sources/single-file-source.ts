import type { JsonFormat } from '../core/json-format.js';
import { readSchemaFile } from './json-file-source.js';
import { absentVisit, failedVisit, foundVisit, makeProfile, problemProfile, type Profile, type SourceResult } from './source.js';

/** The identity of the one profile a single-file source yields. */
export type Row = Pick<Profile, 'id' | 'provider' | 'source' | 'path'>;

/** What a single-file source makes of its parsed file: a profile's fields, or a problem. */
export type Reading = { problem: string; type?: Profile['type'] } | (Partial<Profile> & { problem?: undefined });

/**
 * The shape every "one credential file" source shares (Claude Code, Codex, the OAuth creds
 * CLIs): a missing file is just a visit, an unreadable or malformed one an `error` row naming
 * it, anything else is what `interpret` makes of the validated content.
 */
export async function readSingleFile<T>(
  row: Row & { path: string },
  format: JsonFormat<T>,
  interpret: (file: { value: T; mtimeMs: number }) => Reading,
): Promise<SourceResult> {
  const { source: name, path } = row;
  const file = await readSchemaFile(path, format);
  if (file.kind === 'absent') return { profiles: [], visits: [absentVisit(name, path)] };
  if (file.kind === 'error') return { profiles: [problemProfile(row, file.message)], visits: [failedVisit(name, path, file.message)] };
  const reading = interpret(file);
  if (reading.problem !== undefined) {
    const message = `${path}: ${reading.problem}`;
    return { profiles: [problemProfile({ ...row, type: reading.type ?? null }, message)], visits: [failedVisit(name, path, message)] };
  }
  return { profiles: [makeProfile({ ...row, ...reading })], visits: [foundVisit(name, path)] };
}
