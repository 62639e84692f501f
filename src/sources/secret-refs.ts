import { join } from 'node:path';
import { parseDotenv } from './dotenv.js';
import { expandHome, primaryStateDir } from './openclaw-paths.js';
import { pathExists, readCredentialFile } from '../core/files.js';
import type { Profile, SourceContext } from './source.js';

/**
 * Checks that secrets held by reference are there — never reads them. An `env` ref counts
 * when the variable is set in the process or in `<stateDir>/.env` (as the gateway loads it),
 * a `file` ref when the file exists, an `oauthRef` when its encrypted blob exists; `exec`
 * refs are never run and count as present. A ref that points at nothing is `missing`.
 */
export async function resolveReferences(profiles: Profile[], context: SourceContext): Promise<Profile[]> {
  if (!profiles.some((p) => p.reference)) return profiles;
  const stateDir = primaryStateDir(context);
  const dotenv = await readCredentialFile(join(stateDir, '.env'));
  const fromFile = dotenv.kind === 'ok' ? await parseDotenv(dotenv.text) : new Map<string, string>();
  return Promise.all(
    profiles.map(async (profile) => {
      const ref = profile.reference;
      if (!ref || profile.secret !== 'reference') return profile;
      let missing: string | null = null;
      if (ref.kind === 'env' && !(context.env[ref.name]?.trim() || fromFile.get(ref.name)?.trim())) {
        missing = `the environment variable ${ref.name} it refers to is not set (process or ${join(stateDir, '.env')})`;
      } else if (ref.kind === 'file' && !pathExists(expandHome(ref.path, context.home))) {
        missing = `the file ${ref.path} it refers to does not exist`;
      } else if (ref.kind === 'oauthRef') {
        const blob = join(stateDir, 'credentials', 'auth-profiles', `${ref.id.replace(/[/\\]/g, '_')}.json`);
        if (!pathExists(blob)) missing = `its encrypted credential ${blob} does not exist`;
      }
      return missing ? { ...profile, secret: 'absent' as const, notes: [missing, ...profile.notes] } : profile;
    }),
  );
}
