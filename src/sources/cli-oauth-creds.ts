import { join } from 'node:path';
import { z } from 'zod';
import { fingerprint } from '../redact.js';
import { checkEpochMs } from './epoch.js';
import { readSchemaFile } from './json-source-file.js';
import {
  absentVisit,
  failedVisit,
  foundVisit,
  makeProfile,
  problemProfile,
  type Source,
  type SourceContext,
  type SourceResult,
} from './source.js';

/** `~/.gemini|.qwen|.minimax/oauth_creds.json`, the Google-style OAuth file these CLIs share. */
const oauthCreds = z.looseObject({
  access_token: z.string().nullish(),
  refresh_token: z.string().nullish(),
  expiry_date: z.unknown().optional(),
});

/**
 * One source per CLI that keeps its login in an `oauth_creds.json` (`expiry_date` in epoch ms,
 * refreshable when a refresh token is stored).
 */
function cliOAuthSource(name: string, dir: string, provider: string, profileId: string): Source {
  return {
    name,
    async read(context: SourceContext): Promise<SourceResult> {
      const path = join(context.home, dir, 'oauth_creds.json');
      const file = await readSchemaFile(path, oauthCreds);
      const row = { id: profileId, provider, source: name, path };
      if (file.kind === 'absent') return { profiles: [], visits: [absentVisit(name, path)] };
      if (file.kind === 'error') return { profiles: [problemProfile(row, file.message)], visits: [failedVisit(name, path, file.message)] };
      const refreshable = Boolean(file.value.refresh_token?.trim());
      const expires = checkEpochMs(file.value.expiry_date, 'expiry_date');
      if (!expires.ok) {
        const message = `${path}: ${expires.message}`;
        return { profiles: [problemProfile({ ...row, type: 'oauth' }, message)], visits: [failedVisit(name, path, message)] };
      }
      const access = file.value.access_token?.trim();
      const present = Boolean(access) || refreshable;
      return {
        profiles: [
          makeProfile({
            ...row,
            type: 'oauth',
            expiresAt: expires.ms,
            refreshable,
            secret: present ? 'present' : 'absent',
            fingerprint: access ? fingerprint(access) : null,
            notes: [...(present ? [] : ['logged out: no tokens stored']), ...file.notes],
          }),
        ],
        visits: [foundVisit(name, path)],
      };
    },
  };
}

export const geminiCli = cliOAuthSource('gemini-cli', '.gemini', 'google-gemini-cli', 'google-gemini-cli:gemini-cli');
export const qwenCli = cliOAuthSource('qwen-cli', '.qwen', 'qwen-portal', 'qwen-portal:qwen-cli');
export const minimaxCli = cliOAuthSource('minimax-cli', '.minimax', 'minimax-portal', 'minimax-portal:minimax-cli');
