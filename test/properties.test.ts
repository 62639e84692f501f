import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/schema.js';
import { AuthwatchError } from '../src/core/errors.js';
import { evaluate } from '../src/evaluate/evaluate.js';
import { defaultWarnMs, type Policy } from '../src/evaluate/policy.js';
import { buildReport } from '../src/evaluate/report.js';
import { exitCodeFor, statuses, worstStatus } from '../src/evaluate/status.js';
import { geminiCli } from '../src/sources/gemini-cli.js';
import { claudeCode } from '../src/sources/claude-code.js';
import { codex } from '../src/sources/codex.js';
import { parseDotenv } from '../src/sources/dotenv.js';
import { readAlertState } from '../src/alerts/state-format.js';
import { readClaudeCredentials } from '../src/sources/claude-code.js';
import { readOAuthCreds } from '../src/sources/cli-oauth-creds.js';
import { readCodexAuth } from '../src/sources/codex.js';
import { readOpenclawModelDefaults } from '../src/sources/openclaw-config.js';
import { profilesFromStore, readCredential, readStateDocument, readStoreDocument, readUsageStats } from '../src/sources/openclaw-store-format.js';
import { makeProfile } from '../src/sources/source.js';
import { readWalIndex } from '../src/sources/sqlite-wal.js';
import { NOW } from './helpers/clock.js';
import { contextFor } from './helpers/context.js';
import { makeHome } from './helpers/home.js';

const runs = { numRuns: 300 };
const origin = { source: 'openclaw', agent: 'main', path: '/x/auth-profiles.json', notes: [], updatedAtMs: NOW };
/** Values shaped like credentials, with any JSON value in any field. */
const credentialish = fc.record(
  {
    type: fc.oneof(fc.constantFrom('api_key', 'token', 'oauth'), fc.jsonValue()),
    provider: fc.oneof(fc.string(), fc.jsonValue()),
    key: fc.jsonValue(),
    token: fc.jsonValue(),
    access: fc.jsonValue(),
    refresh: fc.jsonValue(),
    expires: fc.oneof(fc.integer(), fc.double(), fc.jsonValue()),
    keyRef: fc.jsonValue(),
    oauthRef: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe('parsers never throw, whatever the JSON', () => {
  it('the OpenClaw store format: one row per entry, each either a credential or an error', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.oneof(credentialish, fc.jsonValue())), fc.jsonValue(), (profiles, stats) => {
        const usage = readUsageStats(stats !== null && typeof stats === 'object' && !Array.isArray(stats) ? (stats as Record<string, unknown>) : undefined);
        const rows = profilesFromStore({ profiles, order: {} }, usage, origin, NOW);
        expect(rows).toHaveLength(Object.keys(profiles).length);
        for (const row of rows) expect(row.problem === null || typeof row.problem === 'string').toBe(true);
      }),
      runs,
    );
  });

  it('every format reader: a value, or `path: problem` lines; never a throw', () => {
    const readers = [readClaudeCredentials, readCodexAuth, readOAuthCreds, readStoreDocument, readStateDocument, readOpenclawModelDefaults, readAlertState, (value: unknown) => readCredential('p:x', value)];
    // Shaped like the documents often enough to reach their inner fields, with any JSON anywhere.
    const shaped = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), tie('object')),
      object: fc.dictionary(
        fc.constantFrom('claudeAiOauth', 'tokens', 'profiles', 'usageStats', 'agents', 'defaults', 'model', 'channels', 'told', 'type', 'provider', 'keyRef', 'version', '__proto__', 'a:b'),
        tie('value'),
        { maxKeys: 4 },
      ),
    })).value;
    fc.assert(
      fc.property(shaped, (document) => {
        for (const read of readers) {
          const result = read(document);
          if (!result.ok) for (const problem of result.problems) expect(problem).toMatch(/^\S.*\S$/);
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('the Claude Code, Codex and Gemini files, read from disk', async () => {
    const home = makeHome();
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.jsonValue(), async (a, b) => {
        mkdirSync(join(home, '.claude'), { recursive: true });
        mkdirSync(join(home, '.codex'), { recursive: true });
        mkdirSync(join(home, '.gemini'), { recursive: true });
        writeFileSync(join(home, '.claude/.credentials.json'), JSON.stringify({ claudeAiOauth: a }));
        writeFileSync(join(home, '.codex/auth.json'), JSON.stringify(b));
        writeFileSync(join(home, '.gemini/oauth_creds.json'), JSON.stringify(a));
        for (const source of [claudeCode, codex, geminiCli]) {
          const { profiles } = await source.read(contextFor(home));
          expect(profiles.length).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('dotenv text, WAL bytes and config documents', async () => {
    await fc.assert(fc.asyncProperty(fc.string(), async (text) => void (await parseDotenv(text))), runs);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), (_db, wal) => void readWalIndex((at, n) => wal.subarray(at, at + n), wal.length)), runs);
    fc.assert(
      fc.property(fc.jsonValue(), (document) => {
        try {
          parseConfig(document, 'c.json5');
        } catch (error) {
          expect(error).toBeInstanceOf(AuthwatchError);
        }
      }),
      runs,
    );
  });
});

describe('the status policy', () => {
  const policies = fc.record({
    mode: fc.constantFrom('authwatch' as const, 'openclaw' as const),
    warnMs: fc.integer({ min: 1, max: 30 * 86_400_000 }),
    strictRefreshable: fc.boolean(),
    providerWarnMs: fc.constant({}),
    profiles: fc.constant({}),
  }) as fc.Arbitrary<Policy>;

  it('is monotonic in time: ok → expiring → expired as now advances, never back', () => {
    const rank = { ok: 0, expiring: 1, expired: 2, missing: 3, error: 3 } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1e12, max: 4e12 }),
        fc.boolean(),
        fc.constantFrom('api_key' as const, 'token' as const, 'oauth' as const),
        policies,
        fc.array(fc.integer({ min: 0, max: 60 * 86_400_000 }), { minLength: 2, maxLength: 20 }),
        (expiresAt, refreshable, type, policy, steps) => {
          const profile = makeProfile({ id: 'p:x', provider: 'p', source: 'openclaw', type, expiresAt, refreshable });
          let now = expiresAt - 40 * 86_400_000;
          let last = -1;
          for (const step of steps) {
            now += step;
            const status = evaluate(profile, now, policy).status;
            expect(rank[status]).toBeGreaterThanOrEqual(last);
            last = rank[status];
          }
        },
      ),
      runs,
    );
  });

  it('the exit code is always that of the worst status', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...statuses), { minLength: 1, maxLength: 30 }), (list) => {
        const evaluations = list.map((status, i) => ({
          profile: makeProfile({ id: `p:${i}`, provider: 'p', source: 'openclaw', type: 'token' }),
          status,
          expiresAt: null,
          remainingMs: null,
          detail: '',
          unused: false,
        }));
        const report = buildReport(evaluations, [], [], NOW);
        expect(report.status).toBe(worstStatus(list));
        expect(report.exitCode).toBe(list.some((s) => s === 'expired' || s === 'missing' || s === 'error') ? 1 : list.includes('expiring') ? 2 : 0);
        expect(report.exitCode).toBe(exitCodeFor(worstStatus(list)));
      }),
      runs,
    );
  });

  it('the default warning window is 24h', () => expect(defaultWarnMs).toBe(86_400_000));
});
