import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { startDaemon } from './helpers/daemon.js';
import { DAY, HOUR, NOW, NOW_ISO } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';
import { fakeJwt } from './helpers/jwt.js';

// What the operator reads: every row and route that is not ok names the command that makes it
// ok again, in the table and in --json (the daemon's /status serves the same document), and the
// words are those of OpenClaw 2026.9.6's CLI.

const store = (profiles: Record<string, unknown>) => ({ json: { version: 1, profiles } });
const model = (primary: string) => ({ json: { agents: { defaults: { model: { primary } } } } });
const setupToken = 'sk-ant-oat01-PLANTED-setup-token';
const codexLogin = (expires: number) => ({ json: { auth_mode: 'chatgpt', tokens: { access_token: fakeJwt({ exp: expires / 1000 }), refresh_token: '' } } });

const check = async (home: string, ...args: string[]) => {
  const table = await runCli(['check', '--now', NOW_ISO, ...args], { home });
  const json = await runCli(['check', '--now', NOW_ISO, '--json', ...args], { home });
  expect(table.code).toBe(json.code);
  return { code: table.code, table: table.stdout, stderr: table.stderr, document: JSON.parse(json.stdout) };
};
const row = (document: { profiles: { id: string }[] }, id: string) => document.profiles.find((p) => p.id === id) as Record<string, unknown> | undefined;

