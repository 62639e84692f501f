import { constants, promises as fsPromises } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { AuthwatchError } from '../core/errors.js';
import { isJsonObject } from '../core/json-reader.js';
import { registerSecret } from '../core/scrub.js';
import { readGatewayDotenv } from './dotenv.js';
import { primaryStateDir, userPath } from './openclaw-paths.js';
import { runExecProvider } from './secret-exec.js';
import { fail, limitOf, type SecretPlace, type SecretRef, type SecretSource } from './secret-settings.js';
import type { SourceContext } from './source.js';

// A secret input of openclaw.json (a string, `${VAR}`, or a SecretRef) resolved as OpenClaw
// 2026.9.6 resolves it (src/secrets/ref-contract.ts, types.secrets.ts, resolve.ts; docs/gateway/
// secrets/secretref-contract.md): the same ref grammar, provider aliases and defaults, the file
// provider's checks (private regular file, one link, owned by this user, size and time bounds)
// and the exec provider's (see secret-exec.ts). A value is never part of a message: errors name
// the openclaw.json field and the fix.

const sources: readonly string[] = ['env', 'file', 'exec', 'store'];
const aliasPattern = /^[a-z][a-z0-9_-]{0,63}$/;
const envIdPattern = /^[A-Z][A-Z0-9_]{0,127}$/;
const execIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/;
const envTemplate = /^\$\{([A-Z][A-Z0-9_]{0,127})\}$/;
const envShorthand = /^\$([A-Z][A-Z0-9_]{0,127})$/;

const defaultFileMaxBytes = 1024 * 1024;
const defaultTimeoutMs = 5000;

/** What a secret input needs from openclaw.json besides itself: `secrets.providers` and `secrets.defaults`. */
export interface SecretsConfig {
  providers: Record<string, unknown>;
  defaults: Record<string, unknown>;
}

export function secretsConfigOf(root: Record<string, unknown>): SecretsConfig {
  const secrets = isJsonObject(root.secrets) ? root.secrets : {};
  return { providers: isJsonObject(secrets.providers) ? secrets.providers : {}, defaults: isJsonObject(secrets.defaults) ? secrets.defaults : {} };
}

const defaultAlias = (config: SecretsConfig, source: SecretSource): string => {
  const value = config.defaults[source];
  return typeof value === 'string' && value.trim() ? value.trim() : 'default';
};

/** OpenClaw's coerceSecretRef: a full ref, a ref without `provider` (its source's default alias), or `${VAR}` / `$VAR`. */
function refOf(value: unknown, config: SecretsConfig): SecretRef | null {
  if (typeof value === 'string') {
    const match = envTemplate.exec(value.trim()) ?? envShorthand.exec(value.trim());
    return match ? { source: 'env', provider: defaultAlias(config, 'env'), id: match[1]! } : null;
  }
  if (!isJsonObject(value) || typeof value.source !== 'string' || !sources.includes(value.source) || typeof value.id !== 'string' || !value.id.trim()) return null;
  const source = value.source as SecretSource;
  if (value.provider === undefined) return { source, provider: defaultAlias(config, source), id: value.id };
  if (Object.keys(value).length !== 3 || typeof value.provider !== 'string' || !value.provider.trim()) return null;
  return { source, provider: value.provider, id: value.id };
}

/** OpenClaw's normalizeAndGroupSecretRefs checks; the problem in words, or null. */
function refProblem(ref: SecretRef): string | null {
  if (!aliasPattern.test(ref.provider)) return 'its provider must match /^[a-z][a-z0-9_-]{0,63}$/';
  if ((ref.source === 'env' || ref.source === 'store') && !envIdPattern.test(ref.id)) return `a ${ref.source} ref id must match /^[A-Z][A-Z0-9_]{0,127}$/`;
  if (ref.source === 'file' && ref.id !== 'value' && !(ref.id.startsWith('/') && ref.id.slice(1).split('/').every((segment) => /^(?:[^~]|~0|~1)*$/.test(segment)))) {
    return 'a file ref id must be an absolute JSON pointer ("/gateway/token") or "value"';
  }
  if (ref.source === 'exec' && (!execIdPattern.test(ref.id) || ref.id.split('/').some((segment) => segment === '.' || segment === '..'))) {
    return 'an exec ref id must match /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/ without "." or ".." segments';
  }
  return null;
}

