import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { lazyFingerprint } from '../core/fingerprint.js';
import { readCredentialFile } from '../core/files.js';
import { registerSecret } from '../core/scrub.js';
import { maxEpochMs } from '../core/iso-time.js';
import { checkIsoTime } from './epoch.js';
import { jwtExpiry } from './jwt.js';
import { expandHome } from '../core/paths.js';
import { isJsonObject, readObject, type Read } from '../core/json-reader.js';
import { readSingleProfileDocument, type ProfileFields, type Reading } from './credential-document.js';
import { foundVisit, makeProfile, type Profile, type Source, type SourceContext, type SourceResult } from './source.js';
import { sourceNames } from './source-names.js';

/** `auth.json`, as the Codex CLI writes it (it writes `null` for what it does not have). */
interface CodexAuth {
  /** `apikey`, `chatgpt`, `chatgptAuthTokens`, `agentIdentity`, `personalAccessToken`, `bedrockApiKey`, … */
  auth_mode?: string;
  OPENAI_API_KEY?: string;
  tokens?: { access_token?: string; refresh_token?: string; account_id?: string };
  last_refresh?: string;
  /** A JWT (Codex's `AgentIdentityAuthRecord`). */
  agent_identity?: string;
  personal_access_token?: string;
  bedrock_api_key?: { api_key?: string };
  /** Only whether it holds anything is used. */
  bedrock_access_keys?: unknown;
}

export function readCodexAuth(document: unknown): Read<CodexAuth> {
  return readObject(document, (auth) => ({
    auth_mode: auth.stringOrNull('auth_mode'),
    OPENAI_API_KEY: auth.stringOrNull('OPENAI_API_KEY'),
    tokens: auth.objectOrNull('tokens', (tokens) => ({ access_token: tokens.stringOrNull('access_token'), refresh_token: tokens.stringOrNull('refresh_token'), account_id: tokens.stringOrNull('account_id') })),
    last_refresh: auth.stringOrNull('last_refresh'),
    agent_identity: auth.stringOrNull('agent_identity'),
    personal_access_token: auth.stringOrNull('personal_access_token'),
    bedrock_api_key: auth.objectOrNull('bedrock_api_key', (record) => ({ api_key: record.stringOrNull('api_key') })),
    bedrock_access_keys: auth.fields.bedrock_access_keys ?? undefined,
  }));
}

const name = sourceNames.codex;
/** The Codex CLI login as OpenClaw 2026.9 names it (`CODEX_CLI_PROFILE_ID`, src/agents/auth-profiles/profile-ids.ts; `parseCodexOauthCredential` files it under `openai`). */
const loginRow = { id: 'openai:codex-cli', provider: 'openai' } as const;
/** Its API key login, as OpenClaw's Codex setup imports it (setup-inference `stageCodexCandidate`). */
const apiKeyRow = { id: 'openai:codex-cli-api-key', provider: 'openai' } as const;
/** When the access token is not a readable JWT, Codex treats it as good for an hour after refresh. */
const fallbackLifetimeMs = 3_600_000;

/** `$CODEX_HOME`, else `~/.codex` (realpath, as Codex canonicalises it): config.toml lives here. */
function codexHome(context: SourceContext): string {
  const configured = context.env.CODEX_HOME?.trim();
  return realPathOr(configured ? expandHome(configured, context.home) : join(context.home, '.codex'));
}

/** Codex keeps its login in `$CODEX_AUTH_HOME` when set (newer Codex), else in its home. */
function codexAuthPath(context: SourceContext): string {
  const authHome = context.env.CODEX_AUTH_HOME?.trim();
  return join(authHome ? realPathOr(expandHome(authHome, context.home)) : codexHome(context), 'auth.json');
}

/** `cli_auth_credentials_store` in config.toml: where Codex keeps the login (`file` when unset). */
type CodexStoreMode = 'file' | 'keyring' | 'auto' | 'ephemeral' | 'unknown';
const storeModes: readonly CodexStoreMode[] = ['file', 'keyring', 'auto', 'ephemeral'];

/**
 * The top-level `cli_auth_credentials_store` of a config.toml: only the lines before the first
 * table header are top level. A value Codex would not accept is `unknown` (Codex then fails to
 * load its config).
 */
function codexStoreMode(configToml: string): CodexStoreMode {
  for (const line of configToml.split(/\r?\n/)) {
    if (/^\s*\[/.test(line)) break;
    const match = /^\s*cli_auth_credentials_store\s*=\s*(?:"([^"]*)"|'([^']*)')\s*(?:#.*)?$/.exec(line);
    if (match) return storeModes.find((mode) => mode === (match[1] ?? match[2])) ?? 'unknown';
    if (/^\s*cli_auth_credentials_store\s*=/.test(line)) return 'unknown';
  }
  return 'file';
}

async function readStoreMode(context: SourceContext): Promise<{ mode: CodexStoreMode; path: string }> {
  const path = join(codexHome(context), 'config.toml');
  const file = await readCredentialFile(path);
  return { mode: file.kind === 'ok' ? codexStoreMode(file.text) : 'file', path };
}

