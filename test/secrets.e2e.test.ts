import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { DAY, HOUR, NOW, NOW_ISO } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';
import { fakeJwt } from './helpers/jwt.js';

/** Every secret planted below carries this marker; no output may ever contain it. */
const MARKER = 'PLANTEDSECRET';
const secret = (name: string) => `${MARKER}-${name}-0123456789abcdef`;

function homeWithSecretsEverywhere(): string {
  return makeHome({
    [agentStore('main')]: {
      json: {
        version: 1,
        profiles: {
          'anthropic:default': { type: 'token', provider: 'anthropic', token: `sk-ant-oat01-${secret('token')}`, expires: NOW + HOUR },
          'openai-codex:me@example.com': {
            type: 'oauth',
            provider: 'openai-codex',
            access: secret('access'),
            refresh: secret('refresh'),
            expires: NOW - HOUR,
          },
          'openrouter:default': { type: 'api_key', provider: 'openrouter', key: secret('key') },
          'bad:type': { type: secret('type-field'), provider: 'bad', key: secret('bad-key') },
          'bad:expires': { type: 'token', provider: 'bad', token: secret('t2'), expires: secret('expires-field') },
        },
      },
    },
    // A truncated file cut off in the middle of a secret: the parse error must not quote it.
    [agentStore('broken')]: `{"version":1,"profiles":{"x:y":{"type":"api_key","provider":"x","key":"${secret('truncated')}`,
    [agentStore('garbage')]: `{"profiles": ${secret('syntax')} }`,
    '.openclaw/.env': `ANTHROPIC_API_KEY=${secret('dotenv')}\nOPENROUTER_API_KEY=${secret('dotenv2')}\n`,
    '.openclaw/openclaw.json': `{ agents: { defaults: { model: 'anthropic/claude-opus-4-6' } }, models: { providers: { x: { apiKey: '${secret('cfgkey')}' } } } }`,
    '.claude/.credentials.json': {
      json: { claudeAiOauth: { accessToken: secret('claude-access'), refreshToken: secret('claude-refresh'), expiresAt: NOW + 2 * DAY } },
    },
    '.codex/auth.json': {
      json: { tokens: { access_token: fakeJwt({ exp: (NOW + HOUR) / 1000, email: secret('jwt-claim') }, secret('sig')), refresh_token: secret('codex-refresh'), id_token: secret('id') } },
    },
  });
}

describe('secrets never leave the machine', () => {
  it('no planted secret appears in the table, JSON, or debug/trace logs', async () => {
    const home = homeWithSecretsEverywhere();
    const env = { GEMINI_API_KEY: secret('process-env'), OPENAI_API_KEY: secret('process-env2') };
    const runs = await Promise.all([
      runCli(['check', '--now', NOW_ISO], { home, env }),
      runCli(['check', '--json', '--now', NOW_ISO], { home, env }),
      runCli(['check', '--json', '--now', NOW_ISO, '--log-level', 'trace'], { home, env }),
      runCli(['check', '--now', NOW_ISO, '--log-level', 'debug', '--agent', 'broken'], { home, env }),
    ]);
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.stdout.length).toBeGreaterThan(100);
      expect(run.stdout).not.toContain(MARKER);
      expect(run.stderr).not.toContain(MARKER);
    }
    // The broken files were reported, not skipped.
    const json = JSON.parse(runs[1]!.stdout);
    expect(json.profiles.filter((p: any) => p.status === 'error').length).toBeGreaterThanOrEqual(4);
    expect(runs[2]!.stderr.length).toBeGreaterThan(0);
  });

  it('a config value that holds a secret is not echoed in the error', async () => {
    const home = makeHome({ '.config/authwatch/config.json5': `{ warn: '${secret('warn')}', require: ['${secret('req')}'] }` });
    const result = await runCli(['check'], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/warn: expected a duration/);
    expect(result.stderr).not.toContain(MARKER);
  });
});
