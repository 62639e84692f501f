import { accessSync, chmodSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toDiscordRequest } from '../../src/alerts/discord.js';
import type { AlertBatch, Notice } from '../../src/alerts/notifier.js';
import { openclawArguments } from '../../src/alerts/openclaw.js';
import { toSlackRequest } from '../../src/alerts/slack.js';
import { markdownV2 } from '../../src/alerts/telegram.js';
import { retryAfterMs } from '../../src/core/http-send.js';
import { runCli } from '../helpers/cli.js';
import { HOUR, NOW, NOW_ISO } from '../helpers/clock.js';
import { agentStore, makeHome, writeFiles } from '../helpers/home.js';

// Each chat service is a real HTTP server on loopback that answers as the service documents
// (Telegram's {"ok":…} JSON, Discord's 204, Slack's "ok"), rate limits included.

const MARKER = 'CHATMARK';
const BOT_TOKEN = `123456789:AA${MARKER}bottoken_0123456789`;

interface Request {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}
type Answer = { status: number; headers?: Record<string, string>; body?: string };

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function startService(answer: (request: Request, index: number) => Answer) {
  const requests: Request[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const captured = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body, at: Date.now() };
      requests.push(captured);
      const { status, headers = {}, body: text = '' } = answer(captured, requests.length - 1);
      response.writeHead(status, headers).end(text);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests };
}

const telegramOk: Answer = { status: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true,"result":{"message_id":1}}' };

function homeWith(channel: string, files: Record<string, string> = {}) {
  const home = makeHome({
    [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: `sk-ant-${MARKER}`, expires: NOW - HOUR } } } },
    ...files,
  });
  writeFiles(home, { '.config/authwatch/config.json5': `{ channels: [{ name: "chat", ${channel.replaceAll('$HOME', home)} }], alerting: { host: "gateway-1" } }` });
  return home;
}

const check = (home: string, env: Record<string, string> = {}) => runCli(['check', '--now', NOW_ISO, '--send'], { home, env });

