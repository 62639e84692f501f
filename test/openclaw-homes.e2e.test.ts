import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPath, runProcess } from './helpers/cli.js';
import { findOpenclaw } from './parity/harness.js';

// Gateways whose files are not in ~/.openclaw, made by the real OpenClaw 2026.9.6 CLI:
// `OPENCLAW_HOME` (OpenClaw keeps `.openclaw` under it) and `openclaw --profile NAME`
// (`~/.openclaw-NAME`). authwatch must judge them as `openclaw models status --check` does.

const openclaw = findOpenclaw();
const root = mkdtempSync(join(tmpdir(), 'authwatch-homes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const token = `sk-ant-oat01-${'h'.repeat(90)}`;

function baseEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TZ: 'UTC', NO_COLOR: '1', OPENCLAW_OFFLINE: '1', OPENCLAW_NO_AUTO_UPDATE: '1', OPENCLAW_NO_RESPAWN: '1', DO_NOT_TRACK: '1', ...extra };
}

/** A setup-token expiring in 2 h, the default model on Anthropic: the real CLI's `--check` exits 2. */
async function makeGateway(env: Record<string, string>, before: string[] = []): Promise<void> {
  const steps = [
    { args: [...before, 'models', 'auth', 'paste-token', '--provider', 'anthropic', '--expires-in', '2h'], stdin: `${token}\n` },
    { args: [...before, 'models', 'set', 'anthropic/claude-opus-4-6'], stdin: '' },
  ];
  for (const step of steps) {
    const result = await runProcess(openclaw!, step.args, { env, stdin: step.stdin, timeoutMs: 600_000 });
    expect(result.code, `openclaw ${step.args.join(' ')}: ${result.stderr.slice(-400)}`).toBe(0);
  }
}

const authwatch = (args: string[], env: Record<string, string>) => runProcess(process.execPath, [cliPath, 'check', '--no-alerts', ...args], { env, timeoutMs: 30_000 });

describe.runIf(openclaw !== null)('gateways outside ~/.openclaw, made by the real OpenClaw CLI', () => {
  it('OPENCLAW_HOME: authwatch reads the home OpenClaw wrote, and exits as `openclaw models status --check`', async () => {
    const home = mkdtempSync(join(root, 'user-'));
    const env = baseEnv(home, { OPENCLAW_HOME: join(home, 'gateway-home') });
    await makeGateway(env);
    const real = await runProcess(openclaw!, ['models', 'status', '--check'], { env, timeoutMs: 600_000 });
    expect(real.code).toBe(2);
    const parity = await authwatch(['--policy', 'openclaw'], env);
    expect(parity.code, parity.stdout + parity.stderr).toBe(2);
    const own = await authwatch(['--json'], env);
    expect(own.code).toBe(2);
    const document = JSON.parse(own.stdout);
    expect(document.profiles.map((p: { id: string; path: string }) => [p.id, p.path])).toEqual([['anthropic:manual', join(home, 'gateway-home/.openclaw/state/openclaw.sqlite')]]);
    expect(document.providers.map((p: { provider: string }) => p.provider)).toEqual(['anthropic']);
  }, 1_800_000);

  it('`openclaw --profile work`: a hint names the profile home; --openclaw-profile judges it as `openclaw --profile work models status --check`', async () => {
    const home = mkdtempSync(join(root, 'user-'));
    const env = baseEnv(home);
    await makeGateway(env, ['--profile', 'work']);
    const real = await runProcess(openclaw!, ['--profile', 'work', 'models', 'status', '--check'], { env, timeoutMs: 600_000 });
    expect(real.code).toBe(2);
    const plain = await authwatch([], env);
    expect(plain.stderr).toContain(`no OpenClaw home at ${join(home, '.openclaw')}, but \`openclaw --profile\` homes exist: ${join(home, '.openclaw-work')}; check one with --openclaw-profile work`);
    const parity = await authwatch(['--policy', 'openclaw', '--openclaw-profile', 'work'], env);
    expect(parity.code, parity.stdout + parity.stderr).toBe(2);
    const own = await authwatch(['--openclaw-profile', 'work'], env);
    expect(own.code, own.stdout).toBe(2);
    expect(own.stderr).not.toContain('--profile` homes exist');
    expect(own.stdout).toContain('anthropic  serving anthropic:manual (expiring)');
    // --from-openclaw asks the real CLI about the same gateway (`openclaw --profile work models status`).
    // The real CLI takes minutes on a busy machine: generous bounds, so only a wrong answer fails.
    writeFileSync(join(home, 'authwatch.json5'), JSON.stringify({ openclaw: { command: [openclaw], timeout: '500s' } }));
    const asked = await runProcess(process.execPath, [cliPath, 'check', '--no-alerts', '--from-openclaw', '--openclaw-profile', 'work', '--json', '--config', join(home, 'authwatch.json5'), '--deadline', '550s'], { env, timeoutMs: 600_000 });
    const document = JSON.parse(asked.stdout);
    expect(document.sources.find((s: { name: string }) => s.name === 'openclaw-cli'), asked.stderr).toMatchObject({ ok: true });
    expect(document.profiles.map((p: { id: string; source: string }) => `${p.id} ${p.source}`)).toEqual(['anthropic:manual openclaw-cli']);
    expect(asked.code).toBe(2);
    const bad = await authwatch(['--openclaw-profile', '../x'], env);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('--openclaw-profile: "../x" is no OpenClaw profile name');
  }, 1_800_000);
});
