import { promises as fsPromises } from 'node:fs';
import { dirname, relative, isAbsolute } from 'node:path';
import { isJsonObject } from '../core/json-reader.js';
import { isProgramFailure, runProgram } from '../core/run-program.js';
import { userPath } from './openclaw-paths.js';
import { fail, limitOf, type SecretPlace, type SecretRef } from './secret-settings.js';
import type { SourceContext } from './source.js';

// OpenClaw 2026.9.6's exec secret provider (src/secrets/resolve.ts resolveExecRefs,
// exec-provider-path-validation.ts assertSecureExecCommandPath, infra/exec-safety.ts): the
// command is an absolute path, no symlink, inside `trustedDirs` when given, not group- or
// world-writable, owned by this user; it runs without a shell in its own process group, in its
// own directory, with only `passEnv` and `env` as its environment, the request
// `{ protocolVersion: 1, provider, ids }` on stdin, killed (the whole group) past `timeoutMs`,
// after `noOutputTimeoutMs` of silence, or past `maxOutputBytes` of output. Its stdout is
// `{ protocolVersion: 1, values: { id: secret }, errors?: { id: { code } } }`. Nothing it
// prints is ever quoted: stdout holds the secret, stderr may too.

const defaultTimeoutMs = 5000;
const defaultMaxOutputBytes = 1024 * 1024;
/** Error codes OpenClaw shows; any other code or message from a resolver may hold credential material. */
const shownCodes = new Set(['NOT_FOUND', 'AMBIGUOUS_DUPLICATE_KEY']);

const stringList = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');