type Login = 'oauth' | 'api_key' | 'agentIdentity' | 'personalAccessToken' | 'bedrockApiKey' | 'bedrockAccessKeys' | 'headers';

/** Codex's own names (`AuthMode`, compared without case as OpenClaw does) → the login they mean. */
const knownModes = new Map<string, Login>([
  ['chatgpt', 'oauth'],
  ['chatgptauthtokens', 'oauth'],
  ['apikey', 'api_key'],
  ['agentidentity', 'agentIdentity'],
  ['personalaccesstoken', 'personalAccessToken'],
  ['bedrockapikey', 'bedrockApiKey'],
  ['bedrockaccesskeys', 'bedrockAccessKeys'],
  ['headers', 'headers'],
]);

const held = (value: unknown) => value !== undefined && value !== null;

/**
 * Which login the file holds: its `auth_mode` says; without one, Codex's own order of what is
 * stored (personal access token, Bedrock key, Bedrock access keys, API key, else ChatGPT).
 */
function loginOf(auth: CodexAuth): { kind: Login; known: boolean } {
  const mode = auth.auth_mode?.trim().toLowerCase();
  const kind = mode ? knownModes.get(mode) : undefined;
  if (kind) return { kind, known: true };
  if (held(auth.personal_access_token)) return { kind: 'personalAccessToken', known: !mode };
  if (held(auth.bedrock_api_key)) return { kind: 'bedrockApiKey', known: !mode };
  if (held(auth.bedrock_access_keys)) return { kind: 'bedrockAccessKeys', known: !mode };
  return { kind: auth.OPENAI_API_KEY?.trim() ? 'api_key' : 'oauth', known: !mode };
}

/** A stored secret: present (fingerprinted, and known to the scrubber) or absent with `logout`. */
function storedSecret(value: string | undefined, what: string): Pick<Profile, 'secret' | 'fingerprint' | 'notes'> {
  const secret = value?.trim();
  registerSecret(secret);
  return secret
    ? { secret: 'present', fingerprint: lazyFingerprint(secret), notes: [`${what} stored by the Codex CLI`] }
    : { secret: 'absent', fingerprint: null, notes: [`logged out: no ${what} stored`] };
}

function apiKeyLogin(auth: CodexAuth): ProfileFields {
  return { ...apiKeyRow, type: 'api_key', ...storedSecret(auth.OPENAI_API_KEY, 'API key') };
}

/** A token Codex keeps as a JWT (agent identity) or opaque (personal access token): its `exp` when it has one. */
function tokenLogin(value: string | undefined, what: string, field: string): Reading {
  const stored = storedSecret(value, what);
  const jwt = stored.secret === 'present' ? jwtExpiry(value!.trim()) : null;
  if (jwt && !jwt.ok) return { problem: `${field}: ${jwt.message}`, type: 'token' };
  return { type: 'token', expiresAt: jwt?.ms ?? null, ...stored };
}

function bedrockLogin(auth: CodexAuth, kind: 'bedrockApiKey' | 'bedrockAccessKeys'): ProfileFields {
  const base = { id: 'amazon-bedrock:codex-cli', provider: 'amazon-bedrock', type: 'api_key' as const };
  if (kind === 'bedrockApiKey') return { ...base, ...storedSecret(auth.bedrock_api_key?.api_key, 'Bedrock API key') };
  const keys = auth.bedrock_access_keys;
  const present = isJsonObject(keys) && Object.keys(keys).length > 0;
  return { ...base, secret: present ? 'present' : 'absent', notes: [present ? 'AWS access keys stored by the Codex CLI' : 'logged out: no AWS access keys stored'] };
}

function oauthLogin(auth: CodexAuth, mtimeMs: number): Reading {
  const access = auth.tokens?.access_token?.trim();
  const refreshable = Boolean(auth.tokens?.refresh_token?.trim());
  const jwt = access ? jwtExpiry(access) : null;
  if (jwt && !jwt.ok) return { problem: `tokens.access_token: ${jwt.message}`, type: 'oauth' };
  let expiresAt = jwt?.ms ?? null;
  const extra: string[] = [];
  if (access && expiresAt === null) {
    const refreshed = checkIsoTime(auth.last_refresh, 'last_refresh');
    expiresAt = Math.min((refreshed.ok && refreshed.ms !== null ? refreshed.ms : mtimeMs) + fallbackLifetimeMs, maxEpochMs);
    extra.push('access token has no readable expiry; assumed 1h after last refresh');
  }
  return {
    type: 'oauth',
    expiresAt: access ? expiresAt : null,
    refreshable,
    secret: access || refreshable ? 'present' : 'absent',
    fingerprint: access ? lazyFingerprint(access) : null,
    notes: [...(access || refreshable ? [] : ['logged out: no tokens stored']), ...extra],
  };
}

