import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './helpers/cli.js';
import { DAY, HOUR, NOW, NOW_ISO } from './helpers/clock.js';
import { startDaemon } from './helpers/daemon.js';
import { agentStore, makeHome, writeFiles } from './helpers/home.js';
import { startSink, type Captured } from './helpers/http-sink.js';
import { fakeJwt } from './helpers/jwt.js';
import { freePort } from './helpers/processes.js';
import { startSmtp } from './helpers/smtp.js';

// Every secret authwatch could ever see, each with its own marker. Whatever authwatch writes
// or sends anywhere is collected and searched; a secret may appear only where it is meant to
// go (the ntfy token in the Authorization header of the request to ntfy), nowhere else.
const PREFIX = 'LEAKMARK';
const planted = new Map<string, string>();
const plant = (name: string) => {
  const value = `${PREFIX}${name.replace(/[^a-z0-9]/gi, '')}X9f3e`;
  planted.set(value, name);
  return value;
};

interface Output {
  where: string;
  text: string;
}

/** The cache dir: compiled code, which holds no data a run read. Searched to prove it (it must exist). */
function cacheOutputs(home: string): Output[] {
  const dir = join(home, '.cache/authwatch');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => statSync(join(dir, name)).isFile());
  expect(files.length).toBeGreaterThan(0);
  return files.map((name) => ({ where: `compiled-code cache ${name}`, text: readFileSync(join(dir, name), 'latin1') }));
}

function leaksIn(outputs: Output[], allowed: (output: Output, secret: string) => boolean = () => false): string[] {
  const found: string[] = [];
  for (const output of outputs) {
    let rest = output.text;
    for (const [value, name] of planted) {
      if (!output.text.includes(value)) continue;
      if (!allowed(output, name)) found.push(`${name} in ${output.where}`);
      rest = rest.split(value).join('');
    }
    // The SQLite store fixture's secrets (written by real OpenClaw) carry their own marker.
    if (rest.includes('FIXTURESECRET')) found.push(`a secret of the SQLite store in ${output.where}`);
    // A marker cut short (a truncated file quoted in an error) is a leak too.
    if (rest.includes(PREFIX)) found.push(`a piece of a secret in ${output.where}: …${rest.slice(Math.max(0, rest.indexOf(PREFIX) - 40), rest.indexOf(PREFIX) + 40)}…`);
  }
  return found;
}

const cliOutputs = (where: string, run: CliResult): Output[] => [
  { where: `${where}: stdout`, text: run.stdout },
  { where: `${where}: stderr`, text: run.stderr },
];
const httpOutputs = (where: string, requests: Captured[]): Output[] =>
  requests.flatMap((r, i) => [
    { where: `${where} request ${i}: headers`, text: JSON.stringify(r.headers) },
    { where: `${where} request ${i}: body`, text: r.body },
  ]);

