import { dirname, join } from 'node:path';
import { readGatewayDotenv } from './dotenv.js';
import { expandHome } from '../core/paths.js';
import { primaryStateDir } from './openclaw-paths.js';
import { pathExists } from '../core/files.js';
import { fingerprint } from '../core/fingerprint.js';
import type { Profile, SourceContext } from './source.js';

/** An environment variable's name as people write them (`ANTHROPIC_API_KEY`): upper case, short. */
const envName = /^[A-Z_][A-Z0-9_]{0,63}$/;
/** An OpenClaw profile id (`openai-codex:me@example.com`) or a short lower-case name. */
const oauthName = /^(?:[a-z0-9][a-z0-9._-]{0,31}:[A-Za-z0-9._@+-]{1,64}|[a-z][a-z0-9_-]{0,15})$/;
/** A path of ordinary short segments; a long run of one segment is what a pasted key looks like. */
const plainPath = /^(?:~|\.{0,2})?(?:\/[A-Za-z0-9._-]{1,40})+\/?$/;

/**
 * A ref's id as it may be shown: itself when it is clearly a name, else its kind and a
 * fingerprint — a key pasted into `keyRef.id` must not travel into tables, JSON and alerts.
 */
export function shownRefId(kind: 'env' | 'file' | 'oauthRef', id: string): string {
  if ((kind === 'env' && envName.test(id)) || (kind === 'file' && plainPath.test(id)) || (kind === 'oauthRef' && oauthName.test(id))) return id;
  return `(${kind} ref id, fingerprint ${fingerprint(id)})`;
}

/**
 * Checks that secrets held by reference are there — never reads them. An `env` ref counts
 * when the variable is set in the process or in `<stateDir>/.env` (as the gateway loads it),
 * a `file` ref when the file exists, an `oauthRef` when its encrypted blob exists; `exec`
 * refs are never run and count as present. A ref that points at nothing is `missing`.
 */
export async function resolveReferences(profiles: Profile[], context: SourceContext): Promise<Profile[]> {
  if (!profiles.some((p) => p.reference)) return profiles;
  const stateDir = primaryStateDir(context);
  const dotenv = await readGatewayDotenv(join(stateDir, '.env'));
  const fromFile = dotenv.kind === 'ok' ? dotenv.values : new Map<string, string>();
  return Promise.all(
    profiles.map(async (profile) => {
      const ref = profile.reference;
      if (!ref || profile.secret !== 'reference') return profile;
      let missing: string | null = null;
      if (ref.kind === 'env' && !(context.env[ref.name]?.trim() || fromFile.get(ref.name)?.trim())) {
        missing = `the environment variable ${shownRefId('env', ref.name)} it refers to is not set (process or ${join(stateDir, '.env')})`;
      } else if (ref.kind === 'file' && !pathExists(expandHome(ref.path, context.home))) {
        missing = `the file ${shownRefId('file', ref.path)} it refers to does not exist`;
      } else if (ref.kind === 'oauthRef') {
        const blob = join(stateDir, 'credentials', 'auth-profiles', `${ref.id.replace(/[/\\]/g, '_')}.json`);
        const shown = shownRefId('oauthRef', ref.id);
        if (!pathExists(blob)) missing = `its encrypted credential ${shown === ref.id ? blob : `${shown} in ${dirname(blob)}`} does not exist`;
      }
      return missing ? { ...profile, secret: 'absent' as const, notes: [missing, ...profile.notes] } : profile;
    }),
  );
}
