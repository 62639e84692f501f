import { join } from 'node:path';
import type * as z from '../core/zod.js';
import type * as schemas from './file-schemas.js';
import { fingerprint } from '../core/fingerprint.js';
import { checkEpochMs } from './epoch.js';
import { expandHome } from './openclaw-paths.js';
import { isJsonObject, isOptionalString, JsonFormat } from '../core/json-format.js';
import { readSingleFile } from './single-file-source.js';
import type { Source, SourceContext, SourceResult } from './source.js';

/** `~/.claude/.credentials.json`, as Claude Code writes it on Linux. */
export const claudeCredentials = new JsonFormat<z.infer<typeof schemas.claudeCredentials>>(
  async () => (await import('./file-schemas.js')).claudeCredentials,
  (value) => {
    const oauth = isJsonObject(value) ? value.claudeAiOauth : undefined;
    return isJsonObject(oauth) && isOptionalString(oauth.accessToken) && isOptionalString(oauth.refreshToken) && isOptionalString(oauth.subscriptionType);
  },
);

const name = 'claude-code';
const profileId = 'anthropic:claude-cli';

export function claudeCredentialsPath(context: SourceContext): string {
  const configDir = context.env.CLAUDE_CONFIG_DIR?.trim();
  return configDir
    ? join(expandHome(configDir, context.home), '.credentials.json')
    : join(context.home, '.claude', '.credentials.json');
}

/** Claude Code CLI's own login; OpenClaw mirrors it as `anthropic:claude-cli`. */
export const claudeCode: Source = {
  name,
  read(context: SourceContext): Promise<SourceResult> {
    const row = { id: profileId, provider: 'anthropic', source: name, path: claudeCredentialsPath(context) };
    return readSingleFile(row, claudeCredentials, ({ value }) => {
      const oauth = value.claudeAiOauth;
      const refreshable = Boolean(oauth.refreshToken?.trim());
      const type = refreshable ? 'oauth' : 'token';
      const expires = checkEpochMs(oauth.expiresAt, 'claudeAiOauth.expiresAt');
      if (!expires.ok) return { problem: expires.message, type };
      const access = oauth.accessToken?.trim();
      const plan = oauth.subscriptionType ? [`Claude ${oauth.subscriptionType.slice(0, 20)} plan`] : [];
      return {
        type,
        expiresAt: expires.ms,
        refreshable,
        secret: access || refreshable ? 'present' : 'absent',
        fingerprint: access ? fingerprint(access) : null,
        notes: [...(access || refreshable ? [] : ['no access token stored']), ...plan],
      };
    });
  },
};
