import table from './provider-env-table.json' with { type: 'json' };

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
