import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertState } from '../../src/alerts/decide.js';
import { claudeCredentials } from '../../src/sources/claude-code.js';
import { codexAuth } from '../../src/sources/codex.js';
import type { JsonFormat } from '../../src/core/json-format.js';
import { openclawConfig } from '../../src/sources/openclaw-config.js';
import { storeDocument, usageStatsEntry } from '../../src/sources/openclaw-store-format.js';

// A document that skips zod must be one zod accepts and returns as it is: for every format,
// whenever the quick test says yes, the schema succeeds and gives back an equal document.

const anyValue = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }),
  fc.dictionary(fc.constantFrom('a', 'b', 'id'), fc.oneof(fc.string({ maxLength: 4 }), fc.integer()), { maxKeys: 2 }),
);
/** Mostly absent or a string (the common case), sometimes null, sometimes anything. */
const stringish = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: fc.string({ maxLength: 8 }) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: anyValue });
const objectOf = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.record({ ...fields, extra: fc.oneof(fc.constant(undefined), anyValue) }).map((value) => {
    const object: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) if (field !== undefined) object[key] = field;
    return object;
  });
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ weight: 5, arbitrary }, { weight: 1, arbitrary: anyValue });

const documents: Record<string, { format: JsonFormat<unknown>; document: fc.Arbitrary<unknown> }> = {
  'Claude Code credentials': {
    format: claudeCredentials as JsonFormat<unknown>,
    document: sometimes(objectOf({ claudeAiOauth: sometimes(objectOf({ accessToken: stringish, refreshToken: stringish, expiresAt: anyValue, subscriptionType: stringish })) })),
  },
  'Codex auth.json': {
    format: codexAuth as JsonFormat<unknown>,
    document: sometimes(
      objectOf({
        auth_mode: stringish,
        OPENAI_API_KEY: stringish,
        tokens: fc.oneof(fc.constant(undefined), fc.constant(null), sometimes(objectOf({ access_token: stringish, refresh_token: stringish, id_token: stringish }))),
        last_refresh: stringish,
      }),
    ),
  },
  'OpenClaw auth-profiles.json': {
    format: storeDocument as JsonFormat<unknown>,
    document: sometimes(
      objectOf({
        version: anyValue,
        profiles: sometimes(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }).filter((key) => key !== '__proto__'), anyValue, { maxKeys: 3 })),
        usageStats: fc.oneof(fc.constant(undefined), sometimes(fc.dictionary(fc.constantFrom('a:b', 'c:d'), anyValue, { maxKeys: 2 }))),
      }),
    ),
  },
  'OpenClaw usageStats entry': {
    format: usageStatsEntry as JsonFormat<unknown>,
    document: sometimes(
      objectOf({
        cooldownUntil: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.integer() }, { weight: 1, arbitrary: fc.oneof(fc.double(), anyValue) }),
        disabledUntil: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 3, arbitrary: fc.integer() }, { weight: 1, arbitrary: fc.oneof(fc.double(), anyValue) }),
        disabledReason: stringish,
      }),
    ),
  },
  'OpenClaw openclaw.json': {
    format: openclawConfig as JsonFormat<unknown>,
    document: (() => {
      const modelSpec = fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 3, arbitrary: fc.string({ maxLength: 10 }) },
        { weight: 3, arbitrary: objectOf({ primary: stringish, fallbacks: fc.oneof(fc.constant(undefined), fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }), fc.array(anyValue, { maxLength: 2 })) }) },
        { weight: 1, arbitrary: anyValue },
      );
      return sometimes(objectOf({ agents: fc.oneof(fc.constant(undefined), sometimes(objectOf({ defaults: fc.oneof(fc.constant(undefined), sometimes(objectOf({ model: modelSpec, imageModel: modelSpec }))) }))) }));
    })(),
  },
};

/** Whenever the quick test says yes, the schema succeeds with an equal document; both paths are exercised. */
async function holdsToItsSchema(format: JsonFormat<unknown>, document: fc.Arbitrary<unknown>, minimumAccepted: number): Promise<void> {
  const schema = await format.schema();
  let accepted = 0;
  let rejected = 0;
  fc.assert(
    fc.property(document, (value) => {
      if (!format.isPlain(value)) return void rejected++;
      accepted++;
      const parsed = schema.safeParse(value);
      expect(parsed.success).toBe(true);
      expect(parsed.data).toEqual(value);
    }),
    { numRuns: 2_000 },
  );
  expect(accepted).toBeGreaterThan(minimumAccepted);
  expect(rejected).toBeGreaterThan(200);
}

