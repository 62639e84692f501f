import * as z from '../core/zod.js';
import { duration } from '../config/primitives.js';
import { credentialTypes } from './source.js';

const expiryUnits = ['ms', 's', 'iso', 'jwt'] as const;
export type ExpiryUnit = (typeof expiryUnits)[number];

/** Credentials authwatch cannot discover, declared in the config. */
export const declaredSchema = (() => {
  const units = z.enum(expiryUnits);
  const common = {
    id: z.string().check(z.minLength(1)),
    provider: z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]*$/, 'expected a provider id like "anthropic"')),
    type: z._default(z.enum(credentialTypes), 'token'),
  };
  return z.union([
    z.strictObject({
      ...common,
      /** a JSON file holding the expiry */
      file: z.string().check(z.minLength(1)),
      /** dot path (a.b.0.c) or JSON pointer (/a/b/0/c) to the expiry */
      field: z.string().check(z.minLength(1)),
      /** ms or s since the epoch, an ISO date-time, or a JWT whose exp is read */
      unit: units,
    }),
    z.strictObject({
      ...common,
      env: z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name')),
      expiresAt: z.optional(z.iso.datetime({ offset: true })),
    }),
    z.strictObject({
      ...common,
      /** run without a shell; prints the expiry */
      command: z.array(z.string()).check(z.minLength(1)),
      unit: units,
      timeout: z._default(duration, 10_000),
    }),
  ]);
})();
export type Declared = z.output<typeof declaredSchema>;
