import type { Read } from '../core/json-reader.js';
import { parseJsonText, readCredentialFile } from '../core/files.js';
import { absentVisit, failedVisit, foundVisit, makeProfile, problemProfile, type Profile, type SourceResult } from './source.js';

// A credential file that holds one JSON document, and the sources for which that file is one
// profile (Claude Code, Codex, the OAuth creds CLIs).

type DocumentRead<T> =
  | { kind: 'absent' }
  | { kind: 'error'; message: string }
  | { kind: 'ok'; value: T; mtimeMs: number; text: string };

/**
 * Reads a JSON credential file and checks it with its format's reader. Problems come back as
 * `file: unexpected content: path: problem` messages; the file's contents never appear in them.
 */
export async function readCredentialDocument<T>(path: string, read: (document: unknown) => Read<T>): Promise<DocumentRead<T>> {
  const file = await readCredentialFile(path);
  if (file.kind === 'absent') return file;
  if (file.kind === 'error') return { kind: 'error', message: `${path}: ${file.message}` };
  const json = parseJsonText(file.text);
  if (!json.ok) return { kind: 'error', message: `${path}: ${json.message}` };
  const document = read(json.value);
  if (!document.ok) return { kind: 'error', message: `${path}: unexpected content: ${document.problems.join('; ')}` };
  return { kind: 'ok', value: document.value, mtimeMs: file.mtimeMs, text: file.text };
}

/** The identity of the one profile a one-file source yields. */
type Row = Pick<Profile, 'id' | 'provider' | 'source' | 'path'>;

/** A profile's fields, as a one-file source makes them of its document. */
export type ProfileFields = Partial<Profile> & { problem?: undefined };
/** What a one-file source makes of its document: a profile's fields, or a problem. */
export type Reading = { problem: string; type?: Profile['type'] } | ProfileFields;

/**
 * A source whose one credential file is one profile: a missing file is just a visit, an
 * unreadable or malformed one an `error` row naming it, anything else is what `interpret`
 * makes of the document.
 */
export async function readSingleProfileDocument<T>(
  row: Row & { path: string },
  read: (document: unknown) => Read<T>,
  interpret: (file: { value: T; mtimeMs: number }) => Reading,
): Promise<SourceResult> {
  const { source: name, path } = row;
  const file = await readCredentialDocument(path, read);
  if (file.kind === 'absent') return { profiles: [], visits: [absentVisit(name, path)] };
  if (file.kind === 'error') return { profiles: [problemProfile(row, file.message)], visits: [failedVisit(name, path, file.message)] };
  const reading = interpret(file);
  if (reading.problem !== undefined) {
    const message = `${path}: ${reading.problem}`;
    return { profiles: [problemProfile({ ...row, type: reading.type ?? null }, message)], visits: [failedVisit(name, path, message)] };
  }
  return { profiles: [makeProfile({ ...row, ...reading })], visits: [foundVisit(name, path)] };
}
