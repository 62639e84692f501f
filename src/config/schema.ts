import { z } from 'zod';
import { alertingSchema, channelsSchema, defaultAlerting } from '../alerts/config.js';
import { policyModes } from '../evaluate/policy.js';
import { declaredSchema } from '../sources/declared.js';
import { duration, instant } from './primitives.js';

const profileOverride = z
  .strictObject({
    warn: duration.optional().describe('warning window for this profile'),
    expiresAt: instant.optional().describe('known expiry, for a credential that stores none'),
    issuedAt: instant.optional().describe('when the credential was issued; with lifetime gives its expiry'),
    lifetime: duration.optional().describe('how long the credential lives from issuedAt, e.g. "365d"'),
  })
  .superRefine((value, ctx) => {
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
  });

/** A secret given by reference: read from a file or an environment variable, never inline. */
const secretRef = z
  .strictObject({ file: z.string().min(1).optional(), env: z.string().min(1).optional() })
  .refine((ref) => (ref.file === undefined) !== (ref.env === undefined), { error: 'give exactly one of file or env' });

const metricsAuth = z.union([
  z.strictObject({ bearerToken: secretRef.describe('the token scrapers must send as "Authorization: Bearer …"') }),
  z.strictObject({ basic: z.strictObject({ user: z.string().min(1), password: secretRef }) }),
]);

const daemonSettings = z.strictObject({
  scrapeTtl: duration.default(30_000).describe('a scrape re-reads the credentials when the last check is older than this'),
  staleAfter: duration.optional().describe('/healthz turns 503 when the last completed check is older (default: 3 schedule periods)'),
});

const providerId = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a provider id like "anthropic" or "openai-codex"');

/** authwatch's config file (JSON5). Every field is optional: no file at all works. */
export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  warn: duration.optional().describe('warning window before an expiry (default 24h)'),
  require: z.array(providerId).default([]).describe('providers that must have a usable credential'),
  policy: z.enum(policyModes).default('authwatch').describe('"openclaw" reproduces `openclaw models status --check` exactly'),
  strictRefreshable: z
    .boolean()
    .default(false)
    .describe('judge refreshable OAuth access tokens by their expiry like any other token'),
  providers: z
    .record(providerId, z.strictObject({ warn: duration.optional() }))
    .default({})
    .describe('per-provider overrides'),
  profiles: z.record(z.string().min(1), profileOverride).default({}).describe('per-profile overrides, by profile id'),
  declared: z.array(declaredSchema).default([]).describe('credentials authwatch cannot discover on its own'),
  openclaw: z
    .strictObject({
      fromCli: z.boolean().default(false).describe('ask `openclaw models status --json` first (as --from-openclaw)'),
      command: z.array(z.string().min(1)).min(1).default(['openclaw']).describe('how to run OpenClaw, e.g. ["/usr/bin/node", "/opt/openclaw/openclaw.mjs"]'),
      agent: z.string().min(1).optional(),
      timeout: duration.default(20_000),
    })
    .default({ fromCli: false, command: ['openclaw'], timeout: 20_000 })
    .describe('OpenClaw itself as a source'),
  schedule: z
    .string()
    .regex(/^\S+(\s+\S+){4,5}$/, 'expected a cron expression with 5 or 6 fields, e.g. "*/15 * * * *"')
    .default('*/15 * * * *')
    .describe('when the daemon runs its check (cron, local time)'),
  daemon: daemonSettings.default({ scrapeTtl: 30_000 }).describe('the long-running daemon'),
  metrics: z.strictObject({ auth: metricsAuth.optional() }).default({}).describe('the daemon\'s /metrics, /status and /healthz'),
  channels: channelsSchema.describe('where alerts go'),
  alerting: alertingSchema.default(defaultAlerting).describe('when alerts are sent'),
});

export type Config = z.output<typeof configSchema>;
export type ProfileOverride = z.output<typeof profileOverride>;
export type SecretRef = z.output<typeof secretRef>;
export type MetricsAuth = z.output<typeof metricsAuth>;
