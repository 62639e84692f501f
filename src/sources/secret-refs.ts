import { dirname, join, sep } from 'node:path';
import { readGatewayDotenv } from './dotenv.js';
import { expandHome } from '../core/paths.js';
import { primaryStateDir, stateDatabasePath, stateDirs } from './openclaw-paths.js';
import { pathExists } from '../core/files.js';
import { fingerprint, lazyFingerprint, type Fingerprint } from '../core/fingerprint.js';
import { registerSecret } from '../core/scrub.js';
import { readSqlite } from './sqlite-read.js';
import type { Profile, SourceContext } from './source.js';

/** An environment variable's name as people write them (`ANTHROPIC_API_KEY`): upper case, short. */
const envName = /^[A-Z_][A-Z0-9_]{0,63}$/;
/** An OpenClaw profile id (`openai-codex:me@example.com`) or a short lower-case name. */
const oauthName = /^(?:[a-z0-9][a-z0-9._-]{0,31}:[A-Za-z0-9._@+-]{1,64}|[a-z][a-z0-9_-]{0,15})$/;
/** A path of ordinary short segments; a long run of one segment is what a pasted key looks like. */
const plainPath = /^(?:~|\.{0,2})?(?:\/[A-Za-z0-9._-]{1,40})+\/?$/;
/** OpenClaw's rule for a `store` ref id (its ENV_SECRET_REF_ID_RE); anything else it rejects. */
const storeName = /^[A-Z][A-Z0-9_]{0,127}$/;

/**
 * A ref's id as it may be shown: itself when it is clearly a name, else its kind and a
 * fingerprint — a key pasted into `keyRef.id` must not travel into tables, JSON and alerts.
 */
function shownRefId(kind: 'env' | 'file' | 'oauthRef' | 'store', id: string): string {
  if ((kind === 'env' && envName.test(id)) || (kind === 'file' && plainPath.test(id)) || (kind === 'oauthRef' && oauthName.test(id)) || (kind === 'store' && storeName.test(id))) return id;
  return `(${kind} ref id, fingerprint ${fingerprint(id)})`;
}

/** The state dir whose gateway uses this profile: a configured `--profile` dir it lies in, else the primary one. */
function stateDirOf(profile: Profile, context: SourceContext): string {
  const owner = stateDirs(context).find((dir) => dir.profile !== undefined && profile.path?.startsWith(dir.dir + sep));
  return owner?.dir ?? primaryStateDir(context);
}

type StoreLookup = { kind: 'found'; fingerprint: Fingerprint } | { kind: 'none' } | { kind: 'unreadable'; message: string };

/**
 * A `store` ref as OpenClaw resolves it: the team-scope entry of that name in the state DB's
 * `secret_store_entries`, not deleted. Its value is not put in the profile: only its fingerprint,
 * and it is handed to the scrubber. A database without the table has no entries (as OpenClaw reads it).
 */
async function lookUpStoreEntry(database: string, entry: string): Promise<StoreLookup> {
  const read = await readSqlite(database, (db) => db.findOptional('secret_store_entries', 'name', entry, ['scope_kind', 'scope_id', 'deleted_at_ms', 'value']));
  if (read.kind === 'absent') return { kind: 'none' };
  if (read.kind === 'error') return { kind: 'unreadable', message: `${database}: ${read.message}` };
  const row = read.value;
  // Only team-scope entries are ever written or read by OpenClaw 2026.9.
  if (!row || row.scope_kind !== 'team' || row.scope_id !== '' || (row.deleted_at_ms !== null && row.deleted_at_ms !== undefined)) return { kind: 'none' };
  const value = typeof row.value === 'string' ? row.value : '';
  registerSecret(value);
  return value ? { kind: 'found', fingerprint: lazyFingerprint(value) } : { kind: 'none' };
}

/**
 * Checks that secrets held by reference are there — never reads them. An `env` ref counts
 * when the variable is set in the process or in `<stateDir>/.env` (as the gateway loads it),
 * a `file` ref when the file exists, an `oauthRef` when its encrypted blob exists, a `store`
 * ref when its entry is in the state DB; `exec` refs are never run and count as present. A
 * ref that points at nothing is `missing`. `<stateDir>` is the one of the gateway that uses the
 * profile (a `--profile` dir for the profiles read from it).
 */
export async function resolveReferences(profiles: Profile[], context: SourceContext): Promise<Profile[]> {
  if (!profiles.some((p) => p.reference)) return profiles;
  const dotenvs = new Map<string, Promise<Map<string, string>>>();
  const dotenvOf = (stateDir: string) => {
    let values = dotenvs.get(stateDir);
    if (!values) dotenvs.set(stateDir, (values = readGatewayDotenv(join(stateDir, '.env')).then((read) => (read.kind === 'ok' ? read.values : new Map<string, string>()))));
    return values;
  };
  return Promise.all(
    profiles.map(async (profile) => {
      const ref = profile.reference;
      if (!ref || profile.secret !== 'reference') return profile;
      const stateDir = stateDirOf(profile, context);
      let missing: string | null = null;
      if (ref.kind === 'env' && !(context.env[ref.name]?.trim() || (await dotenvOf(stateDir)).get(ref.name)?.trim())) {
        missing = `the environment variable ${shownRefId('env', ref.name)} it refers to is not set (process or ${join(stateDir, '.env')})`;
      } else if (ref.kind === 'file' && !pathExists(expandHome(ref.path, context.home))) {
        missing = `the file ${shownRefId('file', ref.path)} it refers to does not exist`;
      } else if (ref.kind === 'oauthRef') {
        const blob = join(stateDir, 'credentials', 'auth-profiles', `${ref.id.replace(/[/\\]/g, '_')}.json`);
        const shown = shownRefId('oauthRef', ref.id);
        if (!pathExists(blob)) missing = `its encrypted credential ${shown === ref.id ? blob : `${shown} in ${dirname(blob)}`} does not exist`;
      } else if (ref.kind === 'store') {
        const database = stateDatabasePath(stateDir);
        const shown = shownRefId('store', ref.name);
        if (shown !== ref.name) return { ...profile, secret: 'absent' as const, notes: [`its secret store entry ${shown} is not a name OpenClaw accepts (A-Z, 0-9, _)`, ...profile.notes] };
        const found = await lookUpStoreEntry(database, ref.name);
        if (found.kind === 'unreadable') return { ...profile, problem: `could not check its secret store entry ${shown}: ${found.message}` };
        if (found.kind === 'none') missing = `its secret store entry ${shown} is not in ${database}`;
        else return { ...profile, fingerprint: found.fingerprint, notes: [`held in OpenClaw's secret store (${shown})`, ...profile.notes] };
      }
      return missing ? { ...profile, secret: 'absent' as const, notes: [missing, ...profile.notes] } : profile;
    }),
  );
}