describe('the fix stands next to the trouble', () => {
  it('an expired setup-token: its row and its route carry the command, in the table and in --json', async () => {
    const home = makeHome({
      '.openclaw/openclaw.json': model('anthropic/claude-opus-4-6'),
      [agentStore('main')]: store({ 'anthropic:manual': { type: 'token', provider: 'anthropic', token: setupToken, expires: NOW - 2 * HOUR } }),
    });
    const { code, table, document } = await check(home);
    expect(code).toBe(1);
    const fix = 'run `claude setup-token`, then `openclaw models auth paste-token --provider anthropic --expires-in 365d`; or put ANTHROPIC_API_KEY=… in ~/.openclaw/.env and restart the gateway';
    expect(row(document, 'anthropic:manual')).toMatchObject({ status: 'expired', detail: 'expired 2h ago', fix });
    expect(document.providers[0]).toMatchObject({ provider: 'anthropic', verdict: 'unavailable', fix });
    expect(table).toMatch(/^anthropic:manual .* expired 2h ago; fix: run `claude setup-token`, then/m);
    expect(table).toMatch(/^anthropic  unavailable, needs login \(anthropic:manual expired\); fix: run `claude setup-token`/m);
    expect(table + JSON.stringify(document)).not.toContain('PLANTED');
  });

  it('the daemon\'s /status carries the same fix', async () => {
    const home = makeHome({
      '.openclaw/openclaw.json': model('anthropic/claude-opus-4-6'),
      [agentStore('main')]: store({ 'anthropic:manual': { type: 'token', provider: 'anthropic', token: setupToken, expires: Date.now() - 2 * HOUR } }),
      '.config/authwatch/config.json5': '{}',
    });
    const daemon = await startDaemon(home);
    const status = (await (await daemon.get('/status')).json()) as { profiles: { id: string; fix: string }[]; providers: { fix: string }[] };
    expect(row(status, 'anthropic:manual')!.fix).toMatch(/^run `claude setup-token`, then `openclaw models auth paste-token --provider anthropic --expires-in 365d`/);
    expect(status.providers[0]!.fix).toBe(row(status, 'anthropic:manual')!.fix);
  });

  it('ok rows and routes have no fix; a cooldown that ends by itself says so', async () => {
    const home = makeHome({
      '.openclaw/openclaw.json': { json: { agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-6', fallbacks: ['openrouter/auto'] } } } } },
      [agentStore('main')]: {
        json: {
          version: 1,
          profiles: { 'anthropic:a': { type: 'api_key', provider: 'anthropic', key: 'k1' }, 'anthropic:b': { type: 'api_key', provider: 'anthropic', key: 'k2' }, 'openrouter:k': { type: 'api_key', provider: 'openrouter', key: 'k3' } },
          order: { anthropic: ['anthropic:a', 'anthropic:b'] },
          usageStats: { 'anthropic:a': { cooldownUntil: NOW + HOUR, cooldownReason: 'rate_limit', lastFailureAt: NOW - 60_000 } },
        },
      },
    });
    const { document, table } = await check(home);
    const [anthropic, openrouter] = document.providers;
    expect(anthropic).toMatchObject({ provider: 'anthropic', verdict: 'on-fallback', fix: 'none needed: anthropic:a is tried again after 2026-11-24 13:00 +00:00' });
    expect(openrouter).toMatchObject({ provider: 'openrouter', status: 'ok', fix: null });
    expect(row(document, 'openrouter:k')).toMatchObject({ status: 'ok', fix: null });
    expect(table).toMatch(/^anthropic\s+on fallback anthropic:b .*; fix: none needed: anthropic:a is tried again after 2026-11-24 13:00 \+00:00$/m);
  });

  it('an unreadable store: the error row says what to do with the file', async () => {
    const home = makeHome({ '.openclaw/openclaw.json': model('anthropic/claude-opus-4-6'), [agentStore('main')]: '{ not json' });
    const { document } = await check(home);
    const broken = document.profiles.find((p: { status: string }) => p.status === 'error');
    expect(broken.fix).toMatch(/^repair or remove .*auth-profiles\.json \(the detail says what is wrong\), then check again$/);
  });
});

describe('the fix is right for OpenClaw 2026.9.6', () => {
  it('Claude Code signs in with `claude auth login` (no `--method cli`); the Codex CLI with `codex login`; a legacy openai-codex profile goes through doctor to `openai`', async () => {
    const home = makeHome({
      '.openclaw/openclaw.json': model('openai/gpt-5.5'),
      '.claude/.credentials.json': { json: { claudeAiOauth: { accessToken: 'sk-ant-oat01-PLANTED-a', expiresAt: NOW - HOUR } } },
      '.codex/auth.json': codexLogin(NOW - HOUR),
      [agentStore('main')]: store({ 'openai-codex:me@example.com': { type: 'oauth', provider: 'openai-codex', access: 'PLANTED-a', refresh: '', expires: NOW - HOUR } }),
      '.config/authwatch/config.json5': '{ strictProfiles: true }',
    });
    const { document, table } = await check(home);
    expect(row(document, 'anthropic:claude-cli')!.fix).toBe('run `claude auth login` on the gateway host (Claude Code signs in again; OpenClaw reuses its login)');
    expect(row(document, 'openai:codex-cli')!.fix).toBe('run `codex login`');
    expect(row(document, 'openai-codex:me@example.com')!.fix).toBe(
      'run `openclaw doctor --fix` (OpenClaw 2026.9 files `openai-codex` profiles under `openai`), then `openclaw models auth login --provider openai`',
    );
    expect(table).not.toContain('--method cli');
    expect(table).not.toContain('--provider openai-codex');
  });

  it('a profile of another agent: the OpenClaw command names the agent', async () => {
    const home = makeHome({
      '.openclaw/openclaw.json': model('openrouter/auto'),
      [agentStore('work')]: store({ 'openrouter:oauth': { type: 'oauth', provider: 'openrouter', access: 'PLANTED-a', refresh: '', expires: NOW - HOUR } }),
    });
    const { document } = await check(home);
    expect(row(document, 'openrouter:oauth')!.fix).toBe('run `openclaw models auth --agent work login --provider openrouter`');
  });
});

describe('a CLI login no route uses is `unused`', () => {
  const gateway = {
    '.openclaw/openclaw.json': model('anthropic/claude-opus-4-6'),
    [agentStore('main')]: store({ 'anthropic:manual': { type: 'token', provider: 'anthropic', token: setupToken, expires: NOW + 30 * DAY } }),
  };

  it('an expired Codex login with no openai in use: listed, unused, exit 0', async () => {
    const home = makeHome({ ...gateway, '.codex/auth.json': codexLogin(NOW - HOUR) });
    const { code, document, table } = await check(home);
    expect(row(document, 'openai:codex-cli')).toMatchObject({ status: 'expired', unused: true });
    expect(code).toBe(0);
    expect(table).toMatch(/^openai:codex-cli .* unused \(no provider in use\)/m);
  });

  it('the same login counts once the gateway uses openai (OpenClaw 2026.9\'s id for Codex)', async () => {
    const home = makeHome({ ...gateway, '.openclaw/openclaw.json': { json: { agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-6', fallbacks: ['openai/gpt-5.5'] } } } } }, '.codex/auth.json': codexLogin(NOW - HOUR) });
    const { code, document } = await check(home);
    expect(row(document, 'openai:codex-cli')).toMatchObject({ status: 'expired', unused: false, fix: 'run `codex login`' });
    expect(code).toBe(1);
  });

  it('strictProfiles: the unused login counts, but an alert leads with what the gateway uses', async () => {
    const home = makeHome({
      ...gateway,
      [agentStore('main')]: store({ 'anthropic:manual': { type: 'token', provider: 'anthropic', token: setupToken, expires: NOW + 3 * HOUR } }),
      '.codex/auth.json': codexLogin(NOW - HOUR),
    });
    const title = join(home, 'title.txt');
    mkdirSync(join(home, '.config/authwatch'), { recursive: true });
    writeFileSync(
      join(home, '.config/authwatch/config.json5'),
      JSON.stringify({ strictProfiles: true, channels: [{ name: 'log', type: 'command', command: ['/bin/sh', '-c', 'printf "%s" "$1" > "$2"', 'sh', '{title}', title] }] }),
    );
    const run = await runCli(['check', '--now', NOW_ISO, '--send'], { home });
    expect(run.code, run.stderr).toBe(1); // the expired login counts
    // Worst first would put the expired login no route uses in the subject.
    expect(existsSync(title), `${run.stdout}\n${run.stderr}`).toBe(true);
    expect(readFileSync(title, 'utf8')).toMatch(/^authwatch: EXPIRING anthropic:manual on \S+ \(\+1 expired\)$/);
  });

  it('with no gateway at all, the CLI logins are what is watched: they count', async () => {
    const home = makeHome({ '.codex/auth.json': codexLogin(NOW - HOUR) });
    const { code, document } = await check(home);
    expect(row(document, 'openai:codex-cli')).toMatchObject({ status: 'expired', unused: false });
    expect(code).toBe(1);
  });
});

describe('a setup-token without an expiry', () => {
  it('says it has no known end and how to declare one; the declared end then counts', async () => {
    const files = {
      '.openclaw/openclaw.json': model('anthropic/claude-opus-4-6'),
      [agentStore('main')]: store({ 'anthropic:manual': { type: 'token', provider: 'anthropic', token: setupToken } }),
    };
    const plain = await check(makeHome(files));
    expect(plain.code).toBe(0);
    expect(row(plain.document, 'anthropic:manual')).toMatchObject({
      status: 'ok',
      detail:
        'no known end: stored without an expiry (pasted without --expires-in), so nothing warns before it stops; declare it in the authwatch config: profiles: { "anthropic:manual": { issuedAt: "<when it was made>", lifetime: "365d" } } (docs/configuration.md)',
    });
    const issued = new Date(NOW - 360 * DAY).toISOString();
    const declared = await check(makeHome({ ...files, '.config/authwatch/config.json5': `{ profiles: { "anthropic:manual": { issuedAt: "${issued}", lifetime: "365d", warn: "14d" } } }` }));
    expect(declared.code).toBe(2);
    expect(row(declared.document, 'anthropic:manual')).toMatchObject({ status: 'expiring', detail: 'expires in 5d; expiry from config' });
  });
});