/** For live checks: the access token or key of a login read whole (never the refresh token: it is single-use). */
function handOver(context: SourceContext, auth: CodexAuth, reading: Reading): void {
  if (!context.handOverSecret || reading.problem !== undefined) return;
  const login = loginOf(auth);
  const secret = login.kind === 'oauth' ? auth.tokens?.access_token?.trim() : login.kind === 'api_key' ? auth.OPENAI_API_KEY?.trim() : undefined;
  const accountId = auth.tokens?.account_id?.trim();
  if (secret) context.handOverSecret({ source: name, agent: null, id: reading.id ?? loginRow.id }, { value: secret, ...(accountId ? { accountId } : {}) });
}

function interpret(auth: CodexAuth, mtimeMs: number): Reading {
  const login = loginOf(auth);
  const reading: Reading = (() => {
    switch (login.kind) {
      case 'oauth':
        return oauthLogin(auth, mtimeMs);
      case 'api_key':
        return apiKeyLogin(auth);
      case 'agentIdentity':
        return tokenLogin(auth.agent_identity, 'agent identity', 'agent_identity');
      case 'personalAccessToken':
        return tokenLogin(auth.personal_access_token, 'personal access token', 'personal_access_token');
      case 'bedrockApiKey':
      case 'bedrockAccessKeys':
        return bedrockLogin(auth, login.kind);
      case 'headers':
        // Supplied per request by the app hosting Codex; nothing in the file to check.
        return { secret: 'reference', notes: ['auth_mode "headers": credentials supplied by the host app at run time, not checked'] };
    }
  })();
  return login.known || reading.problem !== undefined ? reading : { ...reading, notes: [...(reading.notes ?? []), 'auth_mode not known to authwatch; judged by what is stored'] };
}

const keyringNote = (mode: CodexStoreMode, configPath: string) =>
  mode === 'ephemeral'
    ? `held only in the memory of a running Codex (cli_auth_credentials_store = "ephemeral" in ${configPath}), not checked`
    : `held in the system keyring (cli_auth_credentials_store = "${mode}" in ${configPath}), not checked`;

/**
 * The login Codex keeps outside any file authwatch reads (keyring, memory): one row saying so.
 * Counted as there (`reference` with nothing to look up), never `missing`: authwatch cannot
 * open a desktop keyring, and OpenClaw does not use this login either.
 */
function heldElsewhere(path: string, mode: CodexStoreMode, configPath: string, extra: string[] = []): Profile {
  return makeProfile({ ...loginRow, source: name, path, secret: 'reference', notes: [keyringNote(mode, configPath), ...extra] });
}

/** `CODEX_API_KEY`: `codex exec` uses it ahead of any stored login. */
function envApiKey(context: SourceContext): Profile[] {
  const key = context.env.CODEX_API_KEY?.trim();
  if (!key) return [];
  registerSecret(key);
  return [makeProfile({ id: 'openai:codex-env', provider: 'openai', source: name, type: 'api_key', fingerprint: lazyFingerprint(key), notes: ['env: CODEX_API_KEY (used by codex exec ahead of the stored login)'] })];
}

/** Codex CLI's login: ChatGPT OAuth, an API key, an agent identity or PAT, or Bedrock keys. */
export const codex: Source = {
  name,
  async read(context: SourceContext): Promise<SourceResult> {
    const path = codexAuthPath(context);
    const store = await readStoreMode(context);
    const env = envApiKey(context);
    const withEnv = (result: SourceResult): SourceResult => ({ ...result, profiles: [...result.profiles, ...env] });
    if (store.mode === 'unknown') {
      const message = `${store.path}: cli_auth_credentials_store is not one Codex accepts (file, keyring, auto, ephemeral); Codex will not start — fix the value`;
      return withEnv({ profiles: [makeProfile({ ...loginRow, source: name, path: store.path, secret: 'absent', problem: message })], visits: [{ name, path: store.path, found: true, ok: false, error: message }] });
    }
    if (store.mode === 'keyring' || store.mode === 'ephemeral') {
      // Codex never reads auth.json in these modes (keyring mode deletes it after a login).
      const ignored = (await readCredentialFile(path)).kind === 'absent' ? [] : [`${path} is left over and ignored by Codex`];
      return withEnv({ profiles: [heldElsewhere(path, store.mode, store.path, ignored)], visits: [foundVisit(name, store.path)] });
    }
    const row = { ...loginRow, source: name, path };
    const result = await readSingleProfileDocument(row, readCodexAuth, ({ value, mtimeMs }) => {
      const reading = interpret(value, mtimeMs);
      handOver(context, value, reading);
      if (store.mode !== 'auto' || reading.problem !== undefined) return reading;
      return { ...reading, notes: [...(reading.notes ?? []), `Codex reads the system keyring first (cli_auth_credentials_store = "auto"); this file is its fallback`] };
    });
    if (store.mode === 'auto' && result.profiles.length === 0) return withEnv({ profiles: [heldElsewhere(path, 'auto', store.path)], visits: result.visits });
    return withEnv(result);
  },
};

function realPathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
