import { createHash, timingSafeEqual } from 'node:crypto';
import type { MetricsAuth } from '../config/schema.js';
import { readSecret } from '../config/read-secret.js';

/** Decides whether a request's Authorization header is acceptable. */
export interface Authorizer {
  check(header: string | undefined): boolean;
  /** The WWW-Authenticate challenge for a 401, `null` when no auth is configured. */
  challenge: string | null;
}

/** Compares through fixed-length digests, so neither length nor content leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

const openAccess: Authorizer = { check: () => true, challenge: null };

export async function createAuthorizer(auth: MetricsAuth | undefined, env: NodeJS.ProcessEnv): Promise<Authorizer> {
  if (auth === undefined) return openAccess;
  if ('bearerToken' in auth) {
    const token = await readSecret(auth.bearerToken, 'metrics.auth.bearerToken', env);
    return { check: (header) => sameSecret(header ?? '', `Bearer ${token}`), challenge: 'Bearer realm="authwatch"' };
  }
  const password = await readSecret(auth.basic.password, 'metrics.auth.basic.password', env);
  const expected = `Basic ${Buffer.from(`${auth.basic.user}:${password}`).toString('base64')}`;
  return { check: (header) => sameSecret(header ?? '', expected), challenge: 'Basic realm="authwatch"' };
}