describe('telegram', () => {
  it('POSTs sendMessage to /bot<token>/ with the chat id and MarkdownV2 text that escapes every special character', async () => {
    const service = await startService(() => telegramOk);
    const home = homeWith(`type: "telegram", chatId: "-1001234567890", threadId: 7, apiUrl: "${service.url}/", tokenFile: "$HOME/bot-token"`, { 'bot-token': `${BOT_TOKEN}\n` });
    const result = await check(home);
    expect(result.code, result.stderr).toBe(1);
    expect(service.requests).toHaveLength(1);
    const [request] = service.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe(`/bot${BOT_TOKEN}/sendMessage`);
    expect(request!.headers['content-type']).toBe('application/json');
    const store = join(home, '.openclaw/agents/main/agent/auth-profiles.json').replace(/[._-]/g, '\\$&');
    expect(JSON.parse(request!.body)).toEqual({
      chat_id: '-1001234567890',
      message_thread_id: 7,
      parse_mode: 'MarkdownV2',
      link_preview_options: { is_disabled: true },
      disable_notification: false,
      text: [
        '*authwatch: EXPIRED anthropic:default on gateway\\-1*',
        '',
        'authwatch on gateway\\-1, 2026\\-11\\-24 12:00 UTC',
        '',
        'EXPIRED: anthropic:default \\(anthropic, agent main\\)',
        'expired 1h ago: 2026\\-11\\-24 11:00 UTC',
        `source: ${store}`,
        'fix: run `claude setup-token`, then `openclaw models auth paste-token --provider anthropic --expires-in 365d`; or put ANTHROPIC\\_API\\_KEY\\=… in \\~/\\.openclaw/\\.env and restart the gateway',
        '',
        'Run `authwatch check` on gateway\\-1 for the full picture\\.',
      ].join('\n'),
    });
    expect(result.stdout + result.stderr).not.toContain(MARKER);
  });

  it('markdownV2: every reserved character is escaped outside code, only ` and \\ inside it', () => {
    expect(markdownV2('_*[]()~>#+-=|{}.!\\')).toBe('\\_\\*\\[\\]\\(\\)\\~\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\');
    expect(markdownV2('run `a_b\\c` then *x*')).toBe('run `a_b\\\\c` then \\*x\\*');
    expect(markdownV2('an odd ` stays text')).toBe('an odd \\` stays text');
  });

  it('waits out a 429 for the retry_after Telegram puts in its body, then delivers', { timeout: 30_000 }, async () => {
    const limited: Answer = {
      status: 429,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}',
    };
    const service = await startService((_, index) => (index === 0 ? limited : telegramOk));
    const home = homeWith(`type: "telegram", chatId: 42, apiUrl: "${service.url}", tokenEnv: "BOT_TOKEN"`);
    const result = await check(home, { BOT_TOKEN });
    expect(result.code, result.stderr).toBe(1);
    expect(service.requests).toHaveLength(2);
    expect(service.requests[1]!.at - service.requests[0]!.at).toBeGreaterThanOrEqual(950);
    expect(JSON.parse(service.requests[1]!.body).chat_id).toBe(42);
  });

  it('a wait longer than the channel timeout is not waited: the run fails at once, saying so', { timeout: 30_000 }, async () => {
    const service = await startService(() => ({ status: 429, headers: { 'content-type': 'application/json' }, body: '{"ok":false,"error_code":429,"parameters":{"retry_after":600}}' }));
    const home = homeWith(`type: "telegram", chatId: 42, timeout: "5s", apiUrl: "${service.url}", tokenEnv: "BOT_TOKEN"`);
    const started = Date.now();
    const result = await check(home, { BOT_TOKEN });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.code).toBe(3);
    expect(service.requests).toHaveLength(1);
    expect(result.stderr).toMatch(/alert channel chat failed: POST http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 429: .*\(asked to wait 600s, past the channel's 5s timeout/);
    expect(result.stderr).not.toContain(MARKER);
  });

  it('a file that holds no bot token, and a config without one, are refused by name', async () => {
    const home = homeWith(`type: "telegram", chatId: 42, tokenFile: "$HOME/bot-token"`, { 'bot-token': `${MARKER}/../../etc` });
    const result = await check(home);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/channels\.chat\.tokenFile: does not hold a bot token/);
    expect(result.stderr).not.toContain(MARKER);

    const none = homeWith('type: "telegram", chatId: 42');
    const refused = await check(none);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('give exactly one of tokenFile or tokenEnv');
  });
});

const DISCORD_PATH = `/api/webhooks/123456789012345678/${MARKER}discordwebhooktoken`;
const SLACK_PATH = `/services/T0001/B0001/${MARKER}slackwebhook`;

describe('discord', () => {
  it('POSTs one embed per notice, coloured by severity, no mentions; a 429 Retry-After is waited out', { timeout: 30_000 }, async () => {
    const service = await startService((_, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '1', 'content-type': 'application/json' }, body: '{"message":"You are being rate limited.","retry_after":0.5,"global":false}' } : { status: 204 },
    );
    const home = homeWith('type: "discord", urlFile: "$HOME/discord-url"', { 'discord-url': `${service.url}${DISCORD_PATH}\n` });
    const result = await check(home);
    expect(result.code, result.stderr).toBe(1);
    expect(service.requests).toHaveLength(2);
    expect(service.requests[1]!.at - service.requests[0]!.at).toBeGreaterThanOrEqual(950);
    const [request] = service.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe(DISCORD_PATH);
    expect(request!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({ username: 'authwatch', content: 'authwatch: EXPIRED anthropic:default on gateway-1', allowed_mentions: { parse: [] } });
    expect(body.embeds).toEqual([
      {
        title: 'EXPIRED: anthropic:default (anthropic, agent main)',
        description: expect.stringMatching(/^expired 1h ago: 2026-11-24 11:00 UTC\n.*\nfix: run `claude setup-token`/s),
        color: 0xe74c3c,
        timestamp: NOW_ISO,
        footer: { text: 'authwatch on gateway-1' },
      },
    ]);
    expect(result.stdout + result.stderr).not.toContain(MARKER);
  });

  it('past ten notices the tenth embed counts the rest; all embeds stay within 6000 characters', () => {
    const batch = batchOf(14, 'x'.repeat(900));
    const body = JSON.parse(toDiscordRequest({ name: 'd', type: 'discord', timeout: 1, username: 'authwatch', urlEnv: 'X' }, batch, 'http://x').body);
    expect(body.embeds).toHaveLength(10);
    expect(body.embeds[9].title).toBe('+5 more');
    expect(body.embeds.slice(0, 9).map((e: { color: number }) => e.color)).toEqual([...Array(9).fill(0xe74c3c)]);
    const size = body.embeds.reduce((sum: number, e: { title: string; description: string; footer: { text: string } }) => sum + e.title.length + e.description.length + e.footer.text.length, 0);
    expect(size).toBeLessThanOrEqual(6000);
  });
});

