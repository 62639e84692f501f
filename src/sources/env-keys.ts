import { join } from 'node:path';
import { fingerprint } from '../core/fingerprint.js';
import { readGatewayDotenv } from './dotenv.js';
import { primaryStateDir } from './openclaw-paths.js';
import { providerEnvAliases, providerEnvVars } from './provider-env.js';
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
  type SourceVisit,
} from './source.js';
import { sourceNames } from './source-names.js';

const name = sourceNames.env;

/**
 * Provider keys in the process environment and in `<stateDir>/.env`, which OpenClaw's
 * gateway loads without overriding variables that are already set. One row per provider:
 * the variable OpenClaw would actually use.
 */
export const envKeys: Source = {
  name,
  async read(context: SourceContext): Promise<SourceResult> {
    const dotenvPath = join(primaryStateDir(context), '.env');
    const file = await readGatewayDotenv(dotenvPath);
    const visits: SourceVisit[] = [{ name, path: null, found: true, ok: true, error: null }];
    const profiles: Profile[] = [];
    let fromFile = new Map<string, string>();
    if (file.kind === 'absent') visits.push(absentVisit(name, dotenvPath));
    else if (file.kind === 'error') {
      const message = `${dotenvPath}: ${file.message}`;
      visits.push(failedVisit(name, dotenvPath, message));
      profiles.push(problemProfile({ id: 'env:.env', provider: 'unknown', source: name, path: dotenvPath }, message));
    } else {
      visits.push(foundVisit(name, dotenvPath));
      fromFile = file.values;
    }

    // A key several providers read (an alias's, MINIMAX_API_KEY) is one row, under the first
    // provider that reads it, even where that one uses another of its variables.
    const claimed = new Set<string>();
    for (const [provider, variables] of Object.entries(providerEnvVars)) {
      if (providerEnvAliases[provider]) continue;
      // A variable the process has, even empty, hides the file's (dotenv-global-*.mjs
      // `loadParsedDotEnvFiles`: keys already in the environment are never overwritten).
      const fromFileUnlessSet = (variable: string) => (context.env[variable] === undefined ? fromFile.get(variable)?.trim() : undefined);
      for (const variable of variables) {
        const processValue = context.env[variable]?.trim();
        const fileValue = fromFileUnlessSet(variable);
        const value = processValue || fileValue;
        if (!value) continue;
        if (claimed.has(variable)) break;
        for (const other of variables) if (context.env[other]?.trim() || fromFileUnlessSet(other)) claimed.add(other);
        const inProcess = Boolean(processValue);
        context.handOverSecret?.({ source: name, agent: null, id: `env:${variable}` }, { value });
        profiles.push(
          makeProfile({
            id: `env:${variable}`,
            provider,
            source: name,
            type: variable.includes('OAUTH_TOKEN') ? 'token' : 'api_key',
            path: inProcess ? null : dotenvPath,
            fingerprint: fingerprint(value),
            notes: inProcess ? ['from the process environment'] : [`from ${dotenvPath}`],
          }),
        );
        break;
      }
    }
    return { profiles, visits };
  },
};
