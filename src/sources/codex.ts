import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { fingerprint } from '../redact.js';
import { readSchemaFile } from './json-source-file.js';
import { jwtExpiryMs } from './jwt.js';
import { expandHome } from './openclaw-paths.js';
import {
  absentVisit,
  failedVisit,
  foundVisit,
  makeProfile,
  problemProfile,
  type Profile,
  type Source,
  type SourceContext,
  type SourceResult,
} from './source.js';

/** `~/.codex/auth.json`, as the Codex CLI writes it. */
const codexAuth = z.looseObject({
  auth_mode: z.string().nullish(),
  OPENAI_API_KEY: z.string().nullish(),
  tokens: z
    .looseObject({
      access_token: z.string().nullish(),
      refresh_token: z.string().nullish(),
      id_token: z.string().nullish(),
    })
    .nullish(),
  last_refresh: z.string().nullish(),
});
type CodexAuth = z.infer<typeof codexAuth>;

const name = 'codex';
/** When the access token is not a readable JWT, Codex treats it as good for an hour after refresh. */
const fallbackLifetimeMs = 3_600_000;

export function codexAuthPath(context: SourceContext): string {
  const configured = context.env.CODEX_HOME?.trim();
  const home = configured ? expandHome(configured, context.home) : join(context.home, '.codex');
  try {
    return join(realpathSync(home), 'auth.json');
  } catch {
    return join(home, 'auth.json');
  }
}

function isOAuthLogin(auth: CodexAuth): boolean {
  const mode = auth.auth_mode?.toLowerCase();
  if (mode) return mode === 'chatgpt' || mode === 'chatgptauthtokens';
  return typeof auth.OPENAI_API_KEY !== 'string' || auth.OPENAI_API_KEY.trim() === '';
}

function oauthProfile(auth: CodexAuth, path: string, mtimeMs: number, notes: string[]): Profile {
  const access = auth.tokens?.access_token?.trim();
  const refreshable = Boolean(auth.tokens?.refresh_token?.trim());
  let expiresAt = access ? jwtExpiryMs(access) : null;
  const extra: string[] = [];
  if (access && expiresAt === null) {
    const refreshed = auth.last_refresh ? Date.parse(auth.last_refresh) : Number.NaN;
    expiresAt = (Number.isFinite(refreshed) ? refreshed : mtimeMs) + fallbackLifetimeMs;
    extra.push('access token has no readable expiry; assumed 1h after last refresh');
  }
  return makeProfile({
    id: 'openai-codex:codex-cli',
    provider: 'openai-codex',
    source: name,
    type: 'oauth',
    path,
    expiresAt: access ? expiresAt : null,
    refreshable,
    secret: access || refreshable ? 'present' : 'absent',
    fingerprint: access ? fingerprint(access) : null,
    notes: [...(access || refreshable ? [] : ['logged out: no tokens stored']), ...extra, ...notes],
  });
}

/** Codex CLI's login: a ChatGPT OAuth login, or an API key it stores for `openai`. */
export const codex: Source = {
  name,
  async read(context: SourceContext): Promise<SourceResult> {
    const path = codexAuthPath(context);
    const file = await readSchemaFile(path, codexAuth);
    if (file.kind === 'absent') return { profiles: [], visits: [absentVisit(name, path)] };
    if (file.kind === 'error') {
      const row = { id: 'openai-codex:codex-cli', provider: 'openai-codex', source: name, path };
      return { profiles: [problemProfile(row, file.message)], visits: [failedVisit(name, path, file.message)] };
    }
    const auth = file.value;
    const profile = isOAuthLogin(auth)
      ? oauthProfile(auth, path, file.mtimeMs, file.notes)
      : makeProfile({
          id: 'openai:codex-cli',
          provider: 'openai',
          source: name,
          type: 'api_key',
          path,
          fingerprint: fingerprint(auth.OPENAI_API_KEY!.trim()),
          notes: ['API key stored by the Codex CLI', ...file.notes],
        });
    return { profiles: [profile], visits: [foundVisit(name, path)] };
  },
};
