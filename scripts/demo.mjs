// Builds a throwaway home with one credential per status and runs `authwatch check` on it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'authwatch-demo-'));
const now = Date.now();
const hour = 3_600_000;
const fake = (name) => `demo-not-a-real-${name}-${'x'.repeat(24)}`;
const jwt = (payload) => ['{"alg":"none"}', JSON.stringify(payload), 'sig'].map((p) => Buffer.from(p).toString('base64url')).join('.');

const files = {
  '.openclaw/agents/main/agent/auth-profiles.json': {
    version: 1,
    profiles: {
      'anthropic:default': { type: 'token', provider: 'anthropic', token: fake('setup-token'), expires: now + 200 * 24 * hour },
      'anthropic:manual': { type: 'token', provider: 'anthropic', token: fake('old-token'), expires: now - 5 * hour },
      'openai-codex:me@example.com': { type: 'oauth', provider: 'openai-codex', access: fake('access'), refresh: fake('refresh'), expires: now + 2 * hour },
      'openrouter:default': { type: 'api_key', provider: 'openrouter', key: fake('key') },
      'zai:default': { type: 'api_key', provider: 'zai', key: '' },
    },
    usageStats: { 'openrouter:default': { cooldownUntil: now + 20 * 60_000 } },
  },
  '.openclaw/agents/work/agent/auth-profiles.json': '{"version":1,"profiles":{"groq:default":{"type":"api_key","provi',
  '.openclaw/openclaw.json': '{ agents: { defaults: { model: { primary: "anthropic/claude-opus-4-6", fallbacks: ["google/gemini-3-pro"] } } } }',
  '.openclaw/.env': `MISTRAL_API_KEY=${fake('mistral')}\n`,
  '.claude/.credentials.json': { claudeAiOauth: { accessToken: fake('claude'), expiresAt: now + 9 * hour } },
  '.codex/auth.json': { auth_mode: 'chatgpt', tokens: { access_token: jwt({ exp: Math.floor((now + 40 * 60_000) / 1000) }), refresh_token: fake('rt') } },
};

try {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(home, path)), { recursive: true });
    writeFileSync(join(home, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2), { mode: 0o600 });
  }
  console.log(`demo home: ${home}\n$ HOME=${home} authwatch check\n`);
  const env = { PATH: process.env.PATH, HOME: home, TZ: process.env.TZ ?? 'UTC', NO_COLOR: process.env.NO_COLOR ?? '' };
  const result = spawnSync(process.execPath, [cli, 'check', ...process.argv.slice(2)], { env, stdio: 'inherit' });
  console.log(`\nexit code: ${result.status} (0 ok, 1 expired/missing/error, 2 expiring, 3 could not run)`);
  // The same check on a phone-sized terminal: `script` gives it a real pty of 52 columns.
  if (spawnSync('script', ['--version']).status === 0) {
    console.log(`\n$ HOME=${home} authwatch check   # on a 52-column terminal (Termux on a phone)\n`);
    spawnSync('script', ['-qec', `stty cols 52; "${process.execPath}" "${cli}" check --no-color`, '/dev/null'], { env, stdio: 'inherit' });
  }
  console.log(`\n$ HOME=${home} authwatch status   # is the monitoring itself working?\n`);
  const status = spawnSync(process.execPath, [cli, 'status'], { env, stdio: 'inherit' });
  console.log(`\nexit code: ${status.status} (0 monitoring works, 1 it is broken)`);
} finally {
  rmSync(home, { recursive: true, force: true });
}
