import { join } from 'node:path';
import { lazyFingerprint } from '../core/fingerprint.js';
import { pathExists, readCredentialFile } from '../core/files.js';
import { registerSecret } from '../core/scrub.js';
import { envDir, readCliOAuthCreds, type CliOAuthStore } from './cli-oauth-creds.js';
import { parseDotenv } from './dotenv.js';
import { absentVisit, failedVisit, foundVisit, makeProfile, problemProfile, type Profile, type Source, type SourceContext, type SourceResult } from './source.js';
import { sourceNames } from './source-names.js';

const name = sourceNames.geminiCli;

/** Gemini CLI's `~/.gemini`; `$GEMINI_CLI_HOME` replaces the home it sits in. */
function geminiDir(context: SourceContext): string {
  return join(envDir(context, 'GEMINI_CLI_HOME') ?? context.home, '.gemini');
}

const oauthStore: CliOAuthStore = { name, provider: 'google-gemini-cli', profileId: 'google-gemini-cli:gemini-cli', dir: geminiDir, liveChecked: true };

/** Set to exactly `true`, Gemini CLI keeps its login in the keychain (or an encrypted file) and never reads oauth_creds.json. */
const encryptedFlag = 'GEMINI_FORCE_ENCRYPTED_FILE_STORAGE';

/**
 * The login in Gemini CLI's encrypted storage: the AES-GCM file `gemini-credentials.json`
 * (keyed on host and user) when it is there, else the system keychain. Neither can be read
 * here, so one row says where it is held — counted as there, never `missing`.
 */
function encryptedLogin(dir: string, flagSet: boolean, extra: string[]): Profile {
  const file = join(dir, 'gemini-credentials.json');
  const where = pathExists(file) ? `held in Gemini CLI's encrypted file ${file}, not checked` : `held in the system keychain (${encryptedFlag}=true), not checked`;
  const unset = flagSet ? [] : [`${encryptedFlag} is not set for authwatch; Gemini CLI reads this file only when it is`];
  return makeProfile({ id: oauthStore.profileId, provider: oauthStore.provider, source: name, path: pathExists(file) ? file : null, secret: 'reference', notes: [where, ...unset, ...extra] });
}

/** `GEMINI_API_KEY` in `~/.gemini/.env`, the file Gemini CLI loads its key from (dotenv format). */
async function dotenvKey(dir: string): Promise<SourceResult> {
  const path = join(dir, '.env');
  const file = await readCredentialFile(path);
  if (file.kind === 'absent' || (file.kind === 'error' && file.message === 'empty file')) return { profiles: [], visits: [absentVisit(name, path)] };
  const row = { id: 'google:gemini-cli', provider: 'google', source: name, path };
  if (file.kind === 'error') {
    const message = `${path}: ${file.message}`;
    return { profiles: [problemProfile(row, message)], visits: [failedVisit(name, path, message)] };
  }
  const values = await parseDotenv(file.text);
  for (const value of values.values()) registerSecret(value);
  const key = values.get('GEMINI_API_KEY')?.trim();
  if (!key) return { profiles: [], visits: [foundVisit(name, path)] };
  return { profiles: [makeProfile({ ...row, type: 'api_key', fingerprint: lazyFingerprint(key), notes: ['GEMINI_API_KEY in Gemini CLI\'s .env'] })], visits: [foundVisit(name, path)] };
}

/** Gemini CLI: its OAuth login (plain file or encrypted storage) and the API key in its .env. */
export const geminiCli: Source = {
  name,
  async read(context: SourceContext): Promise<SourceResult> {
    const dir = geminiDir(context);
    const flagSet = context.env[encryptedFlag] === 'true';
    const plain = join(dir, 'oauth_creds.json');
    let login: SourceResult;
    if (flagSet) {
      const ignored = pathExists(plain) ? [`${plain} is left over and ignored by Gemini CLI`] : [];
      login = { profiles: [encryptedLogin(dir, true, ignored)], visits: [foundVisit(name, dir)] };
    } else {
      login = await readCliOAuthCreds(oauthStore, context);
      if (login.profiles.length === 0 && pathExists(join(dir, 'gemini-credentials.json'))) login = { profiles: [encryptedLogin(dir, false, [])], visits: login.visits };
    }
    const key = await dotenvKey(dir);
    return { profiles: [...login.profiles, ...key.profiles], visits: [...login.visits, ...key.visits] };
  },
};