function secretHome(config: string): string {
  const home = makeHome({
    [agentStore('main')]: {
      json: {
        version: 1,
        profiles: {
          'anthropic:default': { type: 'token', provider: 'anthropic', token: plant('store-token'), expires: NOW - HOUR },
          'openai-codex:me': { type: 'oauth', provider: 'openai-codex', access: plant('store-access'), refresh: plant('store-refresh'), expires: NOW + HOUR },
          'openrouter:default': { type: 'api_key', provider: 'openrouter', key: plant('store-key') },
          'bad:type': { type: plant('type-field'), provider: 'bad', key: plant('bad-key') },
          'bad:expires': { type: 'token', provider: 'bad', token: plant('t2'), expires: plant('expires-field') },
          'bad:number': { type: 'token', provider: 'bad', token: plant('t3'), expires: `${plant('digits')}1700000000000` },
          'ref:source': { type: 'api_key', provider: 'ref', keyRef: { source: plant('ref-source'), id: 'REF_KEY' } },
        },
        // A window, so that the credential memory (credentials.json) is written and read for leaks.
        usageStats: { 'anthropic:default': { disabledUntil: NOW + HOUR, disabledReason: 'billing' } },
      },
    },
    [agentStore('truncated')]: `{"version":1,"profiles":{"x:y":{"type":"api_key","provider":"x","key":"${plant('truncated')}`,
    [agentStore('garbage')]: `{"profiles": ${plant('syntax')} }`,
    [agentStore('utf16')]: { text: `\ufeff{"profiles": {"a:b": {"type":"api_key","provider":"a","key":"${plant('bom')}"}}}`, mode: 0o644 },
    '.openclaw/.env': `ANTHROPIC_API_KEY=${plant('dotenv')}\nOPENROUTER_API_KEY=${plant('dotenv2')}\nBROKEN LINE ${plant('dotenv-junk')}\n`,
    '.openclaw/openclaw.json': `{ agents: { defaults: { model: 'anthropic/claude-opus-4-6' } }, models: { providers: { x: { apiKey: '${plant('config-key')}' } } } }`,
    '.claude/.credentials.json': { json: { claudeAiOauth: { accessToken: plant('claude-access'), refreshToken: plant('claude-refresh'), expiresAt: NOW + 2 * DAY } } },
    '.codex/auth.json': {
      json: { tokens: { access_token: fakeJwt({ exp: (NOW + HOUR) / 1000, email: plant('jwt-claim') }, plant('jwt-signature')), refresh_token: plant('codex-refresh'), id_token: plant('id-token') } },
    },
    '.gemini/.env': `GEMINI_API_KEY=${plant('gemini-dotenv')}\nOTHER_SECRET=${plant('gemini-dotenv-other')}\n`,
    '.gemini/oauth_creds.json': { json: { access_token: plant('gemini-access'), refresh_token: plant('gemini-refresh'), expiry_date: plant('gemini-expiry') } },
    'declared.json': { json: { auth: { token: plant('declared-file') } } },
    'smtp-password': plant('smtp-password'),
    'hook-secret': plant('webhook-secret'),
    'metrics-token': plant('metrics-bearer'),
    '.config/authwatch/config.json5': config,
  });
  mkdirSync(join(home, 'metrics'));
  // The SQLite store goes in the legacy state dir: next to ~/.openclaw's JSON stores it would make
  // them legacy files, no longer parsed, and their planted secrets would go untested.
  cpSync(fileURLToPath(new URL('fixtures/openclaw-sqlite/state-db', import.meta.url)), join(home, '.clawdbot/state'), { recursive: true });
  return home;
}

const declared = (home: string) => `declared: [
    { id: "vendor:file", provider: "vendor", file: "${join(home, 'declared.json')}", field: "auth.token", unit: "iso" },
    { id: "vendor:cmd", provider: "vendor", command: ["sh", "-c", "echo ${plant('declared-command')}"], unit: "iso" },
    { id: "vendor:env", provider: "vendor", env: "VENDOR_TOKEN" },
  ]`;

const processEnv = () => ({ CODEX_API_KEY: plant('codex-env'), GEMINI_API_KEY: plant('process-env'), VENDOR_TOKEN: plant('vendor-env'), NTFY_TOKEN: plant('ntfy-token') });
const ntfyTokenToNtfy = (output: Output, name: string) => name === 'ntfy-token' && /^ntfy request \d+: headers$/.test(output.where);

/**
 * A receiver that answers 500 with everything it was sent, headers and URL included; `lead`
 * says which comes first (an error quotes only the start of a body).
 */
async function startEcho(lead: 'headers' | 'url' = 'headers') {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    const headers = JSON.stringify(request.headers);
    request.on('end', () => response.writeHead(500).end(lead === 'headers' ? `${headers} ${request.url} ${body}` : `${request.url} ${body} ${headers}`));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
}