describe('slack', () => {
  it('POSTs blocks (header, a section per notice, context) with the text fallback; a 429 Retry-After is waited out', { timeout: 30_000 }, async () => {
    const service = await startService((_, index) => (index === 0 ? { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' } : { status: 200, body: 'ok' }));
    const home = homeWith('type: "slack", urlEnv: "SLACK_WEBHOOK_URL"');
    const result = await check(home, { SLACK_WEBHOOK_URL: `${service.url}${SLACK_PATH}` });
    expect(result.code, result.stderr).toBe(1);
    expect(service.requests).toHaveLength(2);
    expect(service.requests[1]!.at - service.requests[0]!.at).toBeGreaterThanOrEqual(950);
    const [request] = service.requests;
    expect(request!.url).toBe(SLACK_PATH);
    expect(request!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(request!.body);
    expect(body.text).toBe('authwatch: EXPIRED anthropic:default on gateway-1');
    expect(body.blocks.map((b: { type: string }) => b.type)).toEqual(['header', 'section', 'context']);
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'authwatch: EXPIRED anthropic:default on gateway-1' } });
    expect(body.blocks[1].text.type).toBe('mrkdwn');
    expect(body.blocks[1].text.text).toMatch(/^\*EXPIRED: anthropic:default \(anthropic, agent main\)\*\nexpired 1h ago/);
    expect(body.blocks[2]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'authwatch on gateway-1, 2026-11-24 12:00 +00:00' }] });
  });

  it("quotes Slack's refusal (invalid_payload) without the URL's token", async () => {
    const service = await startService(() => ({ status: 400, body: 'invalid_payload' }));
    const home = homeWith('type: "slack", urlEnv: "SLACK_WEBHOOK_URL"');
    const result = await check(home, { SLACK_WEBHOOK_URL: `${service.url}${SLACK_PATH}` });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/alert channel chat failed: POST http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 400: invalid_payload/);
    expect(result.stderr).not.toContain(MARKER);
  });

  it('escapes &, < and > so a name cannot form a mention or link; at most 50 blocks', () => {
    const batch = batchOf(60, 'see <!channel> & <http://evil|here>');
    const body = JSON.parse(toSlackRequest(batch, 'http://x').body);
    expect(body.blocks).toHaveLength(50);
    expect(body.blocks[48].text.text).toBe('+13 more: run `authwatch check` on gw');
    expect(body.blocks[1].text.text).toContain('see &lt;!channel&gt; &amp; &lt;http://evil|here&gt;');
    expect(JSON.stringify(body)).not.toContain('<!channel>');
  });
});

describe('Retry-After', () => {
  it('reads seconds and HTTP dates; anything else is no wait', () => {
    expect(retryAfterMs('3', NOW)).toBe(3000);
    expect(retryAfterMs('1.5', NOW)).toBe(1500);
    expect(retryAfterMs(new Date(NOW + 7000).toUTCString(), NOW)).toBe(7000);
    expect(retryAfterMs('soon', NOW)).toBeNull();
    expect(retryAfterMs(null, NOW)).toBeNull();
  });
});

