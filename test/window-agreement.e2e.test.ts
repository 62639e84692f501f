import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildHome, findOpenclaw, parseOpenclawAnswer, runAuthwatch, runOpenclawCheck } from './parity/harness.js';
import { HOUR, SECRET, type Home } from './parity/homes.js';

// One rule for "is this credential in a window" (src/evaluate/windows.ts): a profile's row and
// the route that tries it say the same, and both say what the real OpenClaw CLI says. The case
// that split them: OpenClaw never cools down an OpenRouter profile (usage-state-*.mjs
// `isAuthCooldownBypassedForProvider`), yet its row said `in cooldown until …` while its route
// line said `serving openrouter:default`.

const openclaw = findOpenclaw();
const root = mkdtempSync(join(tmpdir(), 'authwatch-windows-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const key = (provider: string) => ({ type: 'api_key', provider, key: `${provider}-${SECRET}-${'k'.repeat(40)}` });
const rateLimited = (now: number) => ({ cooldownUntil: now + 2 * HOUR, cooldownReason: 'rate_limit', lastFailureAt: now - 60_000, errorCount: 1 });

const home: Home = {
  name: 'window-agreement',
  kind: 'rows',
  covers: 'a rate-limit cooldown on an OpenRouter profile and on an Anthropic one',
  config: { agents: { defaults: { model: { primary: 'openrouter/anthropic/claude-opus-4.6', fallbacks: ['anthropic/claude-opus-4-6'] } } } },
  rows: (now) => ({
    store: { version: 1, profiles: { 'openrouter:default': key('openrouter'), 'anthropic:default': key('anthropic') } },
    state: { version: 1, usageStats: { 'openrouter:default': rateLimited(now), 'anthropic:default': { ...rateLimited(now), cooldownReason: 'overloaded' } } },
  }),
};

interface Row {
  id: string;
  detail: string;
}
interface Provider {
  provider: string;
  verdict: string;
  serving: { id: string } | null;
  unusable: { profile: string }[];
}

describe.runIf(openclaw !== null)('a window, said once: the row, the route and OpenClaw agree', () => {
  it('an OpenRouter profile in a rate-limit cooldown serves and its row shows no cooldown; an Anthropic one in a cooldown shows it in both', async () => {
    const now = Date.now();
    const built = await buildHome(home, openclaw!, now, root);
    const ours = await runAuthwatch(home, built, now, undefined, 'authwatch');
    expect(ours.stdout + ours.stderr).not.toContain(SECRET);
    const report = JSON.parse(ours.stdout) as { profiles: Row[]; providers: Provider[] };
    const row = (id: string) => report.profiles.find((p) => p.id === id)!.detail;
    const route = (provider: string) => report.providers.find((p) => p.provider === provider)!;
    const theirs = parseOpenclawAnswer(await runOpenclawCheck(openclaw!, home, built));

    // OpenClaw: the OpenRouter profile is in no window, the Anthropic one is.
    expect(theirs.unusable).toEqual(['anthropic:default cooldown overloaded']);

    expect(route('openrouter')).toMatchObject({ verdict: 'serving', serving: { id: 'openrouter:default' }, unusable: [] });
    expect(row('openrouter:default')).toMatch(/^no expiry(;|$)/);
    expect(row('openrouter:default')).not.toMatch(/cooldown|disabled|blocked|until/);

    // The window carries its facts from the same rule: reason, no model scope (overloaded is not model-scoped), since (lastFailureAt), and no live evidence.
    expect(route('anthropic')).toMatchObject({
      verdict: 'unavailable',
      serving: null,
      unusable: [{ profile: 'anthropic:default', kind: 'cooldown', reason: 'overloaded', model: null, since: new Date(now - 60_000).toISOString(), evidence: null }],
    });
    expect(row('anthropic:default')).toMatch(/^no expiry; (.*; )?in cooldown until \d{4}-\d{2}-\d{2} \d{2}:\d{2} [+-]\d{2}:\d{2} \(overloaded\)(;|$)/);
  }, 240_000);
});
