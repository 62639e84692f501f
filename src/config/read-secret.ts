import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretRef } from './schema.js';
import { AuthwatchError } from '../core/errors.js';
import { describeFsError } from '../core/files.js';
import { registerSecret } from '../core/scrub.js';

/**
 * Reads a secret the config refers to — a file (relative names are looked up in systemd's
 * `$CREDENTIALS_DIRECTORY` first) or an environment variable. Errors name the config field and
 * the file or variable, never the value.
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
  try {
    const value = readFileSync(path, 'utf8').trim(); // small and local, read like the credential files
    if (!value) throw new AuthwatchError(`${field}: ${path} is empty`);
    registerSecret(value);
    return value;
  } catch (error) {
    if (error instanceof AuthwatchError) throw error;
    throw new AuthwatchError(`${field}: cannot read ${path}: ${describeFsError(error)}`);
  }
}
