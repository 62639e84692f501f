import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, runProcess } from './helpers/cli.js';
import { buildHome, findOpenclaw, parseOpenclawAnswer, runOpenclawCheck } from './parity/harness.js';
import { SECRET, type Home } from './parity/homes.js';

// The premise of "stale", shown by the real OpenClaw CLI: `models auth paste-token` over a profile
// disabled for billing replaces the token and keeps the window; authwatch sees the change.

const openclaw = findOpenclaw();
const HOUR = 3_600_000;
const id = 'anthropic:manual';
const root = mkdtempSync(join(tmpdir(), 'authwatch-stale-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const home: Home = {
  name: 'stale-billing',
  kind: 'cli',
  covers: 'a new token pasted over a profile disabled for billing',
  config: { agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-6' } } } },
  rows: (now) => ({
    store: { version: 1, profiles: { [id]: { type: 'token', provider: 'anthropic', token: `sk-ant-oat01-${SECRET}-${'c'.repeat(80)}` } } },
    state: { version: 1, usageStats: { [id]: { disabledUntil: now + 3 * HOUR, disabledReason: 'billing', lastFailureAt: now - HOUR, errorCount: 1, failureCounts: { billing: 1 } } } },
  }),
};

describe.runIf(openclaw !== null)('stale cooldown, with the real OpenClaw CLI', () => {
  it('paste-token over a billing-disabled profile: OpenClaw still skips it, authwatch says the window is stale', async () => {
    const now = Date.now();
    const built = await buildHome(home, openclaw!, now, root);
    const authwatch = async (at: number) => {
      const result = await runProcess(process.execPath, [cliPath, 'check', '--now', new Date(at).toISOString(), '--send', '--json'], { env: built.env, timeoutMs: 30_000 });
      expect(result.stdout + result.stderr).not.toContain(SECRET);
      return JSON.parse(result.stdout).providers.find((p: { provider: string }) => p.provider === 'anthropic');
    };
    const before = await authwatch(now);
    expect(before).toMatchObject({ verdict: 'unavailable', unusable: [{ profile: id, kind: 'disabled', reason: 'billing', credentialChangedAt: null }] });

    const pasted = await runProcess(openclaw!, ['models', 'auth', 'paste-token', '--provider', 'anthropic'], { env: built.env, stdin: `sk-ant-oat01-${SECRET}-${'d'.repeat(80)}\n`, timeoutMs: 180_000 });
    expect(pasted.code, pasted.stderr.slice(-400)).toBe(0);
    const status = parseOpenclawAnswer(await runOpenclawCheck(openclaw!, home, built));
    expect(status.unusable).toContain(`${id} disabled billing`);

    const later = now + 60_000;
    const after = await authwatch(later);
    expect(after).toMatchObject({ verdict: 'unavailable', unusable: [{ profile: id, kind: 'disabled', reason: 'billing', credentialChangedAt: new Date(later).toISOString() }] });
  }, 240_000);
});