/** infra/exec-safety.ts isSafeExecutableValue, for a path. */
const unsafeCommand = (command: string) => /[\0\r\n;&|`$<>"']/.test(command);

/** Checks the command as assertSecureExecCommandPath does; its absolute path. */
async function secureCommandPath(provider: Record<string, unknown>, place: SecretPlace, context: SourceContext): Promise<string> {
  const label = `secrets.providers.${place.provider}.command`;
  const command = provider.command;
  if (typeof command !== 'string' || !command.trim() || unsafeCommand(command) || !isAbsolute(command.trim())) {
    throw fail(place, `${label} must be an absolute path without shell characters`, 'set it to the resolver program itself (realpath "$(command -v vault)")');
  }
  const path = userPath(command, context);
  const stat = await fsPromises.lstat(path).catch(() => null);
  if (!stat) throw fail(place, `${label} (${path}) is not readable`, 'install the resolver there or fix the path');
  if (stat.isDirectory()) throw fail(place, `${label} (${path}) must be a file`, 'point it at the program');
  if (stat.isSymbolicLink()) throw fail(place, `${label} (${path}) must not be a symlink`, 'configure the real path (realpath it)');
  const trusted = provider.trustedDirs;
  if (trusted !== undefined && !(stringList(trusted) && (trusted as string[]).every((dir) => isAbsolute(dir)))) {
    throw fail(place, `secrets.providers.${place.provider}.trustedDirs must be a list of absolute paths`, 'fix it');
  }
  const dirs = (trusted as string[] | undefined) ?? [];
  if (dirs.length > 0 && !dirs.some((dir) => isInside(userPath(dir, context), path))) {
    throw fail(place, `${label} (${path}) is outside trustedDirs`, 'move the resolver into one of secrets.providers.' + place.provider + '.trustedDirs or add its directory');
  }
  if ((stat.mode & 0o022) !== 0) throw fail(place, `${label} (${path}) is writable by other users (mode ${(stat.mode & 0o777).toString(8)})`, `chmod go-w ${path}`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw fail(place, `${label} (${path}) is owned by uid ${stat.uid}, not by this user (uid ${uid}), which OpenClaw refuses`, 'use a copy owned by this user');
  return path;
}

const isInside = (dir: string, path: string) => {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** Runs the exec provider for one ref; the value for its id (checked by the caller). */
export async function runExecProvider(ref: SecretRef, provider: Record<string, unknown>, place: SecretPlace, context: SourceContext): Promise<unknown> {
  const setting = `secrets.providers.${ref.provider}`;
  const name = `the exec provider "${ref.provider}"`;
  const command = await secureCommandPath(provider, place, context);
  if (provider.args !== undefined && !stringList(provider.args)) throw fail(place, `${setting}.args must be a list of strings`, 'fix it');
  if (provider.passEnv !== undefined && !stringList(provider.passEnv)) throw fail(place, `${setting}.passEnv must be a list of variable names`, 'fix it');
  if (provider.env !== undefined && !(isJsonObject(provider.env) && Object.values(provider.env).every((v) => typeof v === 'string'))) {
    throw fail(place, `${setting}.env must map names to strings`, 'fix it');
  }
  if (provider.jsonOnly !== undefined && typeof provider.jsonOnly !== 'boolean') throw fail(place, `${setting}.jsonOnly must be true or false`, 'fix it');
  const timeoutMs = limitOf(provider, 'timeoutMs', defaultTimeoutMs, place);
  const noOutputMs = limitOf(provider, 'noOutputTimeoutMs', timeoutMs, place);
  const maxOutputBytes = limitOf(provider, 'maxOutputBytes', defaultMaxOutputBytes, place);
  const env: Record<string, string> = {};
  for (const key of (provider.passEnv as string[] | undefined) ?? []) {
    const value = context.env[key];
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, provider.env ?? {});
  const input = JSON.stringify({ protocolVersion: 1, provider: ref.provider, ids: [ref.id] });
  let stdout: string;
  try {
    ({ stdout } = await runProgram([command, ...((provider.args as string[] | undefined) ?? [])], timeoutMs, maxOutputBytes, {
      input,
      env,
      cwd: dirname(command),
      noOutputMs,
      combinedLimit: true,
    }));
  } catch (error) {
    if (!isProgramFailure(error)) throw error;
    const reasons: Record<typeof error.reason, [string, string]> = {
      timeout: [`timed out after ${timeoutMs} ms (killed)`, `make it answer sooner or raise ${setting}.timeoutMs`],
      'no-output': [`printed nothing for ${noOutputMs} ms (killed)`, `make it answer sooner or raise ${setting}.noOutputTimeoutMs`],
      'too-much-output': [`printed more than ${maxOutputBytes} bytes (maxOutputBytes; killed)`, 'make it print only the JSON answer'],
      exit: [error.code === null ? `was ended by ${error.signal}` : `exited with code ${error.code}`, 'run it by hand with the same request on stdin to see why'],
      'not-found': ['could not be started', `check ${setting}.command`],
      spawn: ['could not be started', `check ${setting}.command is executable (chmod u+x)`],
    };
    const [problem, fix] = reasons[error.reason];
    throw fail(place, `${name} ${problem}`, fix);
  }
  return valueOf(stdout, ref.id, provider.jsonOnly !== false, place, name);
}

/** OpenClaw's parseExecValues for one id. */
function valueOf(stdout: string, id: string, jsonOnly: boolean, place: SecretPlace, name: string): unknown {
  const trimmed = stdout.trim();
  if (!trimmed) throw fail(place, `${name} printed nothing on stdout`, 'make it print { "protocolVersion": 1, "values": { "<id>": "<secret>" } }');
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    if (!jsonOnly) return trimmed;
    throw fail(place, `${name} printed something that is not JSON`, 'make it print { "protocolVersion": 1, "values": { "<id>": "<secret>" } } (or set jsonOnly: false for a bare value)');
  }
  if (!isJsonObject(parsed)) {
    if (!jsonOnly && typeof parsed === 'string') return parsed;
    throw fail(place, `${name}'s answer is not a JSON object`, 'make it print { "protocolVersion": 1, "values": { … } }');
  }
  if (parsed.protocolVersion !== 1) throw fail(place, `${name}'s answer has no "protocolVersion": 1`, 'answer with protocol version 1');
  if (!isJsonObject(parsed.values)) throw fail(place, `${name}'s answer has no "values" object`, 'answer with { "protocolVersion": 1, "values": { … } }');
  const errors = isJsonObject(parsed.errors) ? parsed.errors : null;
  if (errors && Object.hasOwn(errors, id)) {
    const entry = errors[id];
    const code = isJsonObject(entry) && typeof entry.code === 'string' && shownCodes.has(entry.code) ? ` (${entry.code})` : '';
    throw fail(place, `${name} failed for the ref's id${code}`, 'check the secret exists in the store behind the resolver');
  }
  if (!Object.hasOwn(parsed.values, id)) throw fail(place, `${name}'s answer has no value for the ref's id`, 'check the ref id matches what the resolver knows');
  return parsed.values[id];
}
