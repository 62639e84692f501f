import { checkEpochSeconds, type EpochCheck } from './epoch.js';

/**
 * Reads a JWT's payload claims without verifying anything: authwatch only needs `exp`, and
 * never prints or stores the token. Returns `null` for anything that is not a JWT.
 */
function decodeJwtPayload(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return payload !== null && typeof payload === 'object' && !Array.isArray(payload)
      ? (payload as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/**
 * The `exp` claim (epoch seconds) as epoch milliseconds: `ms: null` for a token that is not a
 * JWT or has no `exp`, an error for an `exp` that is not a valid time (`1e20`, `-1`, `"soon"`).
 */
export function jwtExpiry(token: string): EpochCheck {
  const payload = decodeJwtPayload(token);
  return payload === null ? { ok: true, ms: null } : checkEpochSeconds(payload.exp, 'its exp claim');
}
