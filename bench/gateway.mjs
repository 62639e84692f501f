// 9. A check through a running gateway vs the files only, and `openclaw models status` side by
// side: a real OpenClaw home made by its CLI, its real gateway on a free loopback port
// (docs/sources.md "A running gateway"). Target: the gateway read costs <= 1 s over files only.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { checkCommand, floorCommand, makeHome, median, ms, record, timePair } from './lib.mjs';
import { judged } from './targets.mjs';

const openclaw = process.env.OPENCLAW_CLI ?? '/opt/openclaw/openclaw.sh';
const gatewayEnv = (home) => ({ PATH: process.env.PATH, HOME: home, TZ: 'UTC', OPENCLAW_SKIP_CHANNELS: '1', OPENCLAW_DISABLE_BONJOUR: '1', OPENCLAW_NO_AUTO_UPDATE: '1' });

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function waitReady(port, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with ${child.exitCode}`);
    try {
      const body = await (await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(3000) })).json();
      if (body.ready === true) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the gateway on port ${port} was not ready within ${timeoutMs / 1000} s`);
}

/** Wall time of each of `runs` runs of a command, in ms. */
function times(command, args, env, runs) {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    spawnSync(command, args, { env, stdio: 'ignore', timeout: 300_000 });
    out.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return out;
}

export async function gatewayCheck({ runs }) {
  const name = 'check via the gateway';
  if (!existsSync(openclaw)) {
    record(name, `OpenClaw CLI (${openclaw}; OPENCLAW_CLI names another)`, 'not installed', 'installed', false);
    return;
  }
  console.error('  making a real OpenClaw home and starting its gateway…');
  const home = makeHome({ profiles: 0, agents: 0 });
  const env = gatewayEnv(home);
  const paste = spawnSync(openclaw, ['models', 'auth', 'paste-token', '--provider', 'anthropic', '--expires-in', '20h'], { input: `sk-ant-oat01-${randomBytes(60).toString('base64url')}\n`, env, encoding: 'utf8', timeout: 400_000 });
  if (paste.status !== 0) throw new Error(`openclaw models auth paste-token: ${paste.stderr}`);
  const port = await freePort();
  const token = `bench-${randomBytes(16).toString('hex')}`;
  const child = spawn(openclaw, ['gateway', '--allow-unconfigured', '--auth', 'token', '--token', token, '--port', String(port), '--bind', 'loopback'], { env, stdio: 'ignore', detached: true });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await waitReady(port, child, 300_000);
    const empty = makeHome({ profiles: 0, agents: 0 });
    const viaGateway = checkCommand(empty, [], { OPENCLAW_GATEWAY_URL: `ws://127.0.0.1:${port}`, OPENCLAW_GATEWAY_TOKEN: token });
    const filesOnly = checkCommand(home, ['--no-gateway']);
    const gw = timePair(viaGateway, floorCommand, runs);
    const files = timePair(filesOnly, floorCommand, runs);
    record(name, `check, empty home + gateway URL and token (median of ${runs}); floor ${ms(gw.b)}`, ms(gw.a), '', null);
    record(name, 'ratio check via gateway / floor', `${gw.ratio.toFixed(2)}x`, '', null);
    record(name, `check, the same home's files only (median of ${runs}); floor ${ms(files.b)}`, ms(files.a), '', null);
    record(name, 'ratio files only / floor', `${files.ratio.toFixed(2)}x`, '', null);
    record(name, 'gateway read over files only', ms(gw.a - files.a), ...judged('gatewayOverFilesMs', gw.a - files.a));
    const cliRuns = Math.max(3, Math.min(5, runs));
    const status = median(times(openclaw, ['models', 'status', '--json'], env, cliRuns));
    record(name, `openclaw models status --json on the same home (median of ${cliRuns})`, ms(status), '> check via gateway', status > gw.a);
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }, 10_000);
    await exited;
    clearTimeout(timer);
  }
}
