import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runProcess } from './helpers/cli.js';
import { filesUnder, makeHome, writeFiles } from './helpers/home.js';
import { findOpenclaw } from './parity/harness.js';
import { startRealGateway, type RealGateway } from './helpers/gateway.js';

// A real OpenClaw 2026.9.6 gateway, started once for this file. authwatch finds it through a
// home whose openclaw.json names its port and holds its token only as a `file` or an `exec`
// SecretRef (docs/gateway/secrets/secretref-contract.md); the real CLI is given the same home
// and must accept the config (`config validate`) and connect with it (`gateway call health`),
// so the format is OpenClaw's own, not ours.

const openclaw = findOpenclaw();

const describeReal = openclaw ? describe : describe.skip;

describeReal('gateway.auth.token as a file or exec SecretRef, against a real gateway', () => {
  let gateway: RealGateway;

  beforeAll(async () => {
    gateway = await startRealGateway(openclaw!, { expiresIn: '20h' });
  }, 600_000);

  afterAll(async () => {
    await gateway?.stop();
  }, 60_000);

  const cliEnv = (home: string) => ({ ...gateway.env, HOME: home });

  /** The token from a file SecretRef: a home with no OpenClaw state, only openclaw.json (the gateway's port) and a private secrets file. */
  const fileHome = (token: string) =>
    makeHome({
      '.openclaw/secrets.json': { json: { gateway: { token } } },
      '.openclaw/openclaw.json': {
        json: { gateway: { mode: 'local', port: gateway.port, auth: { mode: 'token', token: { source: 'file', provider: 'gwfile', id: '/gateway/token' } } }, secrets: { providers: { gwfile: { source: 'file', path: '~/.openclaw/secrets.json', mode: 'json' } } } },
      },
    });

  /** The token from an exec SecretRef: a resolver script in the home (0700, owned by this user). */
  function execHome(token: string): string {
    const home = makeHome();
    const command = join(home, 'vault-resolver');
    const script = `#!/bin/sh\n/bin/cat >/dev/null\nprintf '{"protocolVersion":1,"values":{"gateway/token":"%s"}}' '${token}'\n`;
    writeFiles(home, {
      'vault-resolver': { text: script, mode: 0o700 },
      '.openclaw/openclaw.json': {
        json: { gateway: { mode: 'local', port: gateway.port, auth: { mode: 'token', token: { source: 'exec', provider: 'vault', id: 'gateway/token' } } }, secrets: { providers: { vault: { source: 'exec', command, timeoutMs: 20_000 } } } },
      },
    });
    return home;
  }

  const check = (home: string) => runCli(['check', '--json', '--no-alerts'], { home, env: {}, timeoutMs: 120_000 });

  for (const [kind, make] of [
    ['file', fileHome],
    ['exec', execHome],
  ] as const) {
    it(`the token as a ${kind} SecretRef: authwatch reads the gateway with it; the real CLI validates the config and connects with it`, async () => {
      const home = make(gateway.token);
      const result = await check(home);
      const json = JSON.parse(result.stdout);
      expect(json.sources[0]).toMatchObject({ name: 'gateway', ok: true, found: true });
      expect(json.profiles.map((p: any) => [p.id, p.source, p.status])).toEqual([['anthropic:manual', 'gateway', 'expiring']]);
      expect(result.code).toBe(2);
      const everything = [result.stdout, result.stderr, ...filesUnder(join(home, '.local', 'state')).map((file) => readFileSync(file, 'utf8'))].join('\n');
      expect(everything).not.toContain(gateway.token);

      const validate = await runProcess(openclaw!, ['config', 'validate'], { env: cliEnv(home), timeoutMs: 400_000 });
      expect([validate.code, validate.stderr.slice(-500)]).toEqual([0, expect.anything()]);
      const call = await runProcess(openclaw!, ['gateway', 'call', 'health', '--json'], { env: cliEnv(home), timeoutMs: 400_000 });
      expect([call.code, call.stderr.slice(-500)]).toEqual([0, expect.anything()]);
    }, 1_000_000);
  }

  it('the token the ref resolves to is the one used: a wrong one is refused by the gateway (never shown)', async () => {
    const wrong = `wrong-${gateway.token.slice(6)}`;
    for (const home of [fileHome(wrong), execHome(wrong)]) {
      const result = await check(home);
      // The local gateway found through openclaw.json: its trouble is the source's error (no row).
      const source = JSON.parse(result.stdout).sources.find((s: any) => s.name === 'gateway');
      expect(source).toMatchObject({ ok: false, error: expect.stringMatching(/refused authwatch's credentials \(AUTH_TOKEN_MISMATCH\)/) });
      expect(result.stdout + result.stderr).not.toContain(wrong);
      // The real CLI, given the same home, uses the same wrong token and is refused too.
      const call = await runProcess(openclaw!, ['gateway', 'call', 'health', '--json'], { env: cliEnv(home), timeoutMs: 400_000 });
      expect(call.code).not.toBe(0);
    }
  }, 900_000);

});

