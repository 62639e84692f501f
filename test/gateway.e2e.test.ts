import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, runCli, runProcess } from './helpers/cli.js';
import { listeningPort } from './helpers/daemon.js';
import { startSink } from './helpers/http-sink.js';
import { startProcess, waitFor } from './helpers/processes.js';
import { findTool } from './helpers/tools.js';
import { filesUnder, makeHome } from './helpers/home.js';
import { freePort } from './helpers/processes.js';
import { findOpenclaw } from './parity/harness.js';
import { startRealGateway, type RealGateway } from './helpers/gateway.js';

// Real OpenClaw gateways (2026.9.6), started once for this file: A holds a setup-token that
// expires in 20 h (its token also in its openclaw.json) and sends its Anthropic requests to a
// local fake of the API that refuses the credential; B holds one that has expired and listens
// on every address, so a connection from outside loopback must pair. authwatch reads them
// through the Gateway protocol from homes that have no OpenClaw files at all.

const openclaw = findOpenclaw();

const describeReal = openclaw ? describe : describe.skip;

/** This host's address outside loopback: a connection to it is not a local one for the gateway. */
const outsideAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

/**
 * A fake of Anthropic's Messages API that refuses every credential as the API does
 * (https://docs.anthropic.com/en/api/errors: HTTP 401, `{"type":"error","error":{"type":
 * "authentication_error",…},"request_id":…}` and a `request-id` header).
 */