/**
 * Resolves one secret input. `undefined` for nothing usable where OpenClaw would fall through
 * (an unset plain value, an `env` variable that is not set); an AuthwatchError for a ref that
 * OpenClaw would fail on. The value is handed to the scrubber before it is returned.
 */
export async function resolveSecretInput(value: unknown, field: string, config: SecretsConfig, context: SourceContext): Promise<string | undefined> {
  const ref = refOf(value, config);
  if (!ref) {
    if (isJsonObject(value)) throw new AuthwatchError(`${field}: not a SecretRef OpenClaw accepts; write { source: "env" | "file" | "exec", provider: "<secrets.providers name>", id: "…" } or a plain value`);
    const plain = typeof value === 'string' ? value.trim() : '';
    if (!plain) return undefined;
    registerSecret(plain);
    return plain;
  }
  const place: SecretPlace = { field, provider: ref.provider };
  ref.id = ref.id.trim();
  const problem = refProblem(ref);
  if (problem) throw fail(place, `its ${ref.source} SecretRef is invalid: ${problem}`, 'fix the ref (OpenClaw refuses it too)');
  const provider = providerOf(ref, config, place);
  const resolved = await resolveWith(ref, provider, place, context);
  if (resolved === undefined) return undefined;
  if (typeof resolved !== 'string' || !resolved.trim()) {
    throw fail(place, `its ${ref.source} SecretRef (provider "${ref.provider}") resolves to an empty or non-string value`, 'point the ref at a non-empty string');
  }
  registerSecret(resolved);
  registerSecret(resolved.trim());
  return resolved.trim();
}

type Provider = { builtIn: true } | ({ builtIn: false } & Record<string, unknown>);

/** OpenClaw's resolveConfiguredProvider: the built-in env provider at its default alias, else a `secrets.providers` entry of the same source. */
function providerOf(ref: SecretRef, config: SecretsConfig, place: SecretPlace): Provider {
  const entry = config.providers[ref.provider];
  const entrySource = isJsonObject(entry) ? entry.source : undefined;
  if (entrySource !== ref.source && (ref.source === 'env' || ref.source === 'store') && ref.provider === defaultAlias(config, ref.source)) return { builtIn: true };
  if (!isJsonObject(entry)) {
    throw fail(place, `its ${ref.source} SecretRef names the secret provider "${ref.provider}", which secrets.providers does not define`, `add secrets.providers.${ref.provider} with source "${ref.source}" (OpenClaw fails the same way)`);
  }
  if (entrySource !== ref.source) {
    throw fail(place, `secrets.providers.${ref.provider} has source ${JSON.stringify(String(entrySource)).slice(0, 40)} but the ref asks for "${ref.source}"`, 'make the ref and the provider agree');
  }
  return { builtIn: false, ...entry };
}

