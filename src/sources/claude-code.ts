import { join } from 'node:path';
import { lazyFingerprint } from '../core/fingerprint.js';
import { checkEpochMs } from './epoch.js';
import { expandHome } from '../core/paths.js';
import { readObject, type Read } from '../core/json-reader.js';
import { readSingleProfileDocument } from './credential-document.js';
import type { Source, SourceContext, SourceResult } from './source.js';
import { sourceNames } from './source-names.js';

/** The `claudeAiOauth` object of `~/.claude/.credentials.json`, as Claude Code writes it on Linux. */
interface ClaudeOauth {
  accessToken?: string;
  refreshToken?: string;
  /** Checked where it is used (checkEpochMs), for its own words. */
  expiresAt?: unknown;
  /** Only shown: a value of another type is ignored. */
  subscriptionType?: string;
}

export function readClaudeCredentials(document: unknown): Read<ClaudeOauth> {
  return readObject(
    document,
    (root) =>
      root.requiredObject('claudeAiOauth', 'missing the claudeAiOauth object', (oauth) => ({
      accessToken: oauth.string('accessToken'),
      refreshToken: oauth.string('refreshToken'),
      expiresAt: oauth.fields.expiresAt,
      subscriptionType: typeof oauth.fields.subscriptionType === 'string' ? oauth.fields.subscriptionType : undefined,
    })) ?? {}, // without it there is a problem, and no value
  );
}

const name = sourceNames.claudeCode;
const profileId = 'anthropic:claude-cli';

/**
 * Where Claude Code keeps `.credentials.json`: `$CLAUDE_SECURESTORAGE_CONFIG_DIR` (which moves
 * only the login), else `$CLAUDE_CONFIG_DIR`, else `~/.claude`. Each replaces the next; Claude
 * Code does not fall back from one to another.
 */
function claudeCredentialsPath(context: SourceContext): string {
  const configDir = context.env.CLAUDE_SECURESTORAGE_CONFIG_DIR?.trim() || context.env.CLAUDE_CONFIG_DIR?.trim();
  return configDir
    ? join(expandHome(configDir, context.home), '.credentials.json')
    : join(context.home, '.claude', '.credentials.json');
}

/** Claude Code CLI's own login; OpenClaw mirrors it as `anthropic:claude-cli`. */
export const claudeCode: Source = {
  name,
  read(context: SourceContext): Promise<SourceResult> {
    const row = { id: profileId, provider: 'anthropic', source: name, path: claudeCredentialsPath(context) };
    return readSingleProfileDocument(row, readClaudeCredentials, ({ value: oauth }) => {
      const refreshable = Boolean(oauth.refreshToken?.trim());
      const type = refreshable ? 'oauth' : 'token';
      const expires = checkEpochMs(oauth.expiresAt, 'claudeAiOauth.expiresAt');
      if (!expires.ok) return { problem: expires.message, type };
      const access = oauth.accessToken?.trim();
      if (access) context.handOverSecret?.({ source: name, agent: null, id: profileId }, { value: access });
      const plan = oauth.subscriptionType ? [`Claude ${oauth.subscriptionType.slice(0, 20)} plan`] : [];
      return {
        type,
        expiresAt: expires.ms,
        refreshable,
        secret: access || refreshable ? 'present' : 'absent',
        fingerprint: access ? lazyFingerprint(access) : null,
        notes: [...(access || refreshable ? [] : ['no access token stored']), ...plan],
      };
    });
  },
};
