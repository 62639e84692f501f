import type { JsonFormat } from '../core/json-format.js';
import { describeIssues } from '../core/zod-issues.js';
import { parseJsonText, readCredentialFile } from '../core/files.js';

export type SchemaFileRead<T> =
  | { kind: 'absent' }
  | { kind: 'error'; message: string }
  | { kind: 'ok'; value: T; mtimeMs: number; text: string };

/**
 * Reads a JSON credential file and validates it against its format's schema. Problems come
 * back as `path: words` messages; the file's contents never appear in them.
 */
export async function readSchemaFile<T>(path: string, format: JsonFormat<T>): Promise<SchemaFileRead<T>> {
  const file = await readCredentialFile(path);
  if (file.kind === 'absent') return file;
  if (file.kind === 'error') return { kind: 'error', message: `${path}: ${file.message}` };
  const json = parseJsonText(file.text);
  if (!json.ok) return { kind: 'error', message: `${path}: ${json.message}` };
  const parsed = await format.safeParse(json.value);
  if (!parsed.success) {
    return { kind: 'error', message: `${path}: unexpected content: ${describeIssues(parsed.error).join('; ')}` };
  }
  return { kind: 'ok', value: parsed.data, mtimeMs: file.mtimeMs, text: file.text };
}
