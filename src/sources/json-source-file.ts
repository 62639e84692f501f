import type { FormatResult } from '../json-format.js';
import { describeIssues } from '../zod-issues.js';
import { parseJsonText, readCredentialFile } from './read-file.js';

/** A zod schema or a JsonFormat: anything that validates a parsed document. */
export interface Validator<T> {
  safeParse(value: unknown): FormatResult<T> | Promise<FormatResult<T>>;
}

export type SchemaFileRead<T> =
  | { kind: 'absent' }
  | { kind: 'error'; message: string }
  | { kind: 'ok'; value: T; mtimeMs: number; text: string };

/**
 * Reads a JSON credential file and validates it against its format's schema. Problems come
 * back as `path: words` messages; the file's contents never appear in them.
 */
export async function readSchemaFile<T>(path: string, schema: Validator<T>): Promise<SchemaFileRead<T>> {
  const file = await readCredentialFile(path);
  if (file.kind === 'absent') return file;
  if (file.kind === 'error') return { kind: 'error', message: `${path}: ${file.message}` };
  const json = parseJsonText(file.text);
  if (!json.ok) return { kind: 'error', message: `${path}: ${json.message}` };
  const parsed = await schema.safeParse(json.value);
  if (!parsed.success) {
    return { kind: 'error', message: `${path}: unexpected content: ${describeIssues(parsed.error).join('; ')}` };
  }
  return { kind: 'ok', value: parsed.data, mtimeMs: file.mtimeMs, text: file.text };
}
