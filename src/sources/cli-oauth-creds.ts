import { join } from 'node:path';
import { readObject, type Read } from '../core/json-reader.js';
import { lazyFingerprint } from '../core/fingerprint.js';
import { checkEpochMs } from './epoch.js';
import { readSingleProfileDocument } from './credential-document.js';
import { expandHome } from '../core/paths.js';
import type { Source, SourceContext, SourceResult } from './source.js';
import { sourceNames } from './source-names.js';

/** `~/.gemini|.qwen|.minimax/oauth_creds.json`, the Google-style OAuth file these CLIs share. */
interface OAuthCreds {
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

export interface CliOAuthStore {
  name: string;
  provider: string;
  profileId: string;
  /** The CLI's own directory (`~/.gemini`, `$QWEN_HOME`, …), where `oauth_creds.json` lives. */
  dir(context: SourceContext): string;
  /** Its access token goes to the live checks (a checker reads this provider's logins). */
  liveChecked?: boolean;
}

/** An environment variable naming a directory, `~` expanded; `null` when unset or blank. */
export function envDir(context: SourceContext, variable: string): string | null {
  const value = context.env[variable]?.trim();
  return value ? expandHome(value, context.home) : null;
}

/** The CLI's `oauth_creds.json` as one profile (`expiry_date` in epoch ms, refreshable with a refresh token). */
export function readCliOAuthCreds(store: CliOAuthStore, context: SourceContext): Promise<SourceResult> {
  const row = { id: store.profileId, provider: store.provider, source: store.name, path: join(store.dir(context), 'oauth_creds.json') };
  return readSingleProfileDocument(row, readOAuthCreds, ({ value }) => {
    const refreshable = Boolean(value.refresh_token?.trim());
    const expires = checkEpochMs(value.expiry_date, 'expiry_date');
    if (!expires.ok) return { problem: expires.message, type: 'oauth' };
    const access = value.access_token?.trim();
    if (access && store.liveChecked) context.handOverSecret?.({ source: store.name, agent: null, id: store.profileId }, { value: access });
    const present = Boolean(access) || refreshable;
    return {
      type: 'oauth',
      expiresAt: expires.ms,
      refreshable,
      secret: present ? 'present' : 'absent',
      fingerprint: access ? lazyFingerprint(access) : null,
      notes: [...(present ? [] : ['logged out: no tokens stored'])],
    };
  });
}

function cliOAuthSource(store: CliOAuthStore): Source {
  return { name: store.name, read: (context) => readCliOAuthCreds(store, context) };
}

/** Qwen Code: `$QWEN_HOME` replaces `~/.qwen`. */
export const qwenCli = cliOAuthSource({ name: sourceNames.qwenCli, provider: 'qwen-portal', profileId: 'qwen-portal:qwen-cli', dir: (context) => envDir(context, 'QWEN_HOME') ?? join(context.home, '.qwen') });
export const minimaxCli = cliOAuthSource({ name: sourceNames.minimaxCli, provider: 'minimax-portal', profileId: 'minimax-portal:minimax-cli', dir: (context) => join(context.home, '.minimax') });
