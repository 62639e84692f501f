import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, runProcess } from './helpers/cli.js';
import { fakeJwt } from './helpers/jwt.js';
import { findOpenclaw } from './parity/harness.js';

// Issue 32: the Codex CLI's login (~/.codex/auth.json) under the id OpenClaw 2026.9 gives it,
// `openai:codex-cli` (CODEX_CLI_PROFILE_ID, src/agents/auth-profiles/profile-ids.ts; its
// `parseCodexOauthCredential` files the login under `openai`), on a home the real CLI made.

const openclaw = findOpenclaw();
const dist = '/opt/openclaw/openclaw/node_modules/openclaw/dist';
const root = mkdtempSync(join(tmpdir(), 'authwatch-cx-login-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const baseEnv = (home: string): Record<string, string> => ({ PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TZ: 'UTC', NO_COLOR: '1', OPENCLAW_OFFLINE: '1', OPENCLAW_NO_AUTO_UPDATE: '1', OPENCLAW_NO_RESPAWN: '1', DO_NOT_TRACK: '1' });

/** A ChatGPT login as `codex login` writes it, its access token good for 10 more days. */
function writeCodexLogin(home: string): void {
  const exp = Math.floor(Date.now() / 1000) + 10 * 86_400;
  mkdirSync(join(home, '.codex'), { recursive: true });
  const tokens = { id_token: fakeJwt({ email: 'a@b.c' }), access_token: fakeJwt({ exp }, 'PLANTEDCODEX'), refresh_token: 'rt_PLANTEDCODEX', account_id: 'acct-1' };
  writeFileSync(join(home, '.codex/auth.json'), JSON.stringify({ auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens, last_refresh: new Date().toISOString() }), { mode: 0o600 });
}

const authwatch = (args: string[], env: Record<string, string>) => runProcess(process.execPath, [cliPath, 'check', '--no-alerts', ...args], { env, timeoutMs: 60_000 });

describe.runIf(openclaw !== null)('the Codex CLI login, on a home the real OpenClaw CLI made', () => {
  it("the id is the installed OpenClaw's CODEX_CLI_PROFILE_ID", () => {
    const defined = readdirSync(dist)
      .filter((file) => file.startsWith('profile-ids-') && file.endsWith('.mjs'))
      .map((file) => /const CODEX_CLI_PROFILE_ID = "([^"]+)"/.exec(readFileSync(join(dist, file), 'utf8'))?.[1])
      .filter(Boolean);
    expect(defined).toEqual(['openai:codex-cli']);
  });

  it('`models status --json` does not list the login (2026.9.6); authwatch shows it as openai:codex-cli on the openai route and exits as --check under --policy openclaw', async () => {
    const home = mkdtempSync(join(root, 'home-'));
    const env = baseEnv(home);
    const set = await runProcess(openclaw!, ['models', 'set', 'openai/gpt-5.4'], { env, timeoutMs: 600_000 });
    expect(set.code, set.stderr.slice(-400)).toBe(0);
    writeCodexLogin(home);

    const status = await runProcess(openclaw!, ['models', 'status', '--json'], { env, timeoutMs: 600_000 });
    const auth = JSON.parse(status.stdout).auth;
    // The login is in no list of the real CLI: not a provider's profile, not an OAuth profile.
    expect(JSON.stringify(auth)).not.toMatch(/codex-cli|PLANTEDCODEX/);
    expect(auth.oauth.profiles).toEqual([]);
    expect(auth.runtimeAuthRoutes.map((route: { provider: string; runtime: string }) => `${route.provider} via ${route.runtime}`)).toEqual(['openai via codex']);
    const check = await runProcess(openclaw!, ['models', 'status', '--check'], { env, timeoutMs: 600_000 });

    const own = await authwatch(['--json'], env);
    const document = JSON.parse(own.stdout);
    const row = document.profiles.find((p: { id: string }) => p.id === 'openai:codex-cli');
    expect(row, own.stdout).toMatchObject({ provider: 'openai', source: 'codex', type: 'oauth', status: 'ok', unused: false });
    expect(document.profiles.map((p: { id: string }) => p.id)).not.toContain('openai-codex:codex-cli');
    expect(own.stdout + own.stderr).not.toContain('PLANTEDCODEX');
    const parity = await authwatch(['--policy', 'openclaw'], env);
    expect(parity.code, parity.stdout + parity.stderr).toBe(check.code);
  }, 1_800_000);
});