describe('secret-leak harness: every planted secret, every output', () => {
  it('check in every format, debug logs, the textfile, and every alert channel (SMTP, webhook, ntfy) — and `alert test`', async () => {
    const smtp = await startSmtp({ user: 'authwatch', password: plant('smtp-password') });
    const hook = await startSink();
    const ntfy = await startSink();
    let home = '';
    const config = () => `{
      channels: [
        { name: "mail", type: "email", smtp: { host: "127.0.0.1", port: ${smtp.port}, user: "authwatch", passwordFile: "${join(home, 'smtp-password')}" }, from: "a@example.com", to: ["b@example.com"] },
        { name: "hook", type: "webhook", url: "${hook.url}/hook", secretFile: "${join(home, 'hook-secret')}" },
        { name: "phone", type: "ntfy", url: "${ntfy.url}", topic: "gw", tokenEnv: "NTFY_TOKEN" },
      ],
      ${declared(home)},
    }`;
    home = secretHome('{}');
    writeFileSync(join(home, '.config/authwatch/config.json5'), config());
    const env = processEnv();
    const textfile = join(home, 'metrics', 'authwatch.prom');
    const runs: [string, string[]][] = [
      ['check (table, sends the alerts)', ['check', '--send', '--now', NOW_ISO]],
      ['check --json', ['check', '--send', '--json', '--now', NOW_ISO]],
      ['check --log-level debug', ['check', '--send', '--log-level', 'debug', '--now', NOW_ISO, '--textfile', textfile]],
      ['check --format openclaw-json', ['check', '--send', '--format', 'openclaw-json', '--now', NOW_ISO]],
      ['check --format openclaw-simple', ['check', '--send', '--format', 'openclaw-simple', '--now', NOW_ISO]],
      ['check --policy openclaw --json', ['check', '--send', '--policy', 'openclaw', '--json', '--now', NOW_ISO]],
      ['alert test', ['alert', 'test', '--log-level', 'debug']],
    ];
    const outputs: Output[] = [];
    for (const [where, args] of runs) {
      const run = await runCli(args, { home, env });
      expect(run.stdout.length + run.stderr.length, where).toBeGreaterThan(0);
      outputs.push(...cliOutputs(where, run));
    }
    outputs.push({ where: 'textfile', text: readFileSync(textfile, 'utf8') });
    outputs.push({ where: 'alert state', text: readFileSync(join(home, '.local/state/authwatch/state.json'), 'utf8') });
    outputs.push(...cacheOutputs(home));
    outputs.push(...smtp.received.map((m, i) => ({ where: `email ${i} (headers and body)`, text: m.raw })));
    outputs.push(...httpOutputs('webhook', hook.requests), ...httpOutputs('ntfy', ntfy.requests));

    // Everything was really exercised: alerts went out on every channel, broken files were reported.
    expect(smtp.received.length).toBeGreaterThanOrEqual(2);
    expect(hook.requests.length).toBeGreaterThanOrEqual(2);
    expect(ntfy.requests.length).toBeGreaterThanOrEqual(2);
    expect(ntfy.requests[0]!.headers.authorization).toBe(`Bearer ${plant('ntfy-token')}`);
    expect(hook.requests[0]!.headers['x-authwatch-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const json = JSON.parse(outputs.find((o) => o.where === 'check --json: stdout')!.text);
    // An unusable `expires` is that profile's own `missing` row (OpenClaw's invalid_expires), not an error row.
    expect(json.profiles.filter((p: { status: string }) => p.status === 'error' || p.status === 'missing').length).toBeGreaterThanOrEqual(7);
    expect(json.profiles.filter((p: { source: string }) => p.source === 'openclaw-db').length).toBeGreaterThanOrEqual(3);
    expect(json.profiles.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['anthropic:default', 'openai-codex:me', 'bad:type', 'ref:source']));
    expect(outputs.find((o) => o.where === 'check --log-level debug: stderr')!.text).toMatch(/"level":20/);

    expect(leaksIn(outputs, ntfyTokenToNtfy)).toEqual([]);
  });

  it('channels that fail: error messages, receivers that echo the request back, credentials in a webhook URL', async () => {
    const { server: echo, url: echoUrl } = await startEcho();
    const closedPort = await freePort();
    // An SMTP server that quotes the login it was sent back in its refusal.
    const echoSmtp = createNetServer((socket) => {
      socket.write('220 echo.example ESMTP\r\n');
      socket.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\r\n').filter(Boolean)) {
          if (/^(EHLO|HELO)/i.test(line)) socket.write('250-echo.example\r\n250 AUTH PLAIN LOGIN\r\n');
          else if (/^AUTH/i.test(line)) socket.write(`535 5.7.8 bad credentials: ${line}\r\n`);
          else if (/^QUIT/i.test(line)) socket.end('221 bye\r\n');
          else socket.write(`535 5.7.8 no: ${line}\r\n`);
        }
      });
    });
    await new Promise<void>((resolve) => echoSmtp.listen(0, '127.0.0.1', () => resolve()));
    const echoSmtpPort = (echoSmtp.address() as { port: number }).port;
    let home = '';
    const config = () => `{
      channels: [
        { name: "mail", type: "email", timeout: "2s", smtp: { host: "127.0.0.1", port: ${closedPort}, user: "authwatch", passwordFile: "${join(home, 'smtp-password')}" }, from: "a@example.com", to: ["b@example.com"] },
        { name: "mail-echo", type: "email", timeout: "2s", smtp: { host: "127.0.0.1", port: ${echoSmtpPort}, user: "authwatch", passwordFile: "${join(home, 'smtp-password')}" }, from: "a@example.com", to: ["b@example.com"] },
        { name: "hook", type: "webhook", url: "http://hookuser:${plant('url-password')}@${echoUrl.slice(7)}/hook?token=${plant('url-query')}", secretFile: "${join(home, 'hook-secret')}" },
        { name: "phone", type: "ntfy", url: "${echoUrl}", topic: "gw", tokenEnv: "NTFY_TOKEN" },
      ],
    }`;
    home = secretHome('{}');
    writeFileSync(join(home, '.config/authwatch/config.json5'), config());
    const env = processEnv();
    const outputs: Output[] = [];
    for (const [where, args] of [
      ['failing check', ['check', '--send', '--log-level', 'debug', '--now', NOW_ISO]],
      ['failing alert test', ['alert', 'test', '--log-level', 'debug']],
    ] as const) {
      const run = await runCli([...args], { home, env });
      expect(run.code, where).toBe(3);
      expect(run.stdout + run.stderr, where).toMatch(/phone.*answered HTTP 500: \{/);
      expect(run.stdout + run.stderr, where).toMatch(/hook.*POST http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 500/);
      outputs.push(...cliOutputs(where, run));
    }
    outputs.push({ where: 'alert state', text: readFileSync(join(home, '.local/state/authwatch/state.json'), 'utf8') });
    outputs.push({ where: 'credential memory', text: readFileSync(join(home, '.local/state/authwatch/credentials.json'), 'utf8') });
    echo.close();
    echoSmtp.close();
    expect(outputs.map((o) => o.text).join('\n')).toMatch(/mail-echo.*535 5\.7\.8 bad credentials: AUTH PLAIN …/);
    expect(leaksIn(outputs)).toEqual([]);
  });

  it('routes (on fallback, unavailable), route metrics, `status`, last-run.json, the alerts block and per-channel stderr', async () => {
    const { server: echo, url: echoUrl } = await startEcho('url');
    const reached: string[] = [];
    echo.on('request', (request: { url?: string }) => reached.push(request.url ?? ''));
    const home = makeHome({
      '.openclaw/openclaw.json': `{
        agents: { defaults: { model: { primary: "anthropic/claude-opus-4-6", fallbacks: ["openai/gpt-5"] } } },
        models: { providers: { openai: { apiKey: "${plant('route-inline-key')}" } } },
      }`,
      // main's anthropic serves from its second profile (the first disabled for billing), openai
      // has nothing usable (a key in cooldown, its inline key too, and a keyRef whose id is a
      // pasted key); the windows' reasons and ids are no secret, the credentials beside them are.
      [agentStore('main')]: {
        json: {
          version: 1,
          profiles: {
            'anthropic:work': { type: 'api_key', provider: 'anthropic', key: plant('route-billing-key') },
            'anthropic:default': { type: 'token', provider: 'anthropic', token: plant('route-serving-token'), expires: NOW + 3 * DAY },
            'openai:key': { type: 'api_key', provider: 'openai', key: plant('route-cooldown-key') },
            'openai:pasted': { type: 'api_key', provider: 'openai', keyRef: { source: 'env', provider: 'default', id: plant('sk-pasted-into-keyref') } },
          },
          order: { anthropic: ['anthropic:work', 'anthropic:default'], openai: ['openai:key', 'openai:pasted'] },
          usageStats: {
            'anthropic:work': { disabledUntil: NOW + HOUR, disabledReason: 'billing', errorCount: 3, lastUsed: NOW - HOUR },
            'openai:key': { cooldownUntil: NOW + 2 * HOUR, cooldownReason: 'overloaded', lastUsed: NOW - 2 * HOUR },
            'inline-api-key:openai': { cooldownUntil: NOW + 3 * HOUR, cooldownReason: 'rate_limit' },
          },
        },
      },
      // work's own openai key is disabled with no end: nothing recovers by itself.
      [agentStore('work')]: {
        json: { version: 1, profiles: { 'openai:work': { type: 'api_key', provider: 'openai', key: plant('route-disabled-key') } }, usageStats: { 'openai:work': { disabledUntil: NOW + 30 * DAY, disabledReason: 'auth_permanent' } } },
      },
      'telegram-token': `123456:${plant('telegram-token')}`,
      'slack-url': `${echoUrl}/services/T0/B0/${plant('slack-url-path')}`,
      'hc-url': `${echoUrl}/ping/${plant('hc-ping-key')}/gateway?create=1`,
    });
    writeFiles(home, {
      '.config/authwatch/config.json5': `{
        channels: [
          { name: "hook", type: "webhook", url: "http://hookuser:${plant('route-url-password')}@${echoUrl.slice(7)}/hook?token=${plant('route-url-query')}" },
          { name: "phone", type: "ntfy", url: "${echoUrl}", topic: "gw", tokenEnv: "NTFY_TOKEN" },
          { name: "tg", type: "telegram", apiUrl: "${echoUrl}", chatId: "-1001234567890", tokenFile: "${join(home, 'telegram-token')}" },
          { name: "dc", type: "discord", urlEnv: "DISCORD_URL" },
          { name: "sl", type: "slack", urlFile: "${join(home, 'slack-url')}" },
        ],
        heartbeats: [
          { name: "hc", type: "healthchecks", urlFile: "${join(home, 'hc-url')}" },
          { name: "kuma", type: "uptime-kuma", urlEnv: "KUMA_URL" },
          { name: "kuma-openai", type: "uptime-kuma", urlEnv: "KUMA_OPENAI_URL", provider: "openai" },
        ],
      }`,
    });
    mkdirSync(join(home, 'metrics'));
    const textfile = join(home, 'metrics', 'authwatch.prom');
    const env = { AUTHWATCH_PUSH_USER: 'pusher', AUTHWATCH_PUSH_PASSWORD: plant('push-password'), NTFY_TOKEN: plant('route-ntfy-token'), DISCORD_URL: `${echoUrl}/api/webhooks/42/${plant('discord-url-token')}`,
      // Push tokens as short as Kuma 1.x made them: under the scrubber's path-token length.
      KUMA_URL: `${echoUrl}/api/push/${plant('kt')}?status=up&msg=OK&ping=`,
      KUMA_OPENAI_URL: `${echoUrl}/api/push/${plant('ko')}`,
    };
    const channels = ['hook', 'phone', 'tg', 'dc', 'sl'];
    const outputs: Output[] = [];
    const runs: [string, string[]][] = [
      ['routes check --json', ['check', '--send', '--json', '--now', NOW_ISO, '--textfile', textfile]],
      ['routes check --json (inside the backoff)', ['check', '--send', '--json', '--now', NOW_ISO]],
      ['routes check (table, inside the backoff)', ['check', '--send', '--now', NOW_ISO]],
      ['routes check --log-level debug', ['check', '--send', '--log-level', 'debug', '--now', NOW_ISO]],
      ['routes check --policy openclaw --json', ['check', '--send', '--policy', 'openclaw', '--json', '--now', NOW_ISO]],
      // A Pushgateway behind a proxy with a token in its URL, then `status` naming that metrics route.
      ['routes check --push', ['check', '--send', '--now', NOW_ISO, '--push', `${echoUrl}/gw?token=${plant('push-url-query')}`]],
      ['status after the push', ['status', '--json']],
      ['routes check (table, last)', ['check', '--send', '--now', NOW_ISO]],
      ['status', ['status']],
      ['status --json', ['status', '--json']],
    ];
    for (const [where, args] of runs) {
      const run = await runCli(args, { home, env });
      outputs.push(...cliOutputs(where, run));
      if (where.startsWith('status')) continue;
      // Each run rewrites it: searched after every one.
      outputs.push({ where: `last-run.json after ${where}`, text: readFileSync(join(home, '.local/state/authwatch/last-run.json'), 'utf8') });
      expect(run.code, `${where}: ${run.stderr}`).toBe(3);
      // Each run says on stderr what became of every channel (a failed push ends the run before that).
      if (where === 'routes check --push') expect(run.stderr).toMatch(/push: PUT http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 500: \/gw\/metrics\/job\/authwatch\/instance\/[^?]*\?… /);
      else for (const name of channels) expect(run.stderr, `${where}: ${name}`).toContain(`alert channel ${name} `);
      for (const name of ['hc', 'kuma', 'kuma-openai']) expect(run.stderr, `${where}: ${name}`).toContain(`heartbeat ${name} failed: `);
    }
    const textfileText = readFileSync(textfile, 'utf8');
    outputs.push({ where: 'textfile', text: textfileText });
    outputs.push({ where: 'alert state', text: readFileSync(join(home, '.local/state/authwatch/state.json'), 'utf8') });
    outputs.push({ where: 'credential memory', text: readFileSync(join(home, '.local/state/authwatch/credentials.json'), 'utf8') });
    echo.close();
    expect(leaksIn(outputs)).toEqual([]);

    // And everything was really exercised: every channel reached the echo, the routes are judged as meant.
    expect(reached.some((url) => url.startsWith('/hook'))).toBe(true);
    expect(reached).toContain('/'); // ntfy: the topic travels in the JSON body
    expect(reached.some((url) => url.includes('/sendMessage'))).toBe(true);
    expect(reached.some((url) => url.startsWith('/api/webhooks/42/'))).toBe(true);
    expect(reached.some((url) => url.startsWith('/services/'))).toBe(true);
    expect(reached.filter((url) => url.startsWith('/ping/')).map((url) => url.split('?')[0]!.split('/').at(-1))).toEqual(expect.arrayContaining(['start', '3']));
    expect(reached.some((url) => url.startsWith('/api/push/') && url.includes('status=down'))).toBe(true);
    const text = (where: string) => outputs.find((o) => o.where === where)!.text;
    expect(text('status: stdout')).toMatch(/^heartbeats hc: last run failed/m);
    const json = JSON.parse(text('routes check --json: stdout'));
    const route = (agent: string, provider: string) => json.providers.find((p: { agent?: string; provider: string }) => p.provider === provider && (p.agent ?? 'main') === agent);
    expect(route('main', 'anthropic')).toMatchObject({ verdict: 'on-fallback', serving: { id: 'anthropic:default' }, fallbackFrom: { profile: 'anthropic:work', unusable: { kind: 'disabled', reason: 'billing' } } });
    expect(route('main', 'openai')).toMatchObject({ verdict: 'unavailable' });
    expect(route('main', 'openai').unusable.map((u: { profile: string }) => u.profile)).toEqual(expect.arrayContaining(['openai:key', 'inline-api-key:openai']));
    expect(json.profiles.map((p: { id: string }) => p.id)).toContain('openai:pasted');
    expect(json.alerts.channels.map((c: { channel: string; result: string }) => `${c.channel} ${c.result}`)).toEqual(channels.map((name) => `${name} failed`));
    // The echoed request is quoted from its start: the URL's secret parts were there to leak.
    expect(json.alerts.channels[0].error).toMatch(/answered HTTP 500: \/hook\?… \{/);
    expect(text('routes check (table, inside the backoff): stdout')).toMatch(/anthropic\s+on fallback anthropic:default \(anthropic:work disabled: billing until /);
    for (const family of ['provider_status', 'provider_on_fallback', 'provider_recovers_timestamp_seconds', 'provider_expiry_timestamp_seconds', 'credential_unusable_until_timestamp_seconds', 'credential_unusable_stale', 'credential_unusable_works']) {
      expect(textfileText, family).toMatch(new RegExp(`^authwatch_${family}\\{`, 'm'));
    }
    const status = JSON.parse(text('status --json: stdout'));
    expect(status.ok).toBe(false);
    expect(Object.keys(status.lastRun.channels)).toEqual(expect.arrayContaining(channels));
    expect(text('status: stdout')).toMatch(/hook/);
    expect(reached.some((url) => url.startsWith('/gw/metrics/job/authwatch/'))).toBe(true);
    expect(JSON.parse(text('status after the push: stdout')).lastRun.metrics).toMatch(/^pushgateway http:\/\/127\.0\.0\.1:\d+/);
  }, 60_000);

  it('the daemon: /metrics, /status, /healthz, 401 answers and debug logs', async () => {
    const home = secretHome('{}');
    const config = `{ schedule: "0 0 1 1 *", metrics: { auth: { bearerToken: { file: "${join(home, 'metrics-token')}" } } } }`;
    const good = { authorization: `Bearer ${plant('metrics-bearer')}` };
    const daemon = await startDaemon(home, config, good.authorization);
    const outputs: Output[] = [];
    for (const [path, headers] of [
      ['/metrics', good],
      ['/status', good],
      ['/healthz', good],
      ['/metrics', {}],
      ['/status', { authorization: `Bearer ${plant('metrics-bearer')}wrong` }],
      ['/../../etc/passwd', good],
    ] as const) {
      const response = await daemon.get(path, headers);
      outputs.push({ where: `${path} (${response.status}) headers`, text: JSON.stringify([...response.headers]) });
      outputs.push({ where: `${path} (${response.status}) body`, text: await response.text() });
    }
    expect(outputs.filter((o) => o.where.includes('(401)')).length).toBe(4);
    daemon.child.kill('SIGTERM');
    await daemon.exited;
    outputs.push({ where: 'daemon stderr (logs)', text: daemon.output.stderr }, { where: 'daemon stdout', text: daemon.output.stdout });
    expect(leaksIn(outputs)).toEqual([]);
  });

  it('a config with secrets in the wrong places: the error names the field, never the value', async () => {
    const home = makeHome({
      '.config/authwatch/config.json5': `{ warn: '${plant('warn')}', require: ['${plant('require')}'],
        channels: [{ name: "hook", type: "webhook", url: "${plant('bad-url')}", secret: "${plant('inline-secret')}" }],
        metrics: { auth: { bearerToken: "${plant('inline-bearer')}" } } }`,
    });
    const run = await runCli(['check', '--log-level', 'debug'], { home });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/warn: expected a duration/);
    expect(run.stderr).toMatch(/never put the secret in the config file/);
    expect(leaksIn(cliOutputs('bad config', run))).toEqual([]);
  });
});
