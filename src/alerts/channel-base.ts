import * as z from '../core/zod.js';
import { duration } from '../config/primitives.js';
import { readSecret } from '../config/read-secret.js';
import { httpSend } from '../core/http-send.js';
import { scrub } from '../core/scrub.js';

/** Fields every channel has. */
export function channelBase() {
  return {
    name: z.string().check(z.regex(/^[\w.-]{1,64}$/, 'expected a short name of letters, digits, ".", "_" or "-"')),
    /** how long one delivery may take */
    timeout: z._default(duration, 10_000),
  };
}

/** A key that must never be in the config: the secret belongs in a file or the environment. */
function noInlineSecret(key: string) {
  return z.optional(z.never({ error: `never put the ${key} in the config file: use ${key}File or ${key}Env` }));
}

type SecretFields<K extends string> = { [P in `${K}File` | `${K}Env`]: z.ZodMiniOptional<z.ZodMiniString<string>> } & {
  [P in K]: ReturnType<typeof noInlineSecret>;
};

/** A channel's secret: `<key>File` or `<key>Env` name where it is; `<key>` itself is refused. */
export function secretFields<K extends string>(key: K): SecretFields<K> {
  const where = () => z.optional(z.string().check(z.minLength(1)));
  return { [`${key}File`]: where(), [`${key}Env`]: where(), [key]: noInlineSecret(key) } as SecretFields<K>;
}

/** Reads `<key>File` / `<key>Env` when either is set; `undefined` when neither is. */
export async function optionalSecret(
  config: Record<string, unknown>,
  key: string,
  field: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const file = config[`${key}File`] as string | undefined;
  const variable = config[`${key}Env`] as string | undefined;
  if (file === undefined && variable === undefined) return undefined;
  return readSecret(file !== undefined ? { file } : { env: variable! }, `${field}.${key}${file !== undefined ? 'File' : 'Env'}`, env);
}

/** A delivery that failed, in one line a user can act on (scrubbed: never with a secret in it). */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  constructor(message: string) {
    super(scrub(message));
  }
}

/**
 * POSTs a body; anything but 2xx within the channel's timeout (a hard deadline for the whole
 * exchange) is a DeliveryError naming the status and a bit of the answer. `user:password@` in
 * the URL becomes Basic auth.
 */
export async function post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<void> {
  try {
    await httpSend({ method: 'POST', url, body, headers, timeoutMs });
  } catch (error) {
    throw new DeliveryError((error as Error).message);
  }
}
