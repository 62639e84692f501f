import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { agentStore, makeHome } from './helpers/home.js';
import { waitFor } from './helpers/processes.js';

const recorded = fileURLToPath(new URL('./fixtures/openclaw-cli/', import.meta.url));
const NOW_ISO = '2026-11-24T21:00:00Z';

/** A stand-in `openclaw` on PATH: records its arguments, then prints and exits like the real one did. */
function withOpenclaw(home: string, script: string) {
  const bin = join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'openclaw'), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${join(home, 'openclaw-calls.log')}"\n${script}\n`);
  chmodSync(join(bin, 'openclaw'), 0o755);
  return { PATH: `${bin}:${process.env.PATH}` };
}

const check = (home: string, env: Record<string, string>, ...args: string[]) => runCli(['check', '--json', '--now', NOW_ISO, '--from-openclaw', ...args], { home, env });

describe('check --from-openclaw', () => {
  it("uses OpenClaw's own answer instead of reading its files", async () => {
    const home = makeHome({ [agentStore('main')]: '{"version":1,"profiles":{ broken' });
    const env = withOpenclaw(home, `cat "${join(recorded, 'models-status.json')}"`);
    const result = await check(home, env, '--agent', 'main');
    expect(readFileSync(join(home, 'openclaw-calls.log'), 'utf8')).toBe('models status --json --agent main\n');
    const json = JSON.parse(result.stdout);
    expect(json.profiles.map((p: any) => [p.id, p.source, p.type, p.status])).toEqual([
      ['anthropic:default', 'openclaw-cli', 'token', 'ok'],
      ['openai:fixture@example.com', 'openclaw-cli', 'oauth', 'ok'],
      ['openrouter:default', 'openclaw-cli', 'api_key', 'ok'],
    ]);
    expect(json.profiles[0].expiresAt).toBe('2030-01-01T00:00:00.000Z');
    expect(json.sources[0]).toMatchObject({ name: 'openclaw-cli', ok: true, path: '/tmp/och1/.openclaw/state/openclaw.sqlite' });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/FIXTURESECRET|sk-or-FI|uter-key/);
  });

  it("turns OpenClaw's missing providers in use into missing rows", async () => {
    const home = makeHome();
    const status = JSON.parse(readFileSync(join(recorded, 'models-status.json'), 'utf8'));
    status.auth.missingProvidersInUse = ['google'];
    writeFileSync(join(home, 'status.json'), JSON.stringify(status));
    const result = await check(home, withOpenclaw(home, `cat "${join(home, 'status.json')}"`));
    const json = JSON.parse(result.stdout);
    expect(json.profiles.find((p: any) => p.provider === 'google')).toMatchObject({ status: 'missing', id: 'google:(none)' });
    expect(result.code).toBe(1);
  });

  it('when OpenClaw refuses (legacy migration), the files are read and the run says why', async () => {
    const home = makeHome({ [agentStore('main')]: { json: { version: 1, profiles: { 'openrouter:default': { type: 'api_key', provider: 'openrouter', key: 'k' } } } } });
    const env = withOpenclaw(home, `cat "${join(recorded, 'models-status-legacy.stdout')}"; cat "${join(recorded, 'models-status-legacy.stderr')}" >&2; exit 1`);
    const result = await check(home, env);
    const json = JSON.parse(result.stdout);
    expect(json.sources[0]).toMatchObject({ name: 'openclaw-cli', ok: false });
    expect(json.sources[0].error).toMatch(/^`openclaw models status --json` exited with 1: Auth profile store .* requires legacy credential migration.*; read the credential files instead$/);
    expect(json.profiles.map((p: any) => [p.id, p.source])).toEqual([['openrouter:default', 'openclaw']]);
  });

  it('a hanging OpenClaw is cut off by the timeout; a missing one is said too', async () => {
    const home = makeHome({ '.config/authwatch/config.json5': '{ openclaw: { timeout: "1s" } }' });
    const started = Date.now();
    const hung = await check(home, withOpenclaw(home, 'sleep 30'));
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(JSON.parse(hung.stdout).sources[0].error).toMatch(/no answer within 1s \(killed\); read the credential files instead/);

    const absent = makeHome({ '.config/authwatch/config.json5': '{ openclaw: { fromCli: true, command: ["no-such-openclaw"] } }' });
    const result = await runCli(['check', '--json', '--now', NOW_ISO], { home: absent });
    expect(JSON.parse(result.stdout).sources[0].error).toBe('`no-such-openclaw models status --json` not found on PATH; read the credential files instead');
  });

  it('names only the program when the configured command has arguments (they may carry a secret)', async () => {
    const home = makeHome({ '.config/authwatch/config.json5': '{ openclaw: { fromCli: true, command: ["env", "OPENAI_API_KEY=PLANTEDSECRET", "no-such-openclaw"] } }' });
    const result = await runCli(['check', '--json', '--log-level', 'debug', '--now', NOW_ISO], { home });
    expect(JSON.parse(result.stdout).sources[0].error).toBe('`env … models status --json` exited with 127; read the credential files instead');
    expect(result.stdout + result.stderr).not.toContain('PLANTEDSECRET');
  });

  it("OpenClaw's own expired and missing are the verdict (an expired token comes with no expiresAt)", async () => {
    const home = makeHome();
    const status = JSON.parse(readFileSync(join(recorded, 'models-status.json'), 'utf8'));
    // The shapes OpenClaw 2026.9.6's buildProfileHealth gives an expired token, a fence, a missing ref.
    status.auth.oauth.profiles = [
      { profileId: 'anthropic:default', provider: 'anthropic', type: 'token', status: 'expired', reasonCode: 'expired', source: 'store', label: 'anthropic:default' },
      { profileId: 'openai:x', provider: 'openai', type: 'oauth', status: 'expired', expiresAt: 1, remainingMs: -1, source: 'store', label: 'openai:x' },
      { profileId: 'groq:ref', provider: 'groq', type: 'oauth', status: 'missing', reasonCode: 'unresolved_ref', source: 'store', label: 'groq:ref' },
      { profileId: 'xai:ok', provider: 'xai', type: 'token', status: 'ok', expiresAt: 1893456000000, source: 'store', label: 'xai:ok' },
    ];
    writeFileSync(join(home, 'status.json'), JSON.stringify(status));
    const result = await check(home, withOpenclaw(home, `cat "${join(home, 'status.json')}"`));
    const json = JSON.parse(result.stdout);
    expect(json.profiles.map((p: any) => [p.id, p.status])).toEqual([
      ['anthropic:default', 'expired'],
      ['openai:x', 'expired'],
      ['groq:ref', 'missing'],
      ['xai:ok', 'ok'],
    ]);
    expect(json.profiles[0].detail).toMatch(/OpenClaw says expired/);
    expect(json.profiles[2].detail).toMatch(/unresolved_ref/);
    expect(result.code).toBe(1);
  });

  it('an expiresAt beyond any date from OpenClaw is an error row for that profile, not a crash', async () => {
    const home = makeHome();
    const status = JSON.parse(readFileSync(join(recorded, 'models-status.json'), 'utf8'));
    status.auth.oauth.profiles[0].expiresAt = 1e20;
    writeFileSync(join(home, 'status.json'), JSON.stringify(status));
    const result = await check(home, withOpenclaw(home, `cat "${join(home, 'status.json')}"`));
    const json = JSON.parse(result.stdout);
    expect(json.profiles[0]).toMatchObject({ id: 'anthropic:default', status: 'error' });
    expect(json.profiles[0].detail).toMatch(/expiresAt 1e20 is not a valid time/);
    expect(json.profiles.slice(1).map((p: any) => p.status)).toEqual(['ok', 'ok']);
    expect(result.stderr).not.toMatch(/RangeError|at .*\.js/);
  });

  it('the deadline holds when a grandchild keeps the output pipe open, and the whole group is killed', async () => {
    const home = makeHome({ '.config/authwatch/config.json5': '{ openclaw: { timeout: "1s" } }' });
    // The shell prints half an answer, leaves a background child holding stdout, and exits.
    const pidFile = join(home, 'grandchild.pid');
    const started = Date.now();
    const result = await check(home, withOpenclaw(home, `printf '{"auth":'; (sleep 60; echo late) & echo $! > "${pidFile}"; exec sleep 60`));
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(JSON.parse(result.stdout).sources[0].error).toMatch(/no answer within 1s \(killed\)/);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    // Gone, or a zombie waiting for init to reap it: either way no longer running.
    const running = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${grandchild}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    await waitFor('the grandchild to die', () => (running() ? undefined : true), 3_000);
  }, 15_000);

  it('output beyond the cap kills the program and says so', async () => {
    const home = makeHome();
    const started = Date.now();
    const result = await check(home, withOpenclaw(home, 'exec yes "{}"'));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(JSON.parse(result.stdout).sources[0].error).toMatch(/printed more than 16 MB \(killed\); read the credential files instead/);
  }, 15_000);
});
