import * as z from '../core/zod.js';
import { isJsonObject } from '../core/json-format.js';

// The zod schemas of the credential files sources read, one per external format. This module
// is loaded only when a document is not the plain one its format's quick test takes (see
// json-format.ts): a typical check loads neither it nor zod.

/** `~/.claude/.credentials.json`, as Claude Code writes it on Linux. */
export const claudeCredentials = z.looseObject({
  claudeAiOauth: z.looseObject(
    {
      accessToken: z.optional(z.string()),
      refreshToken: z.optional(z.string()),
      expiresAt: z.optional(z.unknown()),
      subscriptionType: z.catch(z.optional(z.string()), undefined),
    },
    { error: 'missing the claudeAiOauth object' },
  ),
});

/** `~/.codex/auth.json`, as the Codex CLI writes it. */
export const codexAuth = z.looseObject({
  auth_mode: z.nullish(z.string()),
  OPENAI_API_KEY: z.nullish(z.string()),
  tokens: z.nullish(
    z.looseObject({
      access_token: z.nullish(z.string()),
      refresh_token: z.nullish(z.string()),
      id_token: z.nullish(z.string()),
    }),
  ),
  last_refresh: z.nullish(z.string()),
});

/** `~/.gemini|.qwen|.minimax/oauth_creds.json`, the Google-style OAuth file these CLIs share. */
export const oauthCreds = z.looseObject({
  access_token: z.nullish(z.string()),
  refresh_token: z.nullish(z.string()),
  expiry_date: z.optional(z.unknown()),
});

// OpenClaw's auth profile store (auth-profiles.json, and the same document inside its SQLite
// store) and its state part (auth-state.json).

/** One entry of the store's `profiles`. */
export const credential = (() => {
  const secretRef = z.looseObject({ source: z.string(), id: z.string() });
  const provider = z.string().check(z.minLength(1, 'must not be empty'));
  /** Set by OpenClaw on a `claude setup-token` credential a newer one replaced (setup_inactive). */
  const setup = z.catch(z.optional(z.object({ replacement: z.optional(z.unknown()) })), undefined);
  const apiKeyCredential = z.object({
    type: z.literal('api_key'),
    setup,
    provider,
    key: z.optional(z.string()),
    apiKey: z.optional(z.string()),
    keyRef: z.optional(secretRef),
  });
  const tokenCredential = z.object({
    type: z.literal('token'),
    setup,
    provider,
    token: z.optional(z.string()),
    tokenRef: z.optional(secretRef),
    expires: z.optional(z.unknown()),
  });
  const oauthCredential = z.object({
    type: z.literal('oauth'),
    setup,
    provider,
    access: z.optional(z.string()),
    refresh: z.optional(z.string()),
    expires: z.optional(z.unknown()),
    oauthRef: z.optional(z.object({ id: z.string() })),
  });
  return z.discriminatedUnion('type', [apiKeyCredential, tokenCredential, oauthCredential]);
})();

export const storeDocument = z.looseObject({
  version: z.optional(z.unknown()),
  // Checked as a whole only (each entry is parsed on its own): a record schema would copy
  // every entry, ≈ 9 ms for 10,000 profiles.
  profiles: z.custom<Record<string, unknown>>(isJsonObject, { error: 'must be an object mapping profile ids to credentials' }),
  usageStats: z.catch(z.optional(z.record(z.string(), z.unknown())), undefined),
});

/** auth-state.json, which most agents do not have. */
export const stateDocument = z.looseObject({
  version: z.optional(z.unknown()),
  usageStats: z.optional(z.record(z.string(), z.unknown())),
});

/** One usageStats entry, read leniently: a bad field just has no cooldown to report. */
export const usageStatsEntry = z.looseObject({
  cooldownUntil: z.catch(z.optional(z.number()), undefined),
  disabledUntil: z.catch(z.optional(z.number()), undefined),
  disabledReason: z.catch(z.optional(z.string()), undefined),
});

const modelSpec = z.union([z.string(), z.looseObject({ primary: z.optional(z.string()), fallbacks: z.optional(z.array(z.string())) })]);

/** The part of `openclaw.json` that says which providers the agents use. */
export const openclawConfig = z.looseObject({
  agents: z.optional(
    z.looseObject({
      defaults: z.optional(z.looseObject({ model: z.optional(modelSpec), imageModel: z.optional(modelSpec) })),
    }),
  ),
});
