import { sha256Hex } from './sha256.js';

/**
 * Past this many fingerprints in one process node:crypto is loaded instead: a hash here is
 * slower than the native one, but a typical home (about ten secrets) stays well under the
 * point where loading node:crypto pays (docs/performance.md).
 */
const javascriptHashes = 32;
let hashed = 0;
let nativeHash: ((algorithm: string, data: string, encoding: 'hex') => string) | undefined;

/**
 * A short, stable identifier for a secret: the first 8 hex digits of its SHA-256. Enough to
 * tell two tokens apart in a report, useless for recovering the token. A typical check hashes
 * a handful of secrets, for which loading node:crypto would cost more than all the rest of
 * the checking; hosts with thousands of profiles switch to it (the digest is the same).
 */
export function fingerprint(secret: string): string {
  if (hashed < javascriptHashes) {
    hashed++;
    return sha256Hex(secret).slice(0, 8);
  }
  // `crypto.hash` is the one-shot form: a third of `createHash`'s cost.
  nativeHash ??= process.getBuiltinModule('node:crypto').hash;
  return nativeHash('sha256', secret, 'hex').slice(0, 8);
}
