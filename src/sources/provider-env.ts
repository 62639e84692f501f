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
 * Marks an env row of a provider only an official external plugin serves, when the gateway does
 * not run that plugin (not installed, turned off, or authwatch cannot tell): OpenClaw reads the
 * variable only through the plugin's manifest, and `models status` calls such a route
 * indeterminate — so the key serves no route.
 */
const externalPluginUnusedNote = 'not counted for a route until the gateway runs this plugin';

/**
 * Marks an env row whose external plugin is installed but turned off by openclaw.json's plugin
 * policy: `openclaw models status` still counts the key (it reads env candidates from every
 * installed manifest, dist/provider-env-vars-*.mjs `resolveManifestProviderAuthEnvVarCandidates`,
 * whatever the policy), the gateway does not load the plugin — so the key serves a route under
 * `--policy openclaw` only.
 */
const externalPluginOffNote = "counted by `openclaw models status`, but the gateway does not load a plugin that is off";

/** What the gateway does with the external plugin of a provider (read by openclaw-plugins.ts). */
export type ExternalPluginState =
  | { kind: 'enabled'; plugin: string }
  | { kind: 'off'; plugin: string; why: string; fix: string }
  /** In the installed plugin index, but its manifest is gone: neither the gateway nor `models status` finds it. */
  | { kind: 'files-gone'; plugin: string; manifest: string }
  | { kind: 'not-installed'; plugin: string }
  | { kind: 'unknown'; plugin: string; why: string };

/** What an env row of an external plugin's provider says, given that plugin's state (openclaw-plugins.ts). */
export function externalPluginNotes(state: ExternalPluginState): string[] {
  switch (state.kind) {
    case 'enabled':
      return [`read by the installed external plugin ${state.plugin}`];
    case 'not-installed':
      return [`read only by the official external plugin ${state.plugin}, which is not installed; fix: \`openclaw plugins install ${state.plugin}\`, then restart the gateway`, externalPluginUnusedNote];
    case 'off':
      return [`read only by the external plugin ${state.plugin}, which is installed but off (${state.why}); fix: ${state.fix}, then restart the gateway`, externalPluginOffNote];
    case 'files-gone':
      return [`read only by the external plugin ${state.plugin}, whose files are gone (${state.manifest}; the installed plugin index still lists it); fix: \`openclaw plugins install ${state.plugin}\`, then restart the gateway`, externalPluginUnusedNote];
    case 'unknown':
      return [`read only by the official external plugin ${state.plugin}; whether it is installed cannot be told (${state.why})`, externalPluginUnusedNote];
  }
}

/** Whether an env row is a key a route may use: not a pool's rotation key, not one of an external plugin the gateway (or, under `--policy openclaw`, `models status`) does not use. */
export function envRowServesRoutes(profile: Pick<Profile, 'notes'>, mode: 'openclaw' | 'authwatch'): boolean {
  if (profile.notes.includes(rotationKeyNote) || profile.notes.includes(externalPluginUnusedNote)) return false;
  return mode === 'openclaw' || !profile.notes.includes(externalPluginOffNote);
}
