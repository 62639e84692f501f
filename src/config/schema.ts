import * as z from '../core/zod.js';
import { alertingSchema, channelsSchema } from './alerting.js';
import { heartbeatsSchema } from '../alerts/heartbeat-targets.js';
import { AuthwatchError } from '../core/errors.js';
import { describeIssues, type IssueContext } from '../core/zod-issues.js';
import { daemonDefault, defaultAlerting, openclawDefault, quotaThresholdsDefault, scheduleDefault } from './defaults.js';
import { policyModes } from './policy-modes.js';
import { declaredSchema } from '../sources/declared-schema.js';
import { duration, instant } from './primitives.js';

const nonEmpty = () => z.string().check(z.minLength(1));

const profileOverride = z
  .strictObject({
    /** warning window for this profile */
    warn: z.optional(duration),
    /** known expiry, for a credential that stores none */
    expiresAt: z.optional(instant),
    /** when the credential was issued; with lifetime gives its expiry */
    issuedAt: z.optional(instant),
    /** how long the credential lives from issuedAt, e.g. "365d" */
    lifetime: z.optional(duration),
    /** alert on it and let it set the exit code even when no route uses it */
    alert: z.optional(z.boolean()),
    /** leave it out completely: not shown, no exit code, no alert, no metric */
    ignore: z.optional(z.boolean()),
  })
  .check(
    z.superRefine((value, ctx) => {
      if ((value.issuedAt === undefined) !== (value.lifetime === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [value.issuedAt === undefined ? 'issuedAt' : 'lifetime'],
          message: 'issuedAt and lifetime go together',
        });
      }
      if (value.expiresAt !== undefined && value.issuedAt !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'give either expiresAt or issuedAt + lifetime, not both' });
      }
    }),
  );

/** A secret given by reference: read from a file or an environment variable, never inline. */
const secretRef = z
  .strictObject({ file: z.optional(nonEmpty()), env: z.optional(nonEmpty()) })
  .check(z.refine((ref) => (ref.file === undefined) !== (ref.env === undefined), { error: 'give exactly one of file or env' }));

const metricsAuth = z.union([
  /** the token scrapers must send as "Authorization: Bearer …" */
  z.strictObject({ bearerToken: secretRef }),
  z.strictObject({ basic: z.strictObject({ user: nonEmpty(), password: secretRef }) }),
]);

const daemonSettings = z.strictObject({
  /** a scrape re-reads the credentials when the last check is older than this */
  scrapeTtl: z._default(duration, 30_000),
  /** /healthz turns 503 when the last completed check is older (default: 3 schedule periods) */
  staleAfter: z.optional(duration),
});

const providerId = z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a provider id like "anthropic" or "openai-codex"'));

// --- live checks (src/live): `live: true`, or the settings object ---
/** A base URL a key may be sent to: https, or plain http to this host only (a local proxy, a test). */
const baseUrl = z.string().check(
  z.refine((text) => {
    try {
      const url = new URL(text);
      return url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname));
    } catch {
      return false;
    }
  }, 'expected an https:// URL (http:// only for localhost, 127.0.0.1 or [::1])'),
);
const liveSettings = z.union([
  z.boolean(),
  z.strictObject({
    enabled: z._default(z.boolean(), true),
    /** at most one request per credential per interval */
    interval: z._default(duration, 3_600_000),
    /** for endpoints that report usage windows */
    quotaInterval: z._default(duration, 300_000),
    /** per request */
    timeout: z._default(duration, 8_000),
    /** for all live requests of one run */
    runTimeout: z._default(duration, 20_000),
    concurrency: z._default(z.number().check(z.int(), z.gte(1), z.lte(2)), 2),
    /** a usage window at or above this percentage warns */
    quotaWarn: z._default(z.number().check(z.gt(0), z.lte(100)), 90),
    /** alert once per usage window as it passes each of these percentages, and when it resets */
    quotaThresholds: z._default(
      z.array(z.number().check(z.gt(0), z.lte(100))).check(
        z.minLength(1),
        z.refine((list: number[]) => new Set(list).size === list.length, 'each threshold once'),
      ),
      [...quotaThresholdsDefault],
    ),
    providers: z._default(
      z.record(
        providerId,
        z.strictObject({
          enabled: z.optional(z.boolean()),
          baseUrl: z.optional(baseUrl),
          /** OpenRouter only: a management key (by reference) to read the account's credit */
          managementKey: z.optional(secretRef),
          /** alert once when a balance this provider reports (DeepSeek balance, Codex credits, OpenRouter credit left) falls under this amount, in its own unit */
          lowBalance: z.optional(z.number().check(z.gte(0))),
        }),
      ).check(
        z.superRefine((providers, ctx) => {
          for (const [id, provider] of Object.entries(providers)) {
            if (provider.managementKey !== undefined && id !== 'openrouter') ctx.addIssue({ code: 'custom', path: [id, 'managementKey'], message: 'only openrouter has a management key (for its /api/v1/credits)' });
          }
        }),
      ),
      {},
    ),
    profiles: z._default(z.record(nonEmpty(), z.strictObject({ enabled: z.boolean() })), {}),
  }),
]);
// --- end live checks ---

