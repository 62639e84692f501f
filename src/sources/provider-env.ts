import table from './provider-env-table.json' with { type: 'json' };
import type { Profile } from './source.js';

/**
 * Provider → environment variables OpenClaw reads for it, first non-empty wins. Generated from
 * the installed OpenClaw's plugin manifests and core table by scripts/provider-env-table.mjs
 * (never edited by hand); `providerEnvTableVersion` is the OpenClaw version it came from.
 */
export const providerEnvVars: Readonly<Record<string, readonly string[]>> = table.providers;

export const providerEnvTableVersion: string = table.openclawVersion;

/** Alias provider → the provider whose variables it borrows (`x-ai` → `xai`). */
export const providerEnvAliases: Readonly<Record<string, string>> = table.aliases;

/**
 * Marks an env row holding a key of a provider's key pool (env-keys.ts): OpenClaw tries it
 * after the key it resolved when the provider answers rate-limited, never without one — so it is
 * no route's key.
 */
export const rotationKeyNote = "rotation key: OpenClaw tries it only after the provider's own key is rate-limited, never in its place";

/** Providers only an official external plugin serves (not in OpenClaw's package) → that plugin's npm package. */
const externalProviders: Readonly<Record<string, string>> = table.external;

/** The npm package of the official external plugin that alone serves `provider`, if any. */
export function externalPluginOf(provider: string): string | null {
  return Object.hasOwn(externalProviders, provider) ? externalProviders[provider]! : null;
}

/**
 * What an env row of a provider only an official external plugin serves says: OpenClaw reads
 * the variable once that plugin is installed, and `models status` calls the route indeterminate
 * without it. authwatch does not read the plugin index yet, so such a key serves no route.
 */
export function externalPluginNote(provider: string): string | null {
  const plugin = externalPluginOf(provider);
  return plugin ? `read by the official external plugin ${plugin} once installed (\`openclaw plugins install ${plugin}\`); not counted for a route: authwatch does not check the install` : null;
}

/** Whether an env row is a key a route may use: not a pool's rotation key, not one of an external plugin. */
export function envRowServesRoutes(profile: Pick<Profile, 'notes' | 'provider'>): boolean {
  return !profile.notes.includes(rotationKeyNote) && externalPluginNote(profile.provider) === null;
}
