import { createServer, type Server } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HOUR, NOW, NOW_ISO } from '../helpers/clock.js';
import { agentStore, makeHome } from '../helpers/home.js';
import { startDaemon } from '../helpers/daemon.js';
import { freePort, waitFor } from '../helpers/processes.js';

// Heartbeat pings against local servers that answer exactly as the real services document
// (neither installs here: Healthchecks is a Django app, Uptime Kuma needs its own install):
//
// Healthchecks, https://healthchecks.io/docs/http_api/ and /docs/signaling_failures/, and its
// ping views (hc/api/views.py): `<ping url>` success, `/start`, `/fail`, `/<exit status>`;
// "Successful responses will have the 200 OK HTTP response status code and a short OK string in
// the response body"; an unknown check is 404 "not found"; an exit status above 255 is 400
// "invalid url format"; `rid` must be a UUID (else 400 "invalid uuid format").
//
// Uptime Kuma, the push monitor's URL `<server>/api/push/<pushToken>?status=up&msg=OK&ping=` and
// server/routers/api-router.js (`router.all("/api/push/:pushToken")`): `status` "up" or down,
// `msg` default "OK", `ping` a number of ms in 0..86400000 (else 400 {ok:false,msg}); an unknown
// or paused monitor is 500 {"ok":false,"msg":"Monitor not found or not active."}; else {"ok":true}.

const UUID = '5d7c3a52-9a6e-4b0b-8e5f-3c1f2a9b7d11';
const KUMA_TOKEN = 'kT7pQ2xZ9a'; // Kuma 1.x made 10-character push tokens: shorter than any path-token rule
const KUMA_PROVIDER_TOKEN = 'aN3bV8cX1m';
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Ping {
  method: string;
  path: string;
  query: URLSearchParams;
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())))));
});

async function listen(handler: (ping: Ping) => { status: number; body: string; type: string } | 'hang'): Promise<{ url: string; pings: Ping[] }> {
  const pings: Ping[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://x');
      const ping = { method: request.method ?? '', path: url.pathname, query: url.searchParams, body };
      pings.push(ping);
      const answer = handler(ping);
      if (answer === 'hang') return;
      response.writeHead(answer.status, { 'content-type': answer.type });
      response.end(answer.body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, pings };
}

/** Healthchecks' ping endpoints, `/ping/<uuid>[/start|/fail|/<0-255>]`, for the checks it knows. */
function healthchecks(known: string[]) {
  return listen((ping) => {
    const text = (status: number, body: string) => ({ status, body, type: 'text/plain; charset=utf-8' });
    const match = /^\/ping\/([0-9a-f-]{36})(?:\/(start|fail|log|\d+))?\/?$/.exec(ping.path);
    if (!match) return text(404, 'not found');
    if (!known.includes(match[1]!)) return text(404, 'not found');
    if (match[2] !== undefined && /^\d+$/.test(match[2]) && Number(match[2]) > 255) return text(400, 'invalid url format');
    const rid = ping.query.get('rid');
    if (rid !== null && !uuidPattern.test(rid)) return text(400, 'invalid uuid format');
    return text(200, 'OK');
  });
}

/** Uptime Kuma's push endpoint for the active monitors it knows. */
function uptimeKuma(known: string[]) {
  return listen((ping) => {
    const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body), type: 'application/json; charset=utf-8' });
    const match = /^\/api\/push\/([^/]+)$/.exec(ping.path);
    if (!match) return json(404, { ok: false, msg: 'Not Found' });
    const value = ping.query.get('ping');
    if (value !== null && value !== '') {
      const ms = Number(value);
      if (Number.isNaN(ms)) return json(400, { ok: false, msg: `Invalid ping value: '${value}' is not a valid number` });
      if (ms < 0 || ms > 86_400_000) return json(400, { ok: false, msg: `Invalid ping value: ${ms}ms` });
    }
    if (!known.includes(match[1]!)) return json(500, { ok: false, msg: 'Monitor not found or not active.' });
    return json(200, { ok: true });
  });
}