/**
 * authwatch's config file (JSON5). Every field is optional: no file at all works. This module
 * is loaded only to parse a config file (load.ts). `npm run build` writes its JSON Schema.
 */
export const configSchema = z.strictObject({
  $schema: z.optional(z.string()),
  /** warning window before an expiry (default 24h) */
  warn: z.optional(duration),
  /** providers that must have a usable credential */
  require: z._default(z.array(providerId), []),
  /** "openclaw" reproduces `openclaw models status --check` exactly */
  policy: z._default(z.enum(policyModes), 'authwatch'),
  /** judge refreshable OAuth access tokens by their expiry like any other token */
  strictRefreshable: z._default(z.boolean(), false),
  /** every profile sets the exit code and alerts, also those of providers no route uses */
  strictProfiles: z._default(z.boolean(), false),
  /** per-provider overrides */
  providers: z._default(z.record(providerId, z.strictObject({ warn: z.optional(duration) })), {}),
  /** per-profile overrides, by profile id */
  profiles: z._default(z.record(nonEmpty(), profileOverride), {}),
  /** credentials authwatch cannot discover on its own */
  declared: z._default(z.array(declaredSchema), []),
  /** OpenClaw itself as a source */
  openclaw: z._default(
    z.strictObject({
      /** ask `openclaw models status --json` first (as --from-openclaw) */
      fromCli: z._default(z.boolean(), false),
      /** how to run OpenClaw, e.g. ["/usr/bin/node", "/opt/openclaw/openclaw.mjs"] */
      command: z._default(z.array(nonEmpty()).check(z.minLength(1)), ['openclaw']),
      agent: z.optional(nonEmpty()),
      /** `openclaw --profile NAME` gateways: read `~/.openclaw-NAME` too (OpenClaw's profile-name rule) */
      profiles: z.optional(z.array(z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/i, 'expected an OpenClaw profile name (letters, digits, - and _)')))),
      timeout: z._default(duration, 20_000),
      /** the hard deadline of one gateway read (connect, every request, close) */
      gatewayTimeout: z._default(duration, 10_000),
    }),
    openclawDefault,
  ),
  /** running OpenClaw gateways to read (a Docker host, a small fleet); none: $OPENCLAW_GATEWAY_URL or the local one */
  gateways: z._default(
    z.array(
      z
        .strictObject({
          /** the `gateway` label of its rows and metrics */
          name: z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a short name (letters, digits, . _ -)')),
          url: z.string().check(z.regex(/^wss?:\/\/[^\s@/]+(\/\S*)?$/, 'expected ws://host:port or wss://host:port, without credentials')),
          token: z.optional(secretRef),
          password: z.optional(secretRef),
        })
        .check(z.refine((g) => !(g.token && g.password), { error: 'give token or password, not both' })),
    ),
    [],
  ),
  /** when the daemon runs its check (cron, local time) */
  schedule: z._default(z.string().check(z.regex(/^\S+(\s+\S+){4,5}$/, 'expected a cron expression with 5 or 6 fields, e.g. "*/15 * * * *"')), scheduleDefault),
  /** the long-running daemon */
  daemon: z._default(daemonSettings, daemonDefault),
  /** the daemon's /metrics, /status and /healthz */
  metrics: z._default(z.strictObject({ auth: z.optional(metricsAuth) }), {}),
  /** where alerts go */
  channels: z._default(channelsSchema, []),
  /** when alerts are sent */
  alerting: z._default(alertingSchema, defaultAlerting),
  /** dead-man's-switch pings each run (Healthchecks, Uptime Kuma push monitors) */
  heartbeats: z._default(heartbeatsSchema, []),
  /** live checks against the providers' zero-token endpoints (off unless set) */
  live: z.optional(liveSettings),
});

export type Config = z.output<typeof configSchema>;

/** Validates a parsed config document; every problem is reported at once as `file: path: problem`. */
export function parseConfig(document: unknown, file: string, context: Omit<IssueContext, 'root'> = {}): Config {
  const parsed = configSchema.safeParse(document);
  if (parsed.success) return parsed.data;
  const lines = describeIssues(parsed.error, [], { ...context, root: configSchema }).map((line) => `${file}: ${line}`);
  throw new AuthwatchError(`invalid config:\n  ${lines.join('\n  ')}`);
}

export type MetricsAuth = z.output<typeof metricsAuth>;
export type LiveConfig = z.output<typeof liveSettings>;
