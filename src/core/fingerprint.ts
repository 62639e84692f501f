import { hash } from 'node:crypto';

/**
 * A short, stable identifier for a secret: the first 8 hex digits of its SHA-256. Enough to
 * tell two tokens apart in a report, useless for recovering the token.
 */
export function fingerprint(secret: string): string {
  return hash('sha256', secret, 'hex').slice(0, 8);
}
