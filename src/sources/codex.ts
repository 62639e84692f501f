import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprint } from '../core/fingerprint.js';
import { checkIsoTime, maxEpochMs } from './epoch.js';
import { jwtExpiry } from './jwt.js';
import { expandHome } from '../core/paths.js';
import { readObject, type Read } from '../core/json-reader.js';
import { readSingleProfileDocument, type ProfileFields, type Reading } from './credential-document.js';
import type { Source, SourceContext, SourceResult } from './source.js';

/** `~/.codex/auth.json`, as the Codex CLI writes it (it writes `null` for what it does not have). */
export interface CodexAuth {
  /** `apikey`, `chatgpt`, `chatgptAuthTokens`; older versions write none. */
  auth_mode?: string;
  OPENAI_API_KEY?: string;
  tokens?: { access_token?: string; refresh_token?: string; account_id?: string };
  last_refresh?: string;
}

export function readCodexAuth(document: unknown): Read<CodexAuth> {
  return readObject(document, (auth) => ({
    auth_mode: auth.stringOrNull('auth_mode'),
    OPENAI_API_KEY: auth.stringOrNull('OPENAI_API_KEY'),
    tokens: auth.objectOrNull('tokens', (tokens) => ({ access_token: tokens.stringOrNull('access_token'), refresh_token: tokens.stringOrNull('refresh_token'), account_id: tokens.stringOrNull('account_id') })),
    last_refresh: auth.stringOrNull('last_refresh'),
  }));
}

const name = 'codex';
/** When the access token is not a readable JWT, Codex treats it as good for an hour after refresh. */
const fallbackLifetimeMs = 3_600_000;

export function codexAuthPath(context: SourceContext): string {
  const configured = context.env.CODEX_HOME?.trim();
  const home = configured ? expandHome(configured, context.home) : join(context.home, '.codex');
  return join(realPathOr(home), 'auth.json');
}

const knownModes = new Map<string, 'oauth' | 'api_key'>([
  ['chatgpt', 'oauth'],
  ['chatgptauthtokens', 'oauth'],
  ['apikey', 'api_key'],
]);

/** Which login the file holds: its `auth_mode` says, else (no mode, or one not known here) what is stored. */
function loginOf(auth: CodexAuth): { kind: 'oauth' | 'api_key'; known: boolean } {
  const mode = auth.auth_mode?.trim().toLowerCase();
  const kind = mode ? knownModes.get(mode) : undefined;
  if (kind) return { kind, known: true };
  return { kind: auth.OPENAI_API_KEY?.trim() ? 'api_key' : 'oauth', known: !mode };
}

function apiKeyLogin(auth: CodexAuth): ProfileFields {
  const key = auth.OPENAI_API_KEY?.trim();
  return {
    id: 'openai:codex-cli',
    provider: 'openai',
    type: 'api_key',
    secret: key ? 'present' : 'absent',
    fingerprint: key ? fingerprint(key) : null,
    notes: [key ? 'API key stored by the Codex CLI' : 'logged out: no API key stored'],
  };
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
    fingerprint: access ? fingerprint(access) : null,
    notes: [...(access || refreshable ? [] : ['logged out: no tokens stored']), ...extra],
  };
}

/** Codex CLI's login: a ChatGPT OAuth login, or an API key it stores for `openai`. */
export const codex: Source = {
  name,
  async read(context: SourceContext): Promise<SourceResult> {
    const row = { id: 'openai-codex:codex-cli', provider: 'openai-codex', source: name, path: codexAuthPath(context) };
    return readSingleProfileDocument(row, readCodexAuth, ({ value, mtimeMs }) => {
      const login = loginOf(value);
      const reading = login.kind === 'oauth' ? oauthLogin(value, mtimeMs) : apiKeyLogin(value);
      // The access token only: a refresh token is never sent anywhere (it is single-use).
      const secret = login.kind === 'oauth' ? value.tokens?.access_token?.trim() : value.OPENAI_API_KEY?.trim();
      const accountId = value.tokens?.account_id?.trim();
      if (secret && reading.problem === undefined) context.handOverSecret?.({ source: name, agent: null, id: reading.id ?? row.id }, { value: secret, ...(accountId ? { accountId } : {}) });
      return login.known || reading.problem !== undefined ? reading : { ...reading, notes: [...(reading.notes ?? []), 'auth_mode not known to authwatch; judged by what is stored'] };
    });
  },
};

function realPathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
