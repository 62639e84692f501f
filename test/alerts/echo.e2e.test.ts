import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { HOUR, NOW, NOW_ISO } from '../helpers/clock.js';
import { agentStore, makeHome } from '../helpers/home.js';
import { startEchoSink } from '../helpers/http-sink.js';

// One channel at a time, each with a receiver that hands back everything it got (URL, headers
// with Authorization decoded, body) in its refusal. The run's secrets are planted markers;
// stderr, stdout, --json, the debug log and state.json must hold none of them.

const MARK = 'ECHOMARK';
const secret = (name: string) => `${MARK}${name}Q7x2`;

function homeWith(channel: string, files: Record<string, string> = {}) {
  return makeHome({
    [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: secret('store'), expires: NOW - HOUR } } } },
    '.config/authwatch/config.json5': `{ channels: [{ name: "ch", ${channel} }] }`,
    ...files,
  });
}

/** Runs a failing check (debug log, then --json) and returns everything that left the process. */
async function outputs(home: string, env: Record<string, string> = {}, extra: string[] = []) {
  const runs: CliResult[] = [];
  runs.push(await runCli(['check', '--send', '--log-level', 'debug', '--now', NOW_ISO, ...extra], { home, env }));
  // Past any retry back-off, so the second run delivers (and fails) again.
  runs.push(await runCli(['check', '--send', '--json', '--log-level', 'debug', '--now', new Date(NOW + 6 * HOUR).toISOString(), ...extra], { home, env }));
  for (const run of runs) expect(run.code, run.stderr).toBe(3);
  let state = '';
  try {
    state = readFileSync(join(home, '.local/state/authwatch/state.json'), 'utf8');
  } catch {
    // no alert channel, no state (the push test)
  }
  return { text: [...runs.flatMap((r) => [r.stdout, r.stderr]), state].join('\n'), runs, state };
}

const leaks = (text: string) => [...text.matchAll(new RegExp(`.{0,40}${MARK}.{0,20}`, 'g'))].map((m) => m[0]);

