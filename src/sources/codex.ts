import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import type * as z from '../core/zod.js';
import type * as schemas from './file-schemas.js';
import { fingerprint } from '../core/fingerprint.js';
import { checkIsoTime, maxEpochMs } from './epoch.js';
import { jwtExpiry } from './jwt.js';
import { expandHome } from './openclaw-paths.js';
import { isJsonObject, isNullishString, JsonFormat } from '../core/json-format.js';
import { readSingleFile, type Reading } from './single-file-source.js';
import type { Source, SourceContext, SourceResult } from './source.js';

/** `~/.codex/auth.json`, as the Codex CLI writes it. */
type CodexAuth = z.infer<typeof schemas.codexAuth>;
export const codexAuth = new JsonFormat<CodexAuth>(
  async () => (await import('./file-schemas.js')).codexAuth,
  (value) => {
    if (!isJsonObject(value) || !isNullishString(value.auth_mode) || !isNullishString(value.OPENAI_API_KEY) || !isNullishString(value.last_refresh)) return false;
    const { tokens } = value;
    return tokens === undefined || tokens === null || (isJsonObject(tokens) && isNullishString(tokens.access_token) && isNullishString(tokens.refresh_token) && isNullishString(tokens.id_token));
  },
);

const name = 'codex';
/** When the access token is not a readable JWT, Codex treats it as good for an hour after refresh. */
const fallbackLifetimeMs = 3_600_000;

export function codexAuthPath(context: SourceContext): string {
  const configured = context.env.CODEX_HOME?.trim();
  const home = configured ? expandHome(configured, context.home) : join(context.home, '.codex');
  return join(realPathOr(home), 'auth.json');
}

function isOAuthLogin(auth: CodexAuth): boolean {
  const mode = auth.auth_mode?.toLowerCase();
  if (mode) return mode === 'chatgpt' || mode === 'chatgptauthtokens';
  return typeof auth.OPENAI_API_KEY !== 'string' || auth.OPENAI_API_KEY.trim() === '';
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
    return readSingleFile(row, codexAuth, ({ value, mtimeMs }) =>
      isOAuthLogin(value)
        ? oauthLogin(value, mtimeMs)
        : {
            id: 'openai:codex-cli',
            provider: 'openai',
            type: 'api_key',
            fingerprint: fingerprint(value.OPENAI_API_KEY!.trim()),
            notes: ['API key stored by the Codex CLI'],
          },
    );
  },
};

function realPathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
