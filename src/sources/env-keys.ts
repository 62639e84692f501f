import { join } from 'node:path';
import { lazyFingerprint } from '../core/fingerprint.js';
import { registerSecret } from '../core/scrub.js';
import { readGatewayDotenv } from './dotenv.js';
import { primaryStateDir } from './openclaw-paths.js';
import { readExternalPluginStates } from './openclaw-plugins.js';
import { externalPluginNotes, providerEnvAliases, providerEnvVars, rotationKeyNote, type ExternalPluginState } from './provider-env.js';
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

/** Where a key came from. */
const whereFrom = (inProcess: boolean, dotenvPath: string): string => (inProcess ? 'from the process environment' : `from ${dotenvPath}`);

/** A row of an external plugin's provider says whether the gateway runs that plugin (a provider not in `plugins` is OpenClaw's own). */
function withPluginNotes(profile: Profile, plugins: ReadonlyMap<string, ExternalPluginState>): Profile {
  const state = plugins.get(profile.provider);
  return state ? { ...profile, notes: [...profile.notes, ...externalPluginNotes(state)] } : profile;
}

interface PoolVariables {
  /** `OPENCLAW_LIVE_<BASE>_KEY`: when set, the pool is this key alone. */
  liveSingle: string;
  /** `<BASE>_API_KEYS`: keys split at whitespace, `,` and `;`. */
  listVar: string;
  primaryVar: string;
  /** Every variable named `<BASE>_API_KEY_…`. */
  prefixedVar: string;
  fallbackVars: readonly string[];
}

const gemini: PoolVariables = { liveSingle: 'OPENCLAW_LIVE_GEMINI_KEY', listVar: 'GEMINI_API_KEYS', primaryVar: 'GEMINI_API_KEY', prefixedVar: 'GEMINI_API_KEY_', fallbackVars: ['GOOGLE_API_KEY'] };
const customPools: Readonly<Record<string, PoolVariables>> = {
  anthropic: { liveSingle: 'OPENCLAW_LIVE_ANTHROPIC_KEY', listVar: 'OPENCLAW_LIVE_ANTHROPIC_KEYS', primaryVar: 'ANTHROPIC_API_KEY', prefixedVar: 'ANTHROPIC_API_KEY_', fallbackVars: [] },
  google: gemini,
  'google-vertex': gemini,
  openai: { liveSingle: 'OPENCLAW_LIVE_OPENAI_KEY', listVar: 'OPENAI_API_KEYS', primaryVar: 'OPENAI_API_KEY', prefixedVar: 'OPENAI_API_KEY_', fallbackVars: [] },
};

/** A provider's pool variables (OpenClaw's `resolveProviderApiKeyConfig`, src/agents/live-auth-keys.ts). */
function poolVariables(provider: string): PoolVariables {
  const custom = customPools[provider];
  if (custom) return custom;
  const base = provider.toUpperCase().replace(/-/g, '_');
  return { liveSingle: `OPENCLAW_LIVE_${base}_KEY`, listVar: `${base}_API_KEYS`, primaryVar: `${base}_API_KEY`, prefixedVar: `${base}_API_KEY_`, fallbackVars: [] };
}

/** One key of a pool and the variable (and place in a list) it came from. */
interface PoolKey {
  label: string;
  variable: string;
  value: string;
}

/**
 * A provider's pool in OpenClaw's order (`collectProviderApiKeys`, src/agents/live-auth-keys.ts):
 * the live single key alone when set, else the list, the primary variable, every prefixed one,
 * the fallbacks and the provider's own variables; each value once.
 */
function poolKeys(provider: string, names: readonly string[], value: (variable: string) => string | undefined): PoolKey[] {
  const pool = poolVariables(provider);
  const single = value(pool.liveSingle);
  if (single) return [{ label: pool.liveSingle, variable: pool.liveSingle, value: single }];
  const keys: PoolKey[] = [];
  (value(pool.listVar) ?? '')
    .split(/[\s,;]+/)
    .filter(Boolean)
    .forEach((key, index) => keys.push({ label: `${pool.listVar}#${index + 1}`, variable: pool.listVar, value: key }));
  const named = (variable: string) => {
    const key = value(variable);
    if (key) keys.push({ label: variable, variable, value: key });
  };
  named(pool.primaryVar);
  for (const variable of names) if (variable.startsWith(pool.prefixedVar)) named(variable);
  for (const variable of [...pool.fallbackVars, ...(providerEnvVars[provider] ?? [])]) named(variable);
  const seen = new Set<string>();
  return keys.filter((key) => !seen.has(key.value) && seen.add(key.value));
}

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
            fingerprint: lazyFingerprint(value),
            notes: [whereFrom(inProcess, dotenvPath)],
          }),
        );
        break;
      }
    }
    // The installed plugin index is read only when an external plugin's provider has a key.
    const pending = [...profiles, ...rotationKeys(context, fromFile, dotenvPath, profiles)];
    const plugins = await readExternalPluginStates(context, [...new Set(pending.map((profile) => profile.provider))]);
    return { profiles: pending.map((profile) => withPluginNotes(profile, plugins)), visits };
  },
};

/**
 * The rest of every provider's key pool (`<PROVIDER>_API_KEYS`, `<PROVIDER>_API_KEY_*`,
 * `OPENCLAW_LIVE_<PROVIDER>_KEY`): a row per key no other row shows, marked with
 * `rotationKeyNote`. OpenClaw rotates through them on rate limits (`executeWithApiKeyRotation`,
 * src/agents/api-key-rotation.ts) after the key it resolved; `models status` lists none of them.
 */
function rotationKeys(context: SourceContext, fromFile: ReadonlyMap<string, string>, dotenvPath: string, rows: readonly Profile[]): Profile[] {
  // The gateway's environment: the process's variables, then the file's it did not have.
  const names = [...Object.keys(context.env), ...[...fromFile.keys()].filter((variable) => context.env[variable] === undefined)];
  const value = (variable: string) => (context.env[variable] !== undefined ? context.env[variable] : fromFile.get(variable))?.trim() || undefined;
  const shown = new Set(rows.map((row) => row.id));
  const profiles: Profile[] = [];
  for (const provider of Object.keys(providerEnvVars)) {
    if (providerEnvAliases[provider]) continue;
    const own = new Set(providerEnvVars[provider]);
    // A pool key that is also one of the provider's own variables is the key its row shows.
    const values = new Set([...own].map(value).filter((key) => key !== undefined));
    for (const key of poolKeys(provider, names, value)) {
      const id = `env:${key.label}`;
      // The provider's own variables are its primary row (or another provider's); a key held twice is one key.
      if (own.has(key.variable) || values.has(key.value) || shown.has(id)) continue;
      shown.add(id);
      values.add(key.value);
      registerSecret(key.value);
      // A backup key is checked live like any other (zero-token), so a dead one is reported.
      context.handOverSecret?.({ source: name, agent: null, id }, { value: key.value });
      const inProcess = context.env[key.variable] !== undefined;
      profiles.push(
        makeProfile({
          id,
          provider,
          source: name,
          type: 'api_key',
          path: inProcess ? null : dotenvPath,
          fingerprint: lazyFingerprint(key.value),
          notes: [rotationKeyNote, whereFrom(inProcess, dotenvPath)],
        }),
      );
    }
  }
  return profiles;
}
