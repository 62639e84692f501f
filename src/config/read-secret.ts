import { join } from 'node:path';
import { AuthwatchError } from '../core/errors.js';
import { distrustOf } from '../core/file-trust.js';
import { readCredentialFile } from '../core/files.js';
import { registerSecret } from '../core/scrub.js';

/** A secret given by reference: a file or an environment variable (the config never holds one inline). */
interface SecretRef {
  file?: string | undefined;
  env?: string | undefined;
}

/**
 * Reads a secret the config refers to — a file (relative names are looked up in systemd's
 * `$CREDENTIALS_DIRECTORY` first) or an environment variable. A file is read like a credential
 * file (a regular file, bounded, a FIFO never waited on) and, like the config, refused when
 * others could have written it. Errors name the config field and the file or variable, never
 * the value.
 */
export async function readSecret(ref: SecretRef, field: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (ref.env !== undefined) {
    const value = env[ref.env]?.trim();
    if (!value) throw new AuthwatchError(`${field}: the environment variable ${ref.env} is not set`);
    registerSecret(value);
    return value;
  }
  const file = ref.file!;
  const path = !file.includes('/') && env.CREDENTIALS_DIRECTORY ? join(env.CREDENTIALS_DIRECTORY, file) : file;
  const read = await readCredentialFile(path, (info) => distrustOf(info, path, true));
  if (read.kind === 'absent') throw new AuthwatchError(`${field}: cannot read ${path}: no such file or directory`);
  if (read.kind === 'error') throw new AuthwatchError(`${field}: cannot read ${path}: ${read.message}`); // an empty one too
  const value = read.text.trim();
  registerSecret(value);
  return value;
}
