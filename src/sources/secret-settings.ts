import { AuthwatchError } from '../core/errors.js';

// What the file and exec secret providers share: the ref, where an error points, and how a
// provider's settings are read (OpenClaw's schema, src/config/zod-schema.core.ts).

export type SecretSource = 'env' | 'file' | 'exec' | 'store';
export interface SecretRef {
  source: SecretSource;
  provider: string;
  id: string;
}

/** Where errors point: the field and, for a provider, its settings. */
export interface SecretPlace {
  /** `openclaw.json gateway.auth.token`. */
  field: string;
  provider: string;
}

export const fail = (place: SecretPlace, problem: string, fix: string) => new AuthwatchError(`${place.field}: ${problem}; ${fix}`);

/** OpenClaw's schema caps: timeouts 120 s, sizes 20 MiB. */
const maxTimeoutMs = 120_000;
const maxSizeBytes = 20 * 1024 * 1024;

/** A positive integer setting of a provider, its default when absent; out of OpenClaw's schema range is an error. */
export function limitOf(provider: Record<string, unknown>, key: string, fallback: number, place: SecretPlace): number {
  const value = provider[key];
  if (value === undefined) return fallback;
  const max = key.endsWith('Ms') ? maxTimeoutMs : maxSizeBytes;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    throw fail(place, `secrets.providers.${place.provider}.${key} must be a whole number from 1 to ${max}`, 'fix it (openclaw config validate refuses it too)');
  }
  return value;
}

