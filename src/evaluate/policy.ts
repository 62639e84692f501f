import type { Config } from '../config/schema.js';
import type { PolicyMode } from '../config/policy-modes.js';
import { sourceNames } from '../sources/source-names.js';

export const defaultWarnMs = 86_400_000;


/** Sources `openclaw models status` reads (2026.9); the CLI logins are not among them. */
export const openclawJudgedSources: ReadonlySet<string> = new Set([
  sourceNames.openclawStore,
  sourceNames.openclawDb,
  sourceNames.openclawCli,
  sourceNames.gateway,
  sourceNames.env,
  sourceNames.required,
  sourceNames.openclawConfig,
]);

/** Everything `evaluate` needs to know beyond the profile and the clock. */
export interface Policy {
  mode: PolicyMode;
  warnMs: number;
  /** Judge refreshable OAuth by its access token's expiry (OpenClaw's own behaviour). */
  strictRefreshable: boolean;
  providerWarnMs: Readonly<Record<string, number>>;
  profiles: Readonly<Record<string, { warnMs?: number; expiresAt?: number; alert?: boolean; ignore?: boolean }>>;
  /** Every profile sets the exit code and alerts, also those no route uses. */
  strictProfiles: boolean;
}

/** `--warn` replaces the config's global window; per-provider and per-profile windows stay more specific. */
export function policyFromConfig(config: Config, warnFlagMs?: number, modeFlag?: PolicyMode): Policy {
  const mode = modeFlag ?? config.policy;
  if (mode === 'openclaw') return { mode, warnMs: defaultWarnMs, strictRefreshable: true, providerWarnMs: {}, profiles: {}, strictProfiles: false };
  const providerWarnMs: Record<string, number> = {};
  for (const [provider, override] of Object.entries(config.providers)) {
    if (override.warn !== undefined) providerWarnMs[provider] = override.warn;
  }
  const profiles: Policy['profiles'] & Record<string, unknown> = {};
  for (const [id, override] of Object.entries(config.profiles)) {
    const expiresAt =
      override.expiresAt ?? (override.issuedAt !== undefined && override.lifetime !== undefined ? override.issuedAt + override.lifetime : undefined);
    profiles[id] = {
      ...(override.warn !== undefined ? { warnMs: override.warn } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      ...(override.alert !== undefined ? { alert: override.alert } : {}),
      ...(override.ignore !== undefined ? { ignore: override.ignore } : {}),
    };
  }
  return {
    mode,
    warnMs: warnFlagMs ?? config.warn ?? defaultWarnMs,
    strictRefreshable: config.strictRefreshable,
    strictProfiles: config.strictProfiles,
    providerWarnMs,
    profiles,
  };
}