describe('receivers that echo everything back: no secret reaches any output', () => {
  it('ntfy: the bare token, the Bearer header', async () => {
    const echo = await startEchoSink(401);
    const home = homeWith(`type: "ntfy", url: "${echo.url}", topic: "gw", tokenFile: "ntfy-token"`, { 'ntfy-token': secret('ntfy') });
    writeFileSync(join(home, '.config/authwatch/config.json5'), `{ channels: [{ name: "ch", type: "ntfy", url: "${echo.url}", topic: "gw", tokenFile: "${join(home, 'ntfy-token')}" }] }`);
    const { text, state } = await outputs(home);
    expect(echo.requests[0]!.headers.authorization).toBe(`Bearer ${secret('ntfy')}`);
    expect(text).toMatch(/alert channel ch failed: POST http:\/\/127\.0\.0\.1:\d+ answered HTTP 401: \/ …/);
    expect(state).toContain('answered HTTP 401');
    expect(leaks(text)).toEqual([]);
  });

  it('webhook: a Discord-style secret in the path, a query token, user:password, the HMAC secret', async () => {
    const echo = await startEchoSink();
    const url = `${echo.url.replace('http://', `http://hook:${secret('userinfo')}@`)}/api/webhooks/123456789012345678/${secret('path')}?token=${secret('query')}`;
    const home = homeWith(`type: "webhook", url: "${url}"`, { 'hook-secret': secret('hmac') });
    writeFileSync(join(home, '.config/authwatch/config.json5'), `{ channels: [{ name: "ch", type: "webhook", url: "${url}", secretFile: "${join(home, 'hook-secret')}" }] }`);
    const { text } = await outputs(home);
    expect(echo.requests[0]!.url).toContain(secret('path'));
    expect(text).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 500/);
    expect(leaks(text)).toEqual([]);
  });

  it('alertmanager: Basic credentials in the URL', async () => {
    const echo = await startEchoSink(401);
    const home = homeWith(`type: "alertmanager", url: "${echo.url.replace('http://', `http://am:${secret('ampass')}@`)}"`);
    const { text } = await outputs(home);
    expect(echo.requests[0]!.headers.authorization).toMatch(/^Basic /);
    expect(text).toMatch(/POST http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 401/);
    expect(leaks(text)).toEqual([]);
  });

  it('email: a server that quotes the AUTH line and the password back', async () => {
    const server = createNetServer((socket) => {
      socket.write('220 echo.example ESMTP\r\n');
      socket.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\r\n').filter(Boolean)) {
          if (/^(EHLO|HELO)/i.test(line)) socket.write('250-echo.example\r\n250 AUTH PLAIN LOGIN\r\n');
          else if (/^AUTH PLAIN (.+)/i.test(line)) socket.write(`535 5.7.8 no: ${Buffer.from(line.slice(11), 'base64').toString().replace(/\0/g, ' ')} ${line}\r\n`);
          else socket.end('221 bye\r\n');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const port = (server.address() as { port: number }).port;
    const home = homeWith('type: "command", command: ["true"]', { 'smtp-password': secret('smtp') });
    writeFileSync(
      join(home, '.config/authwatch/config.json5'),
      `{ channels: [{ name: "ch", type: "email", timeout: "3s", smtp: { host: "127.0.0.1", port: ${port}, user: "authwatch", passwordFile: "${join(home, 'smtp-password')}" }, from: "a@example.com", to: ["b@example.com"] }] }`,
    );
    const { text } = await outputs(home);
    server.close();
    expect(text).toMatch(/EAUTH Invalid login: 535 5\.7\.8 no: {2}authwatch … AUTH PLAIN …/);
    expect(leaks(text)).toEqual([]);
  });

  it('command: a program that prints its environment and arguments as its last words', async () => {
    const home = homeWith('type: "command", command: ["true"]');
    const script = join(home, 'notify.sh');
    writeFileSync(script, `#!/bin/sh\necho "$(env | grep -v '^PATH=' | sort | tr '\\n' ' ') $*" >&2\nexit 1\n`);
    chmodSync(script, 0o755);
    writeFileSync(join(home, '.config/authwatch/config.json5'), `{ channels: [{ name: "ch", type: "command", command: ["${script}", "{title}"] }] }`);
    const { text } = await outputs(home, { OPENAI_API_KEY: secret('envkey'), VENDOR_TOKEN: secret('envtoken') });
    expect(text).toMatch(/command \S+notify\.sh exited with 1: .*OPENAI_API_KEY=…/);
    expect(leaks(text)).toEqual([]);
  });

  it('push: a Pushgateway that quotes the Basic credentials in its 401; a password in --push is refused', async () => {
    const echo = await startEchoSink(401);
    const home = homeWith('type: "command", command: ["true"]', { 'push-password': secret('push') });
    writeFileSync(join(home, '.config/authwatch/config.json5'), '{}');
    const env = { AUTHWATCH_PUSH_USER: 'metrics', AUTHWATCH_PUSH_PASSWORD_FILE: join(home, 'push-password') };
    const { text, runs } = await outputs(home, env, ['--push', echo.url]);
    expect(echo.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`metrics:${secret('push')}`).toString('base64')}`);
    expect(runs[0]!.stderr).toMatch(/push: PUT http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 401/);
    expect(leaks(text)).toEqual([]);

    const inline = await runCli(['check', '--send', '--now', NOW_ISO, '--push', echo.url.replace('http://', `http://u:${secret('cmdline')}@`)], { home });
    expect(inline.code).toBe(3);
    expect(inline.stderr).toContain('--push: never put credentials in the URL');
    expect(inline.stderr).toContain('AUTHWATCH_PUSH_PASSWORD_FILE');
    expect(echo.requests).toHaveLength(2);
    expect(leaks(inline.stdout + inline.stderr)).toEqual([]);
  });
});

describe('chat channels that echo everything back: no token, no webhook URL reaches any output', () => {
  it('telegram: the bot token in the URL path', async () => {
    const echo = await startEchoSink(401);
    const token = `123456789:${secret('bottoken')}_abcdefghij`;
    const home = homeWith(`type: "telegram", chatId: 42, apiUrl: "${echo.url}", tokenEnv: "BOT_TOKEN"`);
    const { text, state } = await outputs(home, { BOT_TOKEN: token });
    expect(echo.requests[0]!.url).toBe(`/bot${token}/sendMessage`);
    expect(text).toMatch(/alert channel ch failed: POST http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 401: \/…\/sendMessage/);
    expect(state).toContain('answered HTTP 401');
    expect(leaks(text)).toEqual([]);
  });

  for (const [type, path] of [
    ['discord', `/api/webhooks/123456789012345678/${secret('discord')}`],
    ['slack', `/services/T0001/B0001/${secret('slack')}`],
  ] as const) {
    it(`${type}: the webhook URL (its token is in the path), from a file`, async () => {
      const echo = await startEchoSink(403);
      const home = homeWith('type: "command", command: ["true"]', { 'webhook-url': `${echo.url}${path}\n` });
      writeFileSync(join(home, '.config/authwatch/config.json5'), `{ channels: [{ name: "ch", type: "${type}", urlFile: "${join(home, 'webhook-url')}" }] }`);
      const { text } = await outputs(home);
      expect(echo.requests[0]!.url).toBe(path);
      expect(text).toMatch(/alert channel ch failed: POST http:\/\/127\.0\.0\.1:\d+\/… answered HTTP 403/);
      expect(leaks(text)).toEqual([]);
    });
  }

  it('openclaw: a gateway CLI that prints its environment and arguments on failure', async () => {
    const home = homeWith('type: "command", command: ["true"]');
    const script = join(home, 'openclaw');
    writeFileSync(script, `#!/bin/sh\necho "$*" >&2\necho "$(env | grep -v '^PATH=' | sort | tr '\\n' ' ')" >&2\necho "gateway says no" >&2\nexit 1\n`);
    chmodSync(script, 0o755);
    writeFileSync(join(home, '.config/authwatch/config.json5'), `{ channels: [{ name: "ch", type: "openclaw", channel: "telegram", target: "42", command: ["${script}"] }] }`);
    const { text } = await outputs(home, { OPENCLAW_GATEWAY_TOKEN: secret('gateway'), TELEGRAM_BOT_TOKEN: secret('tgenv') });
    expect(text).toMatch(/openclaw message send via \S+openclaw exited with 1: .* \/ .*OPENCLAW_GATEWAY_TOKEN=….* \/ gateway says no/);
    expect(leaks(text)).toEqual([]);
  });
});
