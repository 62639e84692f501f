import { createHmac } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HOUR, NOW } from '../helpers/clock.js';
import { agentStore, makeHome } from '../helpers/home.js';
import { startSink } from '../helpers/http-sink.js';

const MARKER = 'PLANTEDSECRET';
const iso = (ms: number) => new Date(ms).toISOString();

function homeWith(channels: string, files: Record<string, string> = {}) {
  return makeHome({
    [agentStore('main')]: {
      json: {
        version: 1,
        profiles: {
          'anthropic:default': { type: 'token', provider: 'anthropic', token: `sk-ant-${MARKER}`, expires: NOW - HOUR },
          'openai-codex:me@example.com': { type: 'oauth', provider: 'openai-codex', access: `${MARKER}-a`, expires: NOW + 3 * HOUR },
        },
      },
    },
    '.config/authwatch/config.json5': `{ channels: [${channels}], alerting: { host: "gateway-1" } }`,
    ...files,
  });
}

describe('ntfy', () => {
  it('posts title, priority and tags by severity with the access token', async () => {
    const sink = await startSink();
    const home = homeWith('');
    writeFileSync(join(home, 'ntfy-token'), `tk_${MARKER}\n`);
    writeFileSync(
      join(home, '.config/authwatch/config.json5'),
      `{ channels: [{ name: "phone", type: "ntfy", url: "${sink.url}", topic: "my-gateway", tokenFile: "${join(home, 'ntfy-token')}" }], alerting: { host: "gateway-1" } }`,
    );
    const result = await runCli(['check', '--send', '--now', iso(NOW)], { home });
    expect(result.code).toBe(1);
    expect(sink.requests).toHaveLength(1);
    const [request] = sink.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/');
    expect(request!.headers.authorization).toBe(`Bearer tk_${MARKER}`);
    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({ topic: 'my-gateway', title: 'authwatch: EXPIRED anthropic:default on gateway-1 (+1 expiring)', priority: 5, tags: ['rotating_light', 'key'] });
    expect(body.message).toContain('fix: run `claude setup-token`');
    expect(request!.body).not.toContain(MARKER);
  });
});