describe('documents that skip zod', () => {
  for (const [name, { format, document }] of Object.entries(documents)) {
    it(`${name}: only ones the schema accepts and returns equal (2,000 runs)`, () => holdsToItsSchema(format, document, 200));
  }

  it('what the schema would reject or change goes to the schema, with its messages', async () => {
    expect(claudeCredentials.isPlain({ claudeAiOauth: { accessToken: 'a', subscriptionType: 5 } })).toBe(false); // zod drops it (catch)
    expect(await claudeCredentials.safeParse({ claudeAiOauth: { accessToken: 'a', subscriptionType: 5 } })).toEqual({ success: true, data: { claudeAiOauth: { accessToken: 'a' } } });
    expect((await claudeCredentials.safeParse({})).success).toBe(false);
    expect(codexAuth.isPlain({ tokens: [] })).toBe(false);
    expect(storeDocument.isPlain({ profiles: {}, usageStats: [] })).toBe(false); // zod replaces it with undefined
    expect(await storeDocument.safeParse({ profiles: [] })).toMatchObject({ success: false, error: { issues: [{ path: ['profiles'], message: 'must be an object mapping profile ids to credentials' }] } });
  });
});

describe('alert states that skip zod', () => {
  const status = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('ok', 'expiring', 'expired', 'missing', 'error') }, { weight: 1, arbitrary: anyValue });
  const time = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0 }) }, { weight: 1, arbitrary: fc.oneof(fc.double(), anyValue) });
  const fingerprint = fc.oneof({ weight: 6, arbitrary: fc.oneof(fc.constant(null), fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 8 })) }, { weight: 1, arbitrary: anyValue });
  const exact = <T extends Record<string, unknown>>(fields: { [K in keyof T]: fc.Arbitrary<T[K]> }) =>
    fc.tuple(fc.record(fields), fc.oneof({ weight: 8, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: anyValue })).map(([value, extra]) => (extra === undefined ? value : { ...value, extra }));
  const memory = (time_: string) => sometimes(exact({ status, [time_]: time, fingerprint }));
  const keys = fc.constantFrom('a/p:1', '-/env:X', 'b/q:2');
  const state = sometimes(
    exact({
      version: fc.oneof({ weight: 6, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: anyValue }),
      profiles: sometimes(fc.dictionary(keys, memory('since'), { maxKeys: 3 })),
      channels: sometimes(
        fc.dictionary(
          fc.constantFrom('mail', 'ntfy'),
          sometimes(
            exact({
              told: sometimes(fc.dictionary(keys, memory('at'), { maxKeys: 2 })),
              failures: fc.oneof({ weight: 6, arbitrary: fc.nat(5) }, { weight: 1, arbitrary: fc.oneof(fc.constant(-1), fc.constant(1.5), anyValue) }),
              retryAt: fc.oneof(fc.constant(null), time),
              lastError: fc.oneof(fc.constant(null), fc.string({ maxLength: 6 }), anyValue),
            }),
          ),
          { maxKeys: 2 },
        ),
      ),
    }),
  );

  it('only ones the schema accepts and returns equal (2,000 runs)', () => holdsToItsSchema(alertState as JsonFormat<unknown>, state, 100));

  it('the state authwatch writes takes it; an unknown key or a bad count goes to the schema', async () => {
    const written = { version: 1, profiles: { 'a/p:1': { status: 'expiring', since: 5, fingerprint: 'abcd1234' } }, channels: { mail: { told: { 'a/p:1': { status: 'expiring', at: 6, fingerprint: null } }, failures: 0, retryAt: null, lastError: null } } };
    expect(alertState.isPlain(written)).toBe(true);
    expect(alertState.isPlain({ ...written, extra: 1 })).toBe(false);
    expect(await alertState.safeParse({ ...written, extra: 1 })).toEqual({ success: true, data: written });
    expect(alertState.isPlain({ ...written, channels: { mail: { ...written.channels.mail, failures: -1 } } })).toBe(false);
    expect((await alertState.safeParse({ ...written, channels: { mail: { ...written.channels.mail, failures: -1 } } })).success).toBe(false);
  });
});
