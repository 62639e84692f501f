import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from './cli.js';
import { freePort } from './processes.js';

// A real OpenClaw gateway for a test file (docs in /work/shared/reference/gateway.md): a home
// made by the real CLI, the gateway started on a free loopback port with a token, ready when
// /readyz says so (20-130 s on a busy 2-core machine), stopped by its own process group.

export const DEFAULT_OPENCLAW = '/opt/openclaw/openclaw.sh';

export interface RealGateway {
  home: string;
  port: number;
  url: string;
  token: string;
  /** The gateway's process group leader. */
  child: ChildProcess;
  /** The environment the real CLI runs with against this home. */
  env: Record<string, string>;
  stop(): Promise<void>;
  /** SIGSTOP / SIGCONT the whole gateway: it keeps its socket but answers nothing. */
  freeze(): void;
  thaw(): void;
}

interface GatewayHome {
  /** `--expires-in` of the pasted Anthropic setup-token (`20h`; `1s` gives an expired one). */
  expiresIn: string;
  /** Also write the gateway's token into openclaw.json (`gateway.auth.token`), as onboarding does. */
  tokenInConfig?: boolean;
  /** `lan`: listen on every address, so a connection can come from outside loopback (and must pair). */
  bind?: 'loopback' | 'lan';
  /**
   * Where the gateway sends its Anthropic requests (`models.providers.anthropic.baseUrl`,
   * docs/gateway/configuration-examples.md "Custom model providers"): a local fake of the API,
   * so an agent run fails offline the way the provider makes it fail.
   */
  anthropicBaseUrl?: string;
}

/** A setup-token of the shape OpenClaw accepts (it refuses short ones); never a real credential. */
const fakeSetupToken = () => `sk-ant-oat01-${randomBytes(60).toString('base64url')}`;

function cliEnv(home: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    TZ: 'UTC',
    NO_COLOR: '1',
    OPENCLAW_SKIP_CHANNELS: '1',
    OPENCLAW_DISABLE_BONJOUR: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    DO_NOT_TRACK: '1',
  };
}

async function cli(openclaw: string, env: Record<string, string>, args: string[], stdin = ''): Promise<string> {
  const result = await runProcess(openclaw, args, { env, stdin, timeoutMs: 400_000 });
  if (result.code !== 0) throw new Error(`openclaw ${args.join(' ')} exited ${result.code}: ${result.stderr.slice(-2000)}`);
  return result.stdout;
}

function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && current && typeof current === 'object' && !Array.isArray(current)
        ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}

/** Makes a home with the real CLI and starts its gateway; the caller stops it (afterAll). */
export async function startRealGateway(openclaw: string, spec: GatewayHome): Promise<RealGateway> {
  const home = mkdtempSync(join(tmpdir(), 'aw-gateway-'));
  const env = cliEnv(home);
  const port = await freePort();
  const token = `gw-test-${randomBytes(18).toString('hex')}`;
  await cli(openclaw, env, ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--expires-in', spec.expiresIn], `${fakeSetupToken()}\n`);
  const anthropic = spec.anthropicBaseUrl
    ? { models: { mode: 'merge', providers: { anthropic: { baseUrl: spec.anthropicBaseUrl, api: 'anthropic-messages', models: [{ id: 'claude-opus-4-6', name: 'Claude Opus 4.6', input: ['text'], contextWindow: 200000, maxTokens: 8192 }] } } } }
    : {};
  const patch = { agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-6' } } }, logging: { file: join(home, 'gateway.log') }, gateway: { port, ...(spec.tokenInConfig ? { auth: { mode: 'token', token } } : {}) }, ...anthropic };
  // openclaw.json is the user's own config file (JSON5, edited by hand as often as by the CLI):
  // the settings go in directly, which spares a `config patch` run of minutes on a busy machine.
  const configPath = join(home, '.openclaw', 'openclaw.json');
  const written = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(configPath, JSON.stringify(deepMerge(written, patch), null, 2), { mode: 0o600 });
  // Under heavy load a gateway can give up at start ("startup migrations did not complete
  // cleanly": a lease heartbeat timed out); it is started again, up to three times.
  for (let attempt = 1; ; attempt++) {
    const started = launch(openclaw, env, port, token, spec.bind ?? 'loopback');
    try {
      await waitReady(port, started.child, 200_000);
      return { home, port, url: `ws://127.0.0.1:${port}`, token, env, ...started };
    } catch (error) {
      await started.stop();
      if (!(error instanceof GatewayExited) || attempt === 3) throw error;
    }
  }
}

class GatewayExited extends Error {}

/** Polls /readyz until it says ready; a gateway that exits first is GatewayExited (not a wait to the end). */
async function waitReady(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new GatewayExited(`the gateway on port ${port} exited before it was ready`);
    try {
      const body = (await (await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3000) })).json()) as { ready?: boolean };
      if (body.ready === true) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the gateway on port ${port} was not ready within ${timeoutMs / 1000} s`);
}

/** Starts the gateway in its own process group. */
function launch(openclaw: string, env: Record<string, string>, port: number, token: string, bind: string) {
  const child = spawn(openclaw, ['gateway', '--allow-unconfigured', '--auth', 'token', '--token', token, '--port', String(port), '--bind', bind], {
    env,
    stdio: ['ignore', 'ignore', 'ignore'],
    detached: true,
  });
  const group = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // gone already
    }
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    group('SIGCONT');
    group('SIGTERM');
    const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000))]);
    if (!killed) group('SIGKILL');
    await exited;
  };
  return { child, stop, freeze: () => group('SIGSTOP'), thaw: () => group('SIGCONT') };
}