describe('webhook', () => {
  it('posts an Alertmanager v4 body signed with HMAC-SHA256 over the exact bytes', async () => {
    const sink = await startSink();
    const home = homeWith('');
    writeFileSync(join(home, 'hook-secret'), `${MARKER}-hook`);
    writeFileSync(
      join(home, '.config/authwatch/config.json5'),
      `{ channels: [{ name: "hook", type: "webhook", url: "${sink.url}/hook", secretFile: "${join(home, 'hook-secret')}" }], alerting: { host: "gateway-1" } }`,
    );
    expect((await runCli(['check', '--send', '--now', iso(NOW)], { home })).code).toBe(1);
    const [request] = sink.requests;
    const expected = `sha256=${createHmac('sha256', `${MARKER}-hook`).update(request!.body).digest('hex')}`;
    expect(request!.headers['x-authwatch-signature']).toBe(expected);
    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({ version: '4', status: 'firing', receiver: 'hook', groupLabels: { instance: 'gateway-1' } });
    expect(body.alerts.map((a: any) => [a.status, a.labels.profile, a.labels.severity, a.labels.status])).toEqual([
      ['firing', 'anthropic:default', 'critical', 'expired'],
      ['firing', 'openai-codex:me@example.com', 'warning', 'expiring'],
    ]);
    for (const alert of body.alerts) {
      expect(alert).toHaveProperty('startsAt');
      expect(alert).toHaveProperty('endsAt');
      expect(alert.fingerprint).toMatch(/^[0-9a-f]{16}$/);
      expect(alert.annotations.summary).toBeTruthy();
    }
    expect(request!.body).not.toContain(MARKER);
  });

  it('user:password in the URL is sent as Basic auth, the query string kept', async () => {
    const sink = await startSink();
    const url = sink.url.replace('http://', 'http://hook%40user:p%3Ass@') + '/hook?key=abc';
    const home = homeWith(`{ name: "hook", type: "webhook", url: "${url}" }`);
    expect((await runCli(['check', '--send', '--now', iso(NOW)], { home })).code).toBe(1);
    expect(sink.requests[0]!.url).toBe('/hook?key=abc');
    expect(sink.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('hook@user:p:ss').toString('base64')}`);
  });

  it('a password with a stray % in the URL is sent as it is written, not a failed delivery', async () => {
    const sink = await startSink();
    const home = homeWith(`{ name: "hook", type: "webhook", url: "${sink.url.replace('http://', 'http://u:50%zz@')}/hook" }`);
    expect((await runCli(['check', '--send', '--now', iso(NOW)], { home })).code).toBe(1);
    expect(sink.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from('u:50%zz').toString('base64')}`);
  });

  it('a receiver that never answers: the run ends within the timeout, the alert stays pending, 500 likewise', async () => {
    let mode: 'hang' | 500 | 200 = 'hang';
    const sink = await startSink(() => mode);
    const home = homeWith('');
    writeFileSync(join(home, '.config/authwatch/config.json5'), `{ channels: [{ name: "hook", type: "webhook", url: "${sink.url}", timeout: "1s" }] }`);
    const started = Date.now();
    const hung = await runCli(['check', '--send', '--now', iso(NOW)], { home });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(hung.code).toBe(3);
    expect(hung.stderr).toContain('alert channel hook failed: POST http://127.0.0.1:');
    expect(hung.stderr).toContain('failed: no answer within 1s');
    mode = 500;
    const refused = await runCli(['check', '--send', '--now', iso(NOW + 15 * 60_000)], { home });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('answered HTTP 500: receiver says no');
    mode = 200;
    expect((await runCli(['check', '--send', '--now', iso(NOW + 60 * 60_000)], { home })).code).toBe(1);
    expect((await runCli(['check', '--send', '--now', iso(NOW + 75 * 60_000)], { home })).code).toBe(1);
    expect(sink.requests.filter((r) => r.body).length).toBe(3); // hang, 500, delivered; then nothing new
  });
});

describe('command', () => {
  it('runs the program without a shell, with placeholders and the alert JSON on stdin', async () => {
    const home = homeWith('');
    const script = join(home, 'record.sh');
    writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(home, 'args.txt')}"\ncat > "${join(home, 'stdin.json')}"\n`);
    chmodSync(script, 0o755);
    writeFileSync(
      join(home, '.config/authwatch/config.json5'),
      `{ channels: [{ name: "android", type: "command", command: ["${script}", "-t", "{title}", "-c", "{text}", "--status", "{status}; rm -rf /"] }], alerting: { host: "gateway-1" } }`,
    );
    expect((await runCli(['check', '--send', '--now', iso(NOW)], { home })).code).toBe(1);
    const args = readFileSync(join(home, 'args.txt'), 'utf8');
    expect(args.split('\n').slice(0, 2)).toEqual(['-t', 'authwatch: EXPIRED anthropic:default on gateway-1 (+1 expiring)']);
    expect(args).toContain('--status\nexpired; rm -rf /\n'); // an argument, never a shell command
    const stdin = JSON.parse(readFileSync(join(home, 'stdin.json'), 'utf8'));
    expect(stdin.notices.map((n: any) => n.profile)).toEqual(['anthropic:default', 'openai-codex:me@example.com']);
    expect(readFileSync(join(home, 'stdin.json'), 'utf8') + args).not.toContain(MARKER);
  });

  it('a program that fails or hangs is a failed delivery (exit 3), retried next run', async () => {
    const home = homeWith(`{ name: "slow", type: "command", command: ["sleep", "30"], timeout: "1s" }, { name: "broken", type: "command", command: ["false"] }`);
    const started = Date.now();
    const result = await runCli(['check', '--send', '--now', iso(NOW)], { home });
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('alert channel slow failed: command sleep did not finish within 1s (killed)');
    expect(result.stderr).toContain('alert channel broken failed: command false exited with 1');
  });
});