/** An expired Anthropic token that OpenClaw routes to, and a Codex login still good for 3 hours. */
function homeWith(config: string, expired = true) {
  return makeHome({
    '.openclaw/openclaw.json': '{ agents: { defaults: { model: { primary: "anthropic/claude-opus-4-6", fallbacks: ["openai-codex/gpt-5"] } } } }',
    [agentStore('main')]: {
      json: {
        version: 1,
        profiles: {
          'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-PLANTEDTOKENVALUE', expires: expired ? NOW - HOUR : NOW + 30 * 24 * HOUR },
          'openai-codex:me@example.com': { type: 'oauth', provider: 'openai-codex', access: 'PLANTEDACCESS', refresh: 'PLANTEDREFRESH', expires: NOW + 30 * 24 * HOUR },
        },
      },
    },
    '.config/authwatch/config.json5': config,
  });
}

const send = ['check', '--send', '--now', NOW_ISO];

describe('heartbeat pings (child processes, protocol-exact local servers)', () => {
  it('Healthchecks hears /start then /<exit code> with the same rid and a summary body; Kuma hears down with the worst provider, per provider too', async () => {
    const hc = await healthchecks([UUID]);
    const kuma = await uptimeKuma([KUMA_TOKEN, KUMA_PROVIDER_TOKEN]);
    let home = '';
    home = homeWith('{}');
    writeFileSync(join(home, 'hc-url'), `${hc.url}/ping/${UUID}\n`);
    writeFileSync(
      join(home, '.config/authwatch/config.json5'),
      `{ heartbeats: [
        { name: "hc", type: "healthchecks", urlFile: "${join(home, 'hc-url')}" },
        { name: "kuma", type: "uptime-kuma", urlEnv: "KUMA_URL" },
        { name: "kuma-codex", type: "uptime-kuma", urlEnv: "KUMA_CODEX_URL", provider: "openai-codex" },
      ] }`,
    );
    const env = { KUMA_URL: `${kuma.url}/api/push/${KUMA_TOKEN}?status=up&msg=OK&ping=`, KUMA_CODEX_URL: `${kuma.url}/api/push/${KUMA_PROVIDER_TOKEN}?status=up&msg=OK&ping=` };
    const run = await runCli(send, { home, env });
    expect(run.code, run.stderr).toBe(1); // expired: the pings change nothing
    expect(run.stderr).not.toMatch(/heartbeat/);

    expect(hc.pings.map((p) => `${p.method} ${p.path}`)).toEqual([`POST /ping/${UUID}/start`, `POST /ping/${UUID}/1`]);
    const [start, end] = hc.pings;
    expect(start!.query.get('rid')).toMatch(uuidPattern);
    expect(end!.query.get('rid')).toBe(start!.query.get('rid'));
    expect(end!.body.split('\n')[0]).toMatch(/^expired: anthropic /);
    expect(end!.body).toMatch(/^exit 1, took \d+ ms$/m);

    const whole = kuma.pings.find((p) => p.path.endsWith(KUMA_TOKEN))!;
    expect(whole.query.get('status')).toBe('down');
    expect(whole.query.get('msg')).toMatch(/^expired: anthropic /);
    expect(whole.query.get('msg')).not.toContain('\n');
    expect(Number(whole.query.get('ping'))).toBeGreaterThan(0);
    const codex = kuma.pings.find((p) => p.path.endsWith(KUMA_PROVIDER_TOKEN))!;
    expect(codex.query.get('status')).toBe('up');
    expect(codex.query.get('msg')).toMatch(/^openai-codex serving openai-codex:me@example\.com/);

    const record = JSON.parse(readFileSync(join(home, '.local/state/authwatch/last-run.json'), 'utf8'));
    expect(record.heartbeats).toEqual({ hc: { result: 'sent', error: null }, kuma: { result: 'sent', error: null }, 'kuma-codex': { result: 'sent', error: null } });
  });

  it('a good run is a plain success ping and an up push; expiring stays up unless expiringFails', async () => {
    const hc = await healthchecks([UUID]);
    const kuma = await uptimeKuma([KUMA_TOKEN]);
    const home = homeWith(
      `{ heartbeats: [ { name: "hc", type: "healthchecks", urlEnv: "HC_URL" }, { name: "kuma", type: "uptime-kuma", urlEnv: "KUMA_URL" } ] }`,
      false,
    );
    const env = { HC_URL: `${hc.url}/ping/${UUID}`, KUMA_URL: `${kuma.url}/api/push/${KUMA_TOKEN}` };
    expect((await runCli(send, { home, env })).code).toBe(0);
    expect(hc.pings.map((p) => p.path)).toEqual([`/ping/${UUID}/start`, `/ping/${UUID}`]);
    expect(hc.pings[1]!.body).toMatch(/^ok: anthropic, openai-codex served\n/);
    expect(kuma.pings.map((p) => `${p.query.get('status')} ${p.query.get('msg')}`)).toEqual(['up ok: anthropic, openai-codex served']);

    // 29 days on both expire within the 24h warning window: exit 2, still up by default.
    const later = new Date(NOW + (30 * 24 - 20) * HOUR).toISOString();
    expect((await runCli(['check', '--send', '--now', later], { home, env })).code).toBe(2);
    expect(hc.pings.at(-1)!.path).toBe(`/ping/${UUID}`);
    expect(kuma.pings.at(-1)!.query.get('status')).toBe('up');
    writeFileSync(
      join(home, '.config/authwatch/config.json5'),
      `{ heartbeats: [ { name: "hc", type: "healthchecks", urlEnv: "HC_URL", expiringFails: true }, { name: "kuma", type: "uptime-kuma", urlEnv: "KUMA_URL", expiringFails: true } ] }`,
    );
    expect((await runCli(['check', '--send', '--now', later], { home, env })).code).toBe(2);
    expect(hc.pings.at(-1)!.path).toBe(`/ping/${UUID}/2`);
    expect(kuma.pings.at(-1)!.query.get('status')).toBe('down');
    expect(kuma.pings.at(-1)!.query.get('msg')).toMatch(/^expiring: /);

    // A what-if (--now without --send) pings nothing: the service would take it for a real run.
    const before = hc.pings.length + kuma.pings.length;
    expect((await runCli(['check', '--now', NOW_ISO], { home, env })).code).toBe(0);
    expect(hc.pings.length + kuma.pings.length).toBe(before);
  });

  it('a ping that fails never fails the check: said on stderr (scrubbed), in last-run.json and in `authwatch status`', async () => {
    const hc = await healthchecks([]); // the check was deleted: 404 "not found"
    const kuma = await uptimeKuma([]); // the monitor is paused: 500 "Monitor not found or not active."
    const hang = await listen(() => 'hang');
    // A proxy in front of Kuma that refuses and quotes the request line back: its token is short, yet a secret.
    const echo = await listen((ping) => ({ status: 502, body: `bad gateway for ${ping.method} ${ping.path}?${ping.query}`, type: 'text/plain' }));
    const closed = await freePort();
    const home = homeWith(
      `{ heartbeats: [
        { name: "hc", type: "healthchecks", urlEnv: "HC_URL" },
        { name: "kuma", type: "uptime-kuma", urlEnv: "KUMA_URL" },
        { name: "slow", type: "healthchecks", urlEnv: "SLOW_URL", timeout: "1s" },
        { name: "down", type: "healthchecks", urlEnv: "DOWN_URL", timeout: "2s" },
        { name: "proxied", type: "uptime-kuma", urlEnv: "PROXIED_URL" },
      ] }`,
    );
    const env = { HC_URL: `${hc.url}/ping/${UUID}`, KUMA_URL: `${kuma.url}/api/push/${KUMA_TOKEN}?status=up&msg=OK&ping=`, SLOW_URL: `${hang.url}/ping/${UUID}`, DOWN_URL: `http://127.0.0.1:${closed}/ping/${UUID}`, PROXIED_URL: `${echo.url}/kuma/api/push/${KUMA_PROVIDER_TOKEN}` };
    const run = await runCli(send, { home, env });
    expect(run.code).toBe(1); // the credentials' verdict, as without heartbeats
    expect(run.stdout).toMatch(/anthropic:default/);
    expect(run.stderr).toMatch(/authwatch: heartbeat hc failed: POST http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 404: not found/);
    expect(run.stderr).toMatch(/authwatch: heartbeat kuma failed: POST http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 500: .*Monitor not found or not active/);
    expect(run.stderr).toMatch(/authwatch: heartbeat slow failed: .*no answer within 1s/);
    expect(run.stderr).toMatch(/authwatch: heartbeat down failed: .*(refused|ECONNREFUSED)/);
    expect(run.stderr).toMatch(/authwatch: heartbeat proxied failed: .* answered HTTP 502: bad gateway for POST \/kuma\/api\/push\/…/);
    const record = readFileSync(join(home, '.local/state/authwatch/last-run.json'), 'utf8');
    const status = await runCli(['status'], { home, env });
    expect(status.stdout).toMatch(/^heartbeats hc: last run failed, /m);
    expect(status.stdout).toMatch(/- heartbeat kuma failed on the last run: /);
    for (const text of [run.stdout, run.stderr, record, status.stdout, status.stderr]) {
      expect(text).not.toContain(UUID);
      expect(text).not.toContain(KUMA_TOKEN);
      expect(text).not.toContain(KUMA_PROVIDER_TOKEN);
      expect(text).not.toContain('PLANTED');
    }
  });

  it('the ping URL is a secret: never inline in the config, and one from a file or variable must be there', async () => {
    const inline = homeWith(`{ heartbeats: [ { name: "hc", type: "healthchecks", url: "https://hc-ping.com/${UUID}" } ] }`);
    const refused = await runCli(send, { home: inline });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/heartbeats\[0\]\.url: never put the url in the config file: use urlFile or urlEnv/);
    expect(refused.stderr).not.toContain(UUID);
    const none = await runCli(send, { home: homeWith(`{ heartbeats: [ { name: "hc", type: "healthchecks" } ] }`) });
    expect(none.stderr).toMatch(/heartbeats\[0\]\.urlFile: give exactly one of urlFile or urlEnv/);
    // A variable that is not set: the run goes on, the ping is reported failed.
    const unset = await runCli(send, { home: homeWith(`{ heartbeats: [ { name: "hc", type: "healthchecks", urlEnv: "HC_URL" } ] }`) });
    expect(unset.code).toBe(1);
    expect(unset.stderr).toMatch(/heartbeat hc failed: heartbeats\.hc\.urlEnv: the environment variable HC_URL is not set/);
  });

  it('the daemon pings on its start, schedule and reload checks, never on the checks scrapes start', async () => {
    const hc = await healthchecks([UUID]);
    const home = homeWith('{}');
    writeFileSync(join(home, 'hc-url'), `${hc.url}/ping/${UUID}`);
    const daemon = await startDaemon(home, `{ schedule: "0 0 1 1 *", daemon: { scrapeTtl: "1ms" }, heartbeats: [ { name: "hc", type: "healthchecks", urlFile: "${join(home, 'hc-url')}" } ] }`);
    await waitFor('the start check\'s pings', () => (hc.pings.length >= 2 ? true : undefined));
    expect(hc.pings.map((p) => p.path)).toEqual([`/ping/${UUID}/start`, `/ping/${UUID}/1`]);
    // Scrapes: each starts a check (scrapeTtl 1 ms), none pings.
    const seen = new Set<string>();
    await waitFor('three scrape checks', async () => {
      seen.add((JSON.parse(await (await daemon.get('/status')).text()) as { checkedAt: string }).checkedAt);
      return seen.size >= 3 ? true : undefined;
    });
    expect(hc.pings).toHaveLength(2);
    daemon.child.kill('SIGHUP');
    await waitFor('the reload check\'s pings', () => (hc.pings.length >= 4 ? true : undefined));
    expect(hc.pings.slice(2).map((p) => p.path)).toEqual([`/ping/${UUID}/start`, `/ping/${UUID}/1`]);
    expect(hc.pings[3]!.query.get('rid')).toBe(hc.pings[2]!.query.get('rid'));
  });
});
