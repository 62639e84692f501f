import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { credential } from '../../src/sources/file-schemas.js';
import { isPlainCredential } from '../../src/sources/openclaw-store-format.js';

// The fast path must never accept what zod would reject or change: when isPlainCredential says
// yes, zod succeeds too and returns exactly the entry's own values for every field it keeps.

const anyValue = fc.oneof(fc.constant(undefined), fc.string({ maxLength: 8 }), fc.constant(''), fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.constantFrom('source', 'id', 'replacement'), fc.oneof(fc.string(), fc.integer())));
const field = (name: string) => fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: anyValue }).map((value) => [name, value] as const);
const entry = fc
  .tuple(
    fc.oneof(fc.constantFrom('api_key', 'token', 'oauth'), anyValue),
    fc.oneof({ weight: 4, arbitrary: fc.string({ maxLength: 6 }) }, { weight: 1, arbitrary: anyValue }),
    fc.tuple(...['key', 'apiKey', 'keyRef', 'token', 'tokenRef', 'access', 'refresh', 'oauthRef', 'expires', 'setup', 'email', 'extra'].map(field)),
  )
  .map(([type, provider, fields]) => {
    const value: Record<string, unknown> = { type, provider };
    for (const [name, v] of fields) if (v !== undefined) value[name] = v;
    return value;
  });

describe('credentials that skip zod', () => {
  it('are only ones zod accepts and returns unchanged (any entry, 2,000 runs)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(entry, anyValue), (value) => {
        if (!isPlainCredential(value)) return;
        accepted++;
        const parsed = credential.safeParse(value);
        expect(parsed.success).toBe(true);
        for (const [key, kept] of Object.entries(parsed.data!)) expect(kept, key).toBe((value as Record<string, unknown>)[key]);
      }),
      { numRuns: 2_000 },
    );
    expect(accepted).toBeGreaterThan(100); // the property really exercised the fast path
  });

  it('the common shapes take it; references, setup and bad fields go to zod', () => {
    expect(isPlainCredential({ type: 'api_key', provider: 'openai', key: 'sk-x' })).toBe(true);
    expect(isPlainCredential({ type: 'token', provider: 'anthropic', token: 't', expires: 1, email: 'a@b' })).toBe(true);
    expect(isPlainCredential({ type: 'oauth', provider: 'x', access: 'a', refresh: 'r', expires: 'soon' })).toBe(true);
    expect(isPlainCredential({ type: 'api_key', provider: 'openai', keyRef: { source: 'env', id: 'K' } })).toBe(false);
    expect(isPlainCredential({ type: 'token', provider: 'anthropic', token: 't', setup: {} })).toBe(false);
    expect(isPlainCredential({ type: 'token', provider: '', token: 't' })).toBe(false);
    expect(isPlainCredential({ type: 'oauth', provider: 'x', access: 5 })).toBe(false);
    expect(isPlainCredential({ type: 'cookie', provider: 'x' })).toBe(false);
  });
});
