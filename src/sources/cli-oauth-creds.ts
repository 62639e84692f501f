import { join } from 'node:path';
import { readObject, type Read } from '../core/json-reader.js';
import { fingerprint } from '../core/fingerprint.js';
import { checkEpochMs } from './epoch.js';
import { readSingleProfileDocument } from './credential-document.js';
import type { Source, SourceContext, SourceResult } from './source.js';

/** `~/.gemini|.qwen|.minimax/oauth_creds.json`, the Google-style OAuth file these CLIs share. */
export interface OAuthCreds {
  access_token?: string;
  refresh_token?: string;
  /** Checked where it is used (checkEpochMs), for its own words. */
  expiry_date?: unknown;
}

export function readOAuthCreds(document: unknown): Read<OAuthCreds> {
  return readObject(document, (creds) => ({
    access_token: creds.stringOrNull('access_token'),
    refresh_token: creds.stringOrNull('refresh_token'),
    expiry_date: creds.fields.expiry_date,
  }));
}

/**
 * One source per CLI that keeps its login in an `oauth_creds.json` (`expiry_date` in epoch ms,
 * refreshable when a refresh token is stored).
 */
function cliOAuthSource(name: string, dir: string, provider: string, profileId: string): Source {
  return {
    name,
    read(context: SourceContext): Promise<SourceResult> {
      const row = { id: profileId, provider, source: name, path: join(context.home, dir, 'oauth_creds.json') };
      return readSingleProfileDocument(row, readOAuthCreds, ({ value }) => {
        const refreshable = Boolean(value.refresh_token?.trim());
        const expires = checkEpochMs(value.expiry_date, 'expiry_date');
        if (!expires.ok) return { problem: expires.message, type: 'oauth' };
        const access = value.access_token?.trim();
        const present = Boolean(access) || refreshable;
        return {
          type: 'oauth',
          expiresAt: expires.ms,
          refreshable,
          secret: present ? 'present' : 'absent',
          fingerprint: access ? fingerprint(access) : null,
          notes: [...(present ? [] : ['logged out: no tokens stored'])],
        };
      });
    },
  };
}

export const geminiCli = cliOAuthSource('gemini-cli', '.gemini', 'google-gemini-cli', 'google-gemini-cli:gemini-cli');
export const qwenCli = cliOAuthSource('qwen-cli', '.qwen', 'qwen-portal', 'qwen-portal:qwen-cli');
export const minimaxCli = cliOAuthSource('minimax-cli', '.minimax', 'minimax-portal', 'minimax-portal:minimax-cli');