function batchOf(count: number, detail: string): AlertBatch {
  const notices: Notice[] = Array.from({ length: count }, (_, i) => ({
    key: `main/p${i}`,
    profile: `p${String(i).padStart(2, '0')}`,
    agent: 'main',
    provider: 'anthropic',
    source: 'openclaw',
    status: 'expired',
    kind: 'new',
    since: NOW,
    expiresAt: NOW - HOUR,
    remainingMs: -HOUR,
    path: null,
    detail,
    fix: 'fix it',
    offRoute: false,
  }));
  return { host: 'gw', now: NOW, notices };
}

/** The real OpenClaw CLI (2026.9.6), unless the machine has none. */
const openclawCli = (() => {
  const path = process.env.AUTHWATCH_OPENCLAW ?? '/opt/openclaw/openclaw.sh';
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    if (process.env.CI) throw new Error(`the OpenClaw CLI is required in CI: ${path} not found (set AUTHWATCH_OPENCLAW)`);
    console.warn(`skipping the openclaw channel's real-CLI tests: ${path} not found (set AUTHWATCH_OPENCLAW)`);
    return null;
  }
})();

describe('openclaw', () => {
  const config = { name: 'gw', type: 'openclaw' as const, timeout: 1, channel: 'telegram', target: '-1001234567890', command: ['/usr/bin/node', '/opt/oc.mjs'] };

  it('builds `openclaw message send --channel … --target … --message …`, silent for resolved notices', () => {
    const batch = batchOf(1, 'd');
    expect(openclawArguments(config, batch).slice(0, 9)).toEqual(['/usr/bin/node', '/opt/oc.mjs', 'message', 'send', '--channel', 'telegram', '--target', '-1001234567890', '--message']);
    expect(openclawArguments(config, batch)[9]).toMatch(/^authwatch on gw, 2026-11-24 12:00 UTC\n\nEXPIRED: p00/);
    const resolved = { ...batch, notices: batch.notices.map((n) => ({ ...n, kind: 'resolved' as const })) };
    expect(openclawArguments({ ...config, account: 'work' }, resolved).slice(7, 12)).toEqual(['-1001234567890', '--account', 'work', '--silent', '--message']);
  });

  it.skipIf(!openclawCli)('the real CLI accepts the arguments (--dry-run); an unknown channel is refused in its own words', { timeout: 120_000 }, async () => {
    const home = homeWith('type: "command", command: ["true"]');
    // The real CLI with --dry-run added after authwatch's arguments, recording what it was given.
    const wrapper = join(home, 'openclaw-dry-run');
    writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$@" > "$HOME/argv"\nexec ${openclawCli} "$@" --dry-run\n`);
    chmodSync(wrapper, 0o755);
    const configPath = join(home, '.config/authwatch/config.json5');
    writeFileSync(configPath, `{ channels: [{ name: "gw", type: "openclaw", channel: "telegram", target: "-1001234567890", timeout: "60s", command: ["${wrapper}"] }], alerting: { host: "gateway-1" } }`);
    const sent = await runCli(['check', '--now', NOW_ISO, '--send'], { home, timeoutMs: 90_000 });
    expect(sent.code, sent.stderr).toBe(1);
    expect(readFileSync(join(home, 'argv'), 'utf8')).toMatch(/^message\nsend\n--channel\ntelegram\n--target\n-1001234567890\n--message\nauthwatch on gateway-1, /);

    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('"telegram"', '"nosuchchat"'));
    const refused = await runCli(['alert', 'test'], { home, timeoutMs: 90_000 });
    expect(refused.code).toBe(3);
    expect(refused.stdout + refused.stderr).toMatch(/gw: FAILED — openclaw message send via \S+openclaw-dry-run exited with 1: Unknown channel "nosuchchat"/);
  });

  it.skipIf(!openclawCli)('without a paired gateway the real CLI says what to configure, and that is quoted', { timeout: 120_000 }, async () => {
    const home = homeWith(`type: "openclaw", channel: "telegram", target: "42", timeout: "60s", command: ["${openclawCli}"]`);
    const result = await runCli(['check', '--now', NOW_ISO, '--send'], { home, timeoutMs: 90_000 });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/alert channel chat failed: openclaw message send via \S+openclaw\.sh exited with 1: .*requires credentials.* \/ Fix: configure gateway\.auth/);
  });
});