async function resolveWith(ref: SecretRef, provider: Provider, place: SecretPlace, context: SourceContext): Promise<unknown> {
  switch (ref.source) {
    case 'env': {
      const allowlist = provider.builtIn ? undefined : provider.allowlist;
      if (Array.isArray(allowlist) && !allowlist.includes(ref.id)) {
        throw fail(place, `the environment variable ${ref.id} is not in secrets.providers.${ref.provider}.allowlist`, 'add it to the allowlist or use another provider');
      }
      return lookUpEnv(ref.id, context);
    }
    case 'store':
      throw fail(place, 'a store SecretRef (OpenClaw\'s private secret database), which authwatch does not read', "give the gateway's credential in OPENCLAW_GATEWAY_TOKEN (or OPENCLAW_GATEWAY_PASSWORD)");
    case 'file':
      return resolveFileRef(ref, provider as Record<string, unknown>, place, context);
    case 'exec':
      if (isJsonObject((provider as Record<string, unknown>).pluginIntegration)) {
        throw fail(place, `secrets.providers.${ref.provider} is a plugin-managed exec provider, which authwatch does not run`, "give the gateway's credential in OPENCLAW_GATEWAY_TOKEN (or OPENCLAW_GATEWAY_PASSWORD)");
      }
      return runExecProvider(ref, provider as Record<string, unknown>, place, context);
  }
}

/** An `env` ref as the gateway sees it: the process, then the state dir's `.env` (the gateway loads it). */
async function lookUpEnv(name: string, context: SourceContext): Promise<string | undefined> {
  const own = context.env[name]?.trim();
  if (own) return own;
  const dotenv = await readGatewayDotenv(join(primaryStateDir(context), '.env'));
  return dotenv.kind === 'ok' ? dotenv.values.get(name)?.trim() || undefined : undefined;
}

/** Reads the file provider's file as OpenClaw's readSecureFile does, then picks the ref's value. */
async function resolveFileRef(ref: SecretRef, provider: Record<string, unknown>, place: SecretPlace, context: SourceContext): Promise<unknown> {
  const setting = `secrets.providers.${ref.provider}`;
  if (typeof provider.path !== 'string' || !provider.path.trim()) throw fail(place, `${setting}.path is not set`, 'set it to the secrets file');
  const mode = provider.mode ?? 'json';
  if (mode !== 'json' && mode !== 'singleValue') throw fail(place, `${setting}.mode must be "json" or "singleValue"`, 'fix it');
  const maxBytes = limitOf(provider, 'maxBytes', defaultFileMaxBytes, place);
  const timeoutMs = limitOf(provider, 'timeoutMs', defaultTimeoutMs, place);
  const path = userPath(provider.path, context);
  const text = (await readSecureFile(path, `${setting}.path (${path})`, maxBytes, timeoutMs, place)).replace(/^\uFEFF/, '');
  if (mode === 'singleValue') {
    if (ref.id !== 'value') throw fail(place, `${setting} is a singleValue file provider, whose ref id must be "value"`, 'set the ref id to "value"');
    return text.replace(/\r?\n$/, '');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // The parser's message quotes the text: it must not travel.
    throw fail(place, `${setting}.path (${path}) is not valid JSON`, `fix the file, or set ${setting}.mode to "singleValue" for a file that holds only the secret`);
  }
  if (!isJsonObject(parsed)) throw fail(place, `${setting}.path (${path}) does not hold a JSON object`, 'put the secrets in an object');
  const found = readJsonPointer(parsed, ref.id);
  if (!found.ok) throw fail(place, `the file ref's JSON pointer ${found.shown} does not exist in ${path}`, 'fix the ref id or add the value to the file');
  return found.value;
}

/** OpenClaw's readJsonPointer (RFC 6901; array indexes canonical, at most 100000). The failing part is named only as far as it exists. */
function readJsonPointer(root: unknown, pointer: string): { ok: true; value: unknown } | { ok: false; shown: string } {
  if (!pointer.startsWith('/')) return { ok: false, shown: '(not absolute)' };
  const tokens = pointer.slice(1).split('/');
  let current = root;
  for (const [index, raw] of tokens.entries()) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const shown = `"/${tokens.slice(0, index + 1).join('/')}"`;
    if (Array.isArray(current)) {
      const at = /^(0|[1-9]\d*)$/.test(token) ? Number(token) : Number.NaN;
      if (!(at <= 100_000 && at < current.length)) return { ok: false, shown };
      current = current[at];
    } else if (isJsonObject(current) && Object.hasOwn(current, token)) current = current[token];
    else return { ok: false, shown };
  }
  return { ok: true, value: current };
}