function fakeAnthropic(): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createHttpServer((request, response) => {
    request.resume();
    request.on('end', () => {
      requests.push(`${request.method} ${request.url}`);
      response.writeHead(401, { 'content-type': 'application/json', 'request-id': 'req_011CfakeRefused' });
      response.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' }, request_id: 'req_011CfakeRefused' }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests })));
}

describeReal('reading real OpenClaw gateways', () => {
  let a: RealGateway;
  let b: RealGateway;
  let anthropic: Awaited<ReturnType<typeof fakeAnthropic>>;
  const servers: (Server | TcpServer)[] = [];

  beforeAll(async () => {
    anthropic = await fakeAnthropic();
    servers.push(anthropic.server);
    const started = await Promise.allSettled([
      startRealGateway(openclaw!, { expiresIn: '20h', tokenInConfig: true, anthropicBaseUrl: anthropic.url }),
      startRealGateway(openclaw!, { expiresIn: '1s', tokenInConfig: true, bind: 'lan' }),
    ]);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.stop() : null)));
      throw (failed as PromiseRejectedResult).reason;
    }
    [a, b] = started.map((s) => (s as PromiseFulfilledResult<RealGateway>).value) as [RealGateway, RealGateway];
  }, 600_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    for (const server of servers) server.close();
  }, 60_000);

  const check = (home: string, env: Record<string, string>, ...args: string[]) => runCli(['check', '--json', '--no-alerts', ...args], { home, env, timeoutMs: 60_000 });

  it("an empty home and the gateway's URL and token: the gateway's credentials and exit codes, as the real CLI's", async () => {
    const home = makeHome();
    const viaA = await check(home, { OPENCLAW_GATEWAY_URL: a.url, OPENCLAW_GATEWAY_TOKEN: a.token });
    const json = JSON.parse(viaA.stdout);
    expect(json.profiles.map((p: any) => [p.id, p.source, p.agent, p.status])).toEqual([['anthropic:manual', 'gateway', 'main', 'expiring']]);
    expect(json.providers).toEqual([expect.objectContaining({ provider: 'anthropic', agent: 'main' })]);
    expect(viaA.code).toBe(2);
    const viaB = await check(home, { OPENCLAW_GATEWAY_URL: b.url, OPENCLAW_GATEWAY_TOKEN: b.token });
    expect(JSON.parse(viaB.stdout).profiles.map((p: any) => [p.id, p.status])).toEqual([['anthropic:manual', 'expired']]);
    expect(viaB.code).toBe(1);
    // --policy openclaw: the exit `openclaw models status --check` gives on the gateway's own home.
    for (const gateway of [a, b]) {
      const real = await runProcess(openclaw!, ['models', 'status', '--check'], { env: gateway.env, timeoutMs: 400_000 });
      const ours = await check(home, { OPENCLAW_GATEWAY_URL: gateway.url, OPENCLAW_GATEWAY_TOKEN: gateway.token }, '--policy', 'openclaw');
      expect([gateway.url, ours.code]).toEqual([gateway.url, real.code]);
    }
  }, 1_000_000);

  it('finds the local gateway through openclaw.json (port and token) and lets its view stand for the files', async () => {
    const result = await check(a.home, {});
    const json = JSON.parse(result.stdout);
    // The state DB's row and the gateway's are one credential: the gateway's row stands for it.
    expect(json.profiles.map((p: any) => [p.id, p.source, p.status])).toEqual([['anthropic:manual', 'gateway', 'expiring']]);
    expect(json.sources[0]).toMatchObject({ name: 'gateway', ok: true, found: true });
    expect(json.sources[0].path).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${a.port} \\(OpenClaw 2026\\.`));
    expect(result.code).toBe(2);
    // --no-gateway: the files as before.
    const files = JSON.parse((await check(a.home, {}, '--no-gateway')).stdout);
    expect(files.profiles.map((p: any) => [p.id, p.source])).toEqual([['anthropic:manual', 'openclaw-db']]);
  }, 120_000);

  it('an auto-discovered local gateway that is not running is a note; the files are read as before', async () => {
    const home = makeHome({ '.openclaw/openclaw.json': { json: { gateway: { port: await freePort() } } }, '.claude/.credentials.json': { json: { claudeAiOauth: { accessToken: 'sk-ant-oat01-localfile', refreshToken: 'sk-ant-ort01-x', expiresAt: Date.now() + 30 * 86_400_000 } } } });
    const result = await check(home, {});
    const json = JSON.parse(result.stdout);
    expect(json.profiles.some((p: any) => p.source === 'gateway')).toBe(false);
    expect(json.sources.find((s: any) => s.name === 'gateway')).toMatchObject({ found: false, ok: true, error: null });
    expect(json.profiles.map((p: any) => p.source)).toContain('claude-code');
  }, 60_000);

  it('the token appears in no output, log, metric or state file', async () => {
    const home = makeHome();
    const textfile = join(home, 'authwatch.prom');
    const env = { OPENCLAW_GATEWAY_URL: a.url, OPENCLAW_GATEWAY_TOKEN: a.token, LOG_LEVEL: 'trace' };
    const runs = [await runCli(['check', '--textfile', textfile], { home, env, timeoutMs: 60_000 }), await check(home, env), await check(home, { ...env, OPENCLAW_GATEWAY_TOKEN: `${a.token}x` })];
    const state = filesUnder(join(home, '.local', 'state'));
    expect(state.some((file) => file.includes('gateway-device-'))).toBe(true);
    for (const file of state) expect(statSync(file).mode & 0o077).toBe(0);
    const everything = [...runs.flatMap((r) => [r.stdout, r.stderr]), readFileSync(textfile, 'utf8'), ...state.map((file) => readFileSync(file, 'utf8'))].join('\n');
    expect(everything).toContain('anthropic:manual');
    // A single gateway found through OPENCLAW_GATEWAY_URL: its series carry no `gateway` label, as before fleets.
    expect(readFileSync(textfile, 'utf8')).toContain('authwatch_credential_status{profile="anthropic:manual",provider="anthropic",source="gateway",agent="main",status="expiring"} 1');
    expect(readFileSync(textfile, 'utf8')).not.toContain('gateway=');
    expect(everything).not.toContain(a.token);
    expect(everything).not.toContain(a.token.slice(8, 30));
  }, 180_000);

  it('a wrong token is a source error naming the URL (never the token), at once', async () => {
    const home = makeHome({ '.claude/.credentials.json': { json: { claudeAiOauth: { accessToken: 'sk-ant-oat01-localfile', refreshToken: 'sk-ant-ort01-x', expiresAt: Date.now() + 30 * 86_400_000 } } } });
    const wrong = `wrong-${a.token.slice(6)}`;
    const result = await check(home, { OPENCLAW_GATEWAY_URL: a.url, OPENCLAW_GATEWAY_TOKEN: wrong });
    const json = JSON.parse(result.stdout);
    const row = json.profiles.find((p: any) => p.source === 'gateway');
    expect(row).toMatchObject({ status: 'error', path: a.url });
    expect(row.detail).toMatch(new RegExp(`^the gateway ws://127\\.0\\.0\\.1:${a.port} refused authwatch's credentials \\(AUTH_TOKEN_MISMATCH\\)`));
    // Every other source is still reported.
    expect(json.profiles.map((p: any) => p.source)).toContain('claude-code');
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).not.toContain(wrong);
  }, 60_000);

  it('a closed port, a server that never answers and a WebSocket that upgrades and stays silent: each bounded and clear', async () => {
    const closed = await freePort();
    const silentTcp = createTcpServer(() => {});
    const silentWs = createHttpServer();
    silentWs.on('upgrade', (request, socket) => {
      const accept = createHash('sha1').update(`${request.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    });
    servers.push(silentTcp, silentWs);
    const listen = (server: Server | TcpServer) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    const [tcpPort, wsPort] = [await listen(silentTcp), await listen(silentWs)];
    const home = makeHome({ 'authwatch.json5': { text: '{ openclaw: { gatewayTimeout: "2s" } }' } });
    const cases = [
      [closed, new RegExp(`^cannot reach the gateway ws://127\\.0\\.0\\.1:${closed}: connect ECONNREFUSED`)],
      [tcpPort, new RegExp(`^no answer from the gateway ws://127\\.0\\.0\\.1:${tcpPort} within 2 s$`)],
      [wsPort, new RegExp(`^no answer from the gateway ws://127\\.0\\.0\\.1:${wsPort} within 2 s$`)],
    ] as const;
    for (const [port, message] of cases) {
      const started = Date.now();
      const result = await check(home, { OPENCLAW_GATEWAY_URL: `ws://127.0.0.1:${port}`, OPENCLAW_GATEWAY_TOKEN: 'some-gateway-token' }, '--config', join(home, 'authwatch.json5'));
      const json = JSON.parse(result.stdout);
      expect(json.profiles.find((p: any) => p.source === 'gateway').detail).toMatch(message);
      expect(result.code).toBe(1);
      // The deadline holds: 2 s for the gateway, plus the process's own start.
      expect(Date.now() - started).toBeLessThan(15_000);
    }
  }, 120_000);

  // The gateway-client refuses plaintext ws:// to a public address, so authwatch talks to a
  // loopback port that forwards to this host's outside address: the gateway sees a connection
  // from outside loopback, as from another host, and asks for pairing.
  it.skipIf(!outsideAddress)('a gateway on another host: pairing pending (check, gateway pair, status say the request and the command), approved with the real CLI, then read', async () => {
    const forward = createTcpServer((client) => {
      const upstream = connect({ host: outsideAddress!, port: b.port });
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    servers.push(forward);
    const port = await new Promise<number>((resolve) => forward.listen(0, '127.0.0.1', () => resolve((forward.address() as { port: number }).port)));
    const home = makeHome();
    const env = { OPENCLAW_GATEWAY_URL: `ws://127.0.0.1:${port}`, OPENCLAW_GATEWAY_TOKEN: b.token };
    const first = await check(home, env);
    const row = JSON.parse(first.stdout).profiles.find((p: any) => p.source === 'gateway');
    const request = /openclaw devices approve ([A-Za-z0-9_-]+)`$/.exec(row.detail)?.[1];
    expect(row.detail).toMatch(/^the gateway ws:\/\/127\.0\.0\.1:\d+ has not paired authwatch's device yet: on the gateway host run `openclaw devices approve [A-Za-z0-9_-]+`$/);
    expect(first.code).toBe(1);
    const pair = await runCli(['gateway', 'pair'], { home, env, timeoutMs: 60_000 });
    expect(pair.stdout).toContain(`pairing pending (request ${request})\n  on the gateway host run:  openclaw devices approve ${request}\n`);
    expect(pair.code).toBe(1);
    const status = await runCli(['status', '--json'], { home, env, timeoutMs: 60_000 });
    expect(JSON.parse(status.stdout).problems).toContain(`pairing pending: the gateway ws://127.0.0.1:${port} has not approved authwatch's device yet; on the gateway host run \`openclaw devices approve ${request}\``);
    // On the gateway host, with its own CLI.
    const approve = await runProcess(openclaw!, ['devices', 'approve', request!], { env: b.env, timeoutMs: 400_000 });
    expect(approve.code, approve.stderr).toBe(0);
    const paired = await runCli(['gateway', 'pair'], { home, env, timeoutMs: 60_000 });
    expect(paired.stdout).toBe(`ws://127.0.0.1:${port}: paired; authwatch reads it (1 credential)\n`);
    const after = await check(home, env);
    expect(JSON.parse(after.stdout).profiles.map((p: any) => [p.id, p.source, p.status])).toEqual([['anthropic:manual', 'gateway', 'expired']]);
    expect(JSON.parse((await runCli(['status', '--json'], { home, env, timeoutMs: 60_000 })).stdout).problems.join('\n')).not.toContain('pairing pending');
    // The device token the gateway issued is kept (0600) and, like the gateway's token, shown nowhere.
    const device = filesUnder(join(home, '.local', 'state')).find((file) => file.includes('gateway-device-'))!;
    const issued = (Object.values(JSON.parse(readFileSync(device, 'utf8')).tokens) as { token: string }[])[0]!.token;
    expect(issued.length).toBeGreaterThan(10);
    expect([first, pair, paired, after].map((r) => r.stdout + r.stderr).join('\n')).not.toContain(issued);
  }, 600_000);

  it("the daemon watches both gateways: their own gateway label on every series, a run the provider refuses is a notice at once, the connection comes back after a drop, and stop closes it", async () => {
    const sink = await startSink();
    // A's events come through a loopback forwarder that the test cuts and restores (the gateway still sees a local client).
    const forwarded = new Set<import('node:net').Socket>();
    const forward = () =>
      createTcpServer((client) => {
        const upstream = connect({ host: '127.0.0.1', port: a.port });
        forwarded.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
    let forwarder = forward();
    servers.push(forwarder);
    const port = await new Promise<number>((resolve) => forwarder.listen(0, '127.0.0.1', () => resolve((forwarder.address() as { port: number }).port)));
    const home = makeHome();
    writeFileSync(join(home, 'token-a'), a.token, { mode: 0o600 });
    writeFileSync(join(home, 'token-b'), b.token, { mode: 0o600 });
    const config = join(home, '.config/authwatch/config.json5');
    mkdirSync(join(home, '.config/authwatch'), { recursive: true });
    writeFileSync(
      config,
      JSON.stringify({
        schedule: '0 0 1 1 *',
        // Scrapes never start a check: the checks this test counts are the start and reload ones.
        daemon: { scrapeTtl: '1h' },
        openclaw: { gatewayTimeout: '8s' },
        gateways: [
          { name: 'alpha', url: `ws://127.0.0.1:${port}`, token: { file: join(home, 'token-a') } },
          { name: 'beta', url: b.url, token: { file: join(home, 'token-b') } },
        ],
        channels: [{ name: 'hook', type: 'webhook', url: `${sink.url}/hook` }],
      }),
    );
    const daemon = startProcess(process.execPath, [cliPath, 'daemon', '--listen', '127.0.0.1:0', '--log-level', 'info'], { PATH: process.env.PATH, HOME: home, TZ: 'UTC' });
    const lines = () => daemon.output.stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
    const said = (msg: string, gateway?: string) => lines().filter((l) => l.msg === msg && (gateway === undefined || l.gateway === gateway)).length;
    const base = `http://127.0.0.1:${await listeningPort(daemon)}`;
    await waitFor('both gateways watched', () => (said("watching the gateway's live events", 'alpha') === 1 && said("watching the gateway's live events", 'beta') === 1 ? true : undefined), 60_000);
    await waitFor('the first check', () => (said('check finished') === 1 ? true : undefined), 60_000);

    // Each gateway's series carry its name; Prometheus can tell them apart, and promtool accepts the page.
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('authwatch_credential_status{profile="anthropic:manual",provider="anthropic",source="gateway",agent="alpha/main",gateway="alpha",status="expiring"} 1');
    expect(metrics).toContain('authwatch_credential_status{profile="anthropic:manual",provider="anthropic",source="gateway",agent="beta/main",gateway="beta",status="expired"} 1');
    expect(metrics).toContain('authwatch_provider_status{agent="alpha/main",provider="anthropic",gateway="alpha",status="serving"} 1');
    expect(metrics).toContain('authwatch_source_up{source="gateway",gateway="alpha"} 1');
    expect(metrics).toContain('authwatch_source_up{source="gateway",gateway="beta"} 1');
    // Both event connections are open; no event yet.
    expect(metrics).toContain('authwatch_gateway_events_connected{gateway="alpha"} 1');
    expect(metrics).toContain('authwatch_gateway_events_connected{gateway="beta"} 1');
    expect(metrics).toContain('# TYPE authwatch_gateway_events_total counter');
    expect(metrics).not.toMatch(/^authwatch_gateway_events_total\{/m);
    const promtool = findTool('promtool');
    const promtoolAccepts = async (page: string) => {
      if (!promtool) return;
      const checked = await runProcess(promtool, ['check', 'metrics'], { env: { PATH: process.env.PATH ?? '' }, stdin: page, timeoutMs: 60_000 });
      expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    };
    await promtoolAccepts(metrics);
    // The start check's notices name their gateway.
    await waitFor('the start notices', () => (sink.requests.length >= 1 ? true : undefined), 60_000);
    const alertsOf = (index: number) => (JSON.parse(sink.requests[index]!.body) as { alerts: { labels: Record<string, string>; annotations: Record<string, string> }[] }).alerts;
    expect(alertsOf(0).map((x) => [x.labels.profile, x.labels.gateway, x.labels.status])).toContainEqual(['anthropic:manual', 'beta', 'expired']);

    // The connection to A drops: the daemon says so and comes back by itself once A is reachable again.
    forwarder.close();
    for (const socket of forwarded) socket.destroy();
    await waitFor('the drop noticed', () => (said("lost the gateway's live events; trying again with backoff", 'alpha') >= 1 ? true : undefined), 60_000);
    const scrape = async () => (await fetch(`${base}/metrics`)).text();
    expect(await scrape()).toContain('authwatch_gateway_events_connected{gateway="alpha"} 0');
    forwarder = forward();
    servers.push(forwarder);
    await new Promise<void>((resolve) => forwarder.listen(port, '127.0.0.1', () => resolve()));
    await waitFor('watching A again', () => (said("watching the gateway's live events", 'alpha') === 2 ? true : undefined), 90_000);
    expect(await scrape()).toContain('authwatch_gateway_events_connected{gateway="alpha"} 1');

    // A run on A: the provider (the fake) refuses the credential, the gateway's `chat` error event carries errorDetail.
    const before = sink.requests.length;
    const run = await runProcess(openclaw!, ['agent', '--agent', 'main', '--message', 'hello from the authwatch test', '--json', '--timeout', '300'], { env: a.env, timeoutMs: 400_000 });
    expect(run.code).not.toBe(0);
    expect(anthropic.requests.some((r) => r.startsWith('POST /v1/messages'))).toBe(true);
    await waitFor('the event notice', () => (sink.requests.length > before ? true : undefined), 60_000);
    const notice = alertsOf(before);
    expect(notice.map((x) => x.labels)).toEqual([
      expect.objectContaining({ profile: 'event:anthropic:auth', provider: 'anthropic', source: 'gateway', agent: 'alpha/main', gateway: 'alpha', status: 'expired', severity: 'critical' }),
    ]);
    expect(notice[0]!.annotations.description).toMatch(/^the gateway alpha reported: a run on anthropic\/claude-opus-4-6 failed \(authentication refused, HTTP 401\) at /);
    // At once: no scheduled check ran in between (the schedule is yearly); only the start check did.
    expect(said('check finished')).toBe(1);
    const eventAt = lines().find((l) => l.msg === 'the gateway reported a credential failure')!.time as number;
    const sentAt = lines().filter((l) => l.msg === 'alert sent' && (l.time as number) >= eventAt)[0]!.time as number;
    console.log(`event to notice: ${sentAt - eventAt} ms`);
    // /metrics counts it, per gateway, provider, reason and kind; promtool accepts the page.
    const counted = await scrape();
    expect(counted).toContain('authwatch_gateway_events_total{gateway="alpha",provider="anthropic",reason="auth",kind="failed"} 1');
    expect(counted).not.toMatch(/^authwatch_gateway_events_total\{gateway="beta"/m);
    await promtoolAccepts(counted);

    // Remembered, told once: the reload's check delivers again and says nothing new about it.
    daemon.child.kill('SIGHUP');
    await waitFor('the reload check', () => (said('check finished') === 2 ? true : undefined), 60_000);
    // The reload reopens the connections for the new config, the old ones closed quietly.
    await waitFor('both watched again', () => (said("watching the gateway's live events", 'alpha') === 3 && said("watching the gateway's live events", 'beta') === 2 ? true : undefined), 60_000);
    expect(said("lost the gateway's live events; trying again with backoff", 'beta')).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(sink.requests.length).toBe(before + 1);

    // Stop: the connections close with the daemon, without a "lost" line.
    const lost = said("lost the gateway's live events; trying again with backoff");
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(0);
    expect(said("lost the gateway's live events; trying again with backoff")).toBe(lost);

    // Scrubbed: neither gateway token, nor the prompt, nor the provider's words leave the daemon.
    const everything = [daemon.output.stderr, ...sink.requests.map((r) => r.body), metrics, counted].join('\n');
    for (const secret of [a.token, b.token, 'hello from the authwatch test', 'invalid x-api-key', 'req_011CfakeRefused']) expect(everything).not.toContain(secret);
  }, 900_000);

  it('two gateways at once, each with its own label; one frozen, then stopped, mid-run: bounded, and the other still reported', async () => {
    const home = makeHome();
    const config = join(home, 'authwatch.json5');
    writeFileSync(
      config,
      JSON.stringify({ openclaw: { gatewayTimeout: '4s' }, gateways: [{ name: 'alpha', url: a.url, token: { env: 'TOKEN_A' } }, { name: 'beta', url: b.url, token: { env: 'TOKEN_B' } }] }),
    );
    const env = { TOKEN_A: a.token, TOKEN_B: b.token };
    const both = await check(home, env, '--config', config);
    const rows = (r: typeof both) => JSON.parse(r.stdout).profiles.map((p: any) => [p.agent, p.id, p.source, p.status]);
    expect(rows(both)).toEqual([
      ['alpha/main', 'anthropic:manual', 'gateway', 'expiring'],
      ['beta/main', 'anthropic:manual', 'gateway', 'expired'],
    ]);
    expect(both.code).toBe(1);
    b.freeze();
    try {
      const started = Date.now();
      const frozen = await check(home, env, '--config', config);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(rows(frozen)).toEqual([
        ['alpha/main', 'anthropic:manual', 'gateway', 'expiring'],
        [null, 'gateway:beta', 'gateway', 'error'],
      ]);
      expect(JSON.parse(frozen.stdout).profiles[1].detail).toBe(`no answer from the gateway ${b.url} within 4 s`);
    } finally {
      b.thaw();
    }
    await b.stop();
    const stopped = await check(home, env, '--config', config);
    expect(rows(stopped)[1]).toEqual([null, 'gateway:beta', 'gateway', 'error']);
    expect(JSON.parse(stopped.stdout).profiles[1].detail).toMatch(new RegExp(`^cannot reach the gateway ${b.url}`));
    expect(stopped.code).toBe(1);
  }, 240_000);
});