/**
 * @openclaw/fs-safe readSecureFile with OpenClaw's settings: an absolute path that is no
 * symlink; opened without following links and without blocking (a FIFO cannot hang it); the
 * opened file must be the one at the path, a regular file with one link, owned by this user,
 * neither group- nor world-readable or -writable, at most `maxBytes`, read within `timeoutMs`.
 */
async function readSecureFile(path: string, label: string, maxBytes: number, timeoutMs: number, place: SecretPlace): Promise<string> {
  const refuse = (problem: string, fix: string) => fail(place, `${label} ${problem}`, fix);
  if (!isAbsolute(path)) throw refuse('is not an absolute path', 'give an absolute path');
  const before = await fsPromises.lstat(path, { bigint: true }).catch((error: NodeJS.ErrnoException) => {
    throw refuse(error.code === 'ENOENT' ? 'does not exist' : `cannot be read (${error.code ?? 'error'})`, 'create it, readable by this user only (chmod 600)');
  });
  if (before.isSymbolicLink()) throw refuse('is a symlink, which OpenClaw refuses', 'point the path at the file itself');
  if (!before.isFile()) throw refuse('is not a regular file', 'point the path at a regular file');
  const handle = await fsPromises.open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch((error: NodeJS.ErrnoException) => {
    throw refuse(`cannot be opened (${error.code ?? 'error'})`, 'make it readable by this user');
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const opened = await handle.stat({ bigint: true });
    if (opened.dev !== before.dev || opened.ino !== before.ino) throw refuse('changed while it was opened', 'try again');
    if (!opened.isFile()) throw refuse('is not a regular file', 'point the path at a regular file');
    checkOwnership(opened, refuse);
    if (opened.size > BigInt(maxBytes)) throw refuse(`is larger than ${maxBytes} bytes (maxBytes)`, `shrink it or raise secrets.providers.${place.provider}.maxBytes`);
    const read = async () => {
      const buffer = Buffer.alloc(maxBytes + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length > maxBytes) throw refuse(`is larger than ${maxBytes} bytes (maxBytes)`, `shrink it or raise secrets.providers.${place.provider}.maxBytes`);
      }
      return buffer.subarray(0, length);
    };
    const bytes = await Promise.race([
      read(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(refuse(`could not be read within ${timeoutMs} ms (timeoutMs)`, `check the file system or raise secrets.providers.${place.provider}.timeoutMs`)), timeoutMs);
      }),
    ]);
    const after = await handle.stat({ bigint: true });
    if (!after.isFile()) throw refuse('stopped being a regular file while it was read', 'try again');
    if (after.nlink > 1n) throw refuse('is hard-linked (more than one name), which OpenClaw refuses', 'copy it to a new private file (see OpenClaw docs/gateway/secrets/secretref-contract.md)');
    return bytes.toString('utf8');
  } finally {
    clearTimeout(timer);
    await handle.close().catch(() => undefined);
  }
}

/** The ownership and permission rules of readSecureFile, on the opened file. */
function checkOwnership(stat: { nlink: bigint; mode: bigint; uid: bigint }, refuse: (problem: string, fix: string) => AuthwatchError): void {
  if (stat.nlink > 1n) throw refuse('is hard-linked (more than one name), which OpenClaw refuses', 'copy it to a new private file (see OpenClaw docs/gateway/secrets/secretref-contract.md)');
  if ((stat.mode & 0o066n) !== 0n) {
    throw refuse(`is readable or writable by other users (mode ${(stat.mode & 0o777n).toString(8)})`, 'chmod 600 it');
  }
  const uid = process.geteuid?.();
  if (uid !== undefined && stat.uid !== BigInt(uid)) throw refuse(`is owned by uid ${stat.uid}, not by this user (uid ${uid})`, 'make this user its owner');
}
