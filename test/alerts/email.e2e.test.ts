import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HOUR, NOW } from '../helpers/clock.js';
import { agentStore, makeHome } from '../helpers/home.js';
import { freePort } from '../helpers/processes.js';
import { startSmtp } from '../helpers/smtp.js';

const iso = (ms: number) => new Date(ms).toISOString();
const MARKER = 'PLANTEDSECRET';

function mailConfig(port: number, extra = '') {
  return `{
    channels: [{ name: "ops-mail", type: "email", timeout: "3s",
      smtp: { host: "127.0.0.1", port: ${port}, secure: false ${extra} },
      from: "authwatch@example.com", to: ["ops@example.com", "me@example.com"] }],
    alerting: { host: "gateway-1" },
  }`;
}

function homeWith(expires: number, config: string) {
  return makeHome({
    [agentStore('main')]: {
      json: {
        version: 1,
        profiles: {
          'anthropic:default': { type: 'token', provider: 'anthropic', token: `sk-ant-oat01-${MARKER}-token`, expires },
          'openrouter:default': { type: 'api_key', provider: 'openrouter', key: `sk-or-${MARKER}` },
        },
      },
    },
    '.config/authwatch/config.json5': config,
  });
}

const check = (home: string, at: number) => runCli(['check', '--send', '--now', iso(at)], { home });

describe('email alerts through a real SMTP server', () => {
  it('sends once, stays quiet, reminds after 4h, escalates, and says when it is resolved', async () => {
    const smtp = await startSmtp();
    const expires = NOW + 6 * HOUR;
    const home = homeWith(expires, mailConfig(smtp.port));

    expect((await check(home, NOW)).code).toBe(2);
    expect(smtp.received).toHaveLength(1);
    const first = smtp.received[0]!;
    expect(first.mail.subject).toBe('[authwatch] EXPIRING anthropic:default on gateway-1');
    expect(first.envelopeTo).toEqual(['ops@example.com', 'me@example.com']);
    expect(first.mail.text).toContain('EXPIRING: anthropic:default (anthropic, agent main)\nexpires in 6h: 2026-11-24 18:00 UTC\nsource:');
    // Said once: not "— expiring" after EXPIRING, not "expires in 6h" again as the detail.
    expect(first.mail.text).not.toMatch(/— expiring|expires in 6h\nexpires in 6h/);
    expect(first.mail.text!.match(/expires in 6h/g)).toHaveLength(1);
    expect(first.mail.text).toContain(`source: ${join(home, agentStore('main'))}`);
    expect(first.mail.text).toContain('fix: run `claude setup-token`, then `openclaw models auth paste-token --provider anthropic --expires-in 365d`');
    expect(first.mail.html).toContain('<b>EXPIRING: anthropic:default (anthropic, agent main)</b>');
    expect(first.mail.html).toContain('fix: run <code>claude setup-token</code>, then <code>openclaw models auth paste-token');
    expect(first.mail.html).not.toContain('`');
    expect(first.mail.html).not.toMatch(/<a |<img /);

    const quiet = await check(home, NOW + 15 * 60_000);
    expect(quiet.code).toBe(2);
    expect(smtp.received).toHaveLength(1); // nothing new to say, and the run says why
    expect(quiet.stderr).toBe('authwatch: alert channel ops-mail: 1 already told (repeat interval, next reminder in 24h)\n');

    expect((await check(home, expires + 60_000)).code).toBe(1);
    expect(smtp.received).toHaveLength(2);
    expect(smtp.received[1]!.mail.subject).toBe('[authwatch] EXPIRED anthropic:default on gateway-1');
    expect(smtp.received[1]!.mail.text).toContain('EXPIRED: anthropic:default (anthropic, agent main) — got worse\nexpired 1m ago: 2026-11-24 18:00 UTC\n');

    expect((await check(home, expires + 2 * HOUR)).code).toBe(1);
    expect(smtp.received).toHaveLength(2);
    expect((await check(home, expires + 4 * HOUR + 120_000)).code).toBe(1);
    expect(smtp.received).toHaveLength(3);
    expect(smtp.received[2]!.mail.subject).toBe('[authwatch] reminder: EXPIRED anthropic:default on gateway-1');
    expect(smtp.received[2]!.mail.text).toContain('EXPIRED: anthropic:default (anthropic, agent main) — reminder\nexpired 4h ago');

    const store = JSON.parse(readFileSync(join(home, agentStore('main')), 'utf8'));
    store.profiles['anthropic:default'] = { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-new', expires: NOW + 300 * 24 * HOUR };
    writeFileSync(join(home, agentStore('main')), JSON.stringify(store));
    expect((await check(home, expires + 5 * HOUR)).code).toBe(0);
    expect(smtp.received).toHaveLength(4);
    expect(smtp.received[3]!.mail.subject).toBe('[authwatch] RESOLVED anthropic:default on gateway-1');
    expect((await check(home, expires + 6 * HOUR)).code).toBe(0);
    expect(smtp.received).toHaveLength(4);

    for (const { raw } of smtp.received) expect(raw).not.toContain(MARKER);
    const statePath = join(home, '.local/state/authwatch/state.json');
    expect(statSync(statePath).mode & 0o777).toBe(0o600);
    expect(readFileSync(statePath, 'utf8')).not.toContain(MARKER);
  });

  it('logs in with the password from a file; the password appears nowhere', async () => {
    const smtp = await startSmtp({ user: 'alerts', password: `${MARKER}-smtp-password` });
    const home = homeWith(NOW - HOUR, mailConfig(0));
    writeFileSync(join(home, 'smtp-password'), `${MARKER}-smtp-password\n`, { mode: 0o600 });
    writeFileSync(join(home, '.config/authwatch/config.json5'), mailConfig(smtp.port, `, user: "alerts", passwordFile: "${join(home, 'smtp-password')}"`));
    const result = await runCli(['check', '--send', '--now', iso(NOW), '--log-level', 'debug'], { home });
    expect(result.code).toBe(1);
    expect(smtp.received.map((r) => r.user)).toEqual(['alerts']);
    expect(result.stdout + result.stderr + smtp.received[0]!.raw).not.toContain(MARKER);
  });

  it('a password inline in the config is refused with a pointer to passwordFile', async () => {
    const home = homeWith(NOW - HOUR, mailConfig(25, ', user: "a", password: "hunter2-PLANTEDSECRET"'));
    const result = await runCli(['check'], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/channels\[0\]\.smtp\.password: never put the password in the config file: use passwordFile or passwordEnv/);
    expect(result.stderr).not.toContain(MARKER);
  });

  it('server down: exit 3, the alert stays pending, and the next run delivers it', async () => {
    const port = await freePort();
    const home = homeWith(NOW - HOUR, mailConfig(port));
    const down = await check(home, NOW);
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/alert channel ops-mail failed: SMTP 127\.0\.0\.1:\d+ failed: ESOCKET connect ECONNREFUSED .*\(kept pending, 1 notice owed, retried on the first run in 1m; exit 3 until delivered\)\n$/);
    const state = JSON.parse(readFileSync(join(home, '.local/state/authwatch/state.json'), 'utf8'));
    expect(state.channels['ops-mail']).toMatchObject({ failures: 1, told: {} });

    // Inside the backoff nothing is tried, but the run still says what it owes, and exits 3; --json agrees.
    const waiting = await runCli(['check', '--send', '--json', '--now', iso(NOW + 30_000)], { home });
    expect(waiting.code).toBe(3);
    expect(waiting.stderr).toMatch(/^authwatch: alert channel ops-mail is backing off after: SMTP .*ECONNREFUSED.* \(kept pending, 1 notice owed, retried on the first run in 1m; exit 3 until delivered\)\n$/);
    const document = JSON.parse(waiting.stdout);
    expect(document.exitCode).toBe(3);
    expect(document.alerts).toMatchObject({ whatIf: false, channels: [{ channel: 'ops-mail', result: 'waiting', notices: 1, heldQuiet: 0, heldRepeat: 0 }] });

    const smtp = await startSmtp();
    writeFileSync(join(home, '.config/authwatch/config.json5'), mailConfig(smtp.port));
    const delivered = await runCli(['check', '--send', '--json', '--now', iso(NOW + 15 * 60_000)], { home });
    expect(delivered.code).toBe(1);
    expect(JSON.parse(delivered.stdout)).toMatchObject({ exitCode: 1, alerts: { channels: [{ result: 'sent', notices: 1 }] } });
    expect(delivered.stderr).toBe('authwatch: alert channel ops-mail: sent 1 notice\n');
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.mail.subject).toBe('[authwatch] EXPIRED anthropic:default on gateway-1');
    expect((await check(home, NOW + 30 * 60_000)).code).toBe(1);
    expect(smtp.received).toHaveLength(1);
  });

  it('--now without --send is a what-if: it says what it would send, sends nothing, writes no state; --no-alerts sends nothing', async () => {
    const smtp = await startSmtp();
    const home = homeWith(NOW - HOUR, mailConfig(smtp.port));
    const whatIf = await runCli(['check', '--json', '--now', iso(NOW)], { home });
    expect(whatIf.code).toBe(1);
    expect(whatIf.stderr).toBe('authwatch: alert channel ops-mail: would send 1 notice (--now is a what-if: add --send to deliver)\n');
    expect(JSON.parse(whatIf.stdout).alerts).toMatchObject({ whatIf: true, channels: [{ result: 'would-send', notices: 1 }] });
    const fromEnv = await runCli(['check'], { home, env: { AUTHWATCH_NOW: iso(NOW) } });
    expect(fromEnv.stderr).toContain('would send 1 notice');
    const none = await runCli(['check', '--no-alerts', '--json'], { home });
    expect(none.code).toBe(1);
    expect(none.stderr).toBe('');
    expect(JSON.parse(none.stdout).alerts).toBeNull();
    expect(smtp.received).toHaveLength(0);
    expect(existsSync(join(home, '.local/state/authwatch'))).toBe(false);
    expect((await runCli(['check', '--send'], { home })).stderr).toContain('--send: only with --now');
  });

  it('quiet hours: the run says what it holds back, and exits as the credentials say (held is not owed)', async () => {
    const smtp = await startSmtp();
    const home = homeWith(NOW + 6 * HOUR, mailConfig(smtp.port).replace('alerting: {', 'alerting: { quietHours: { timeZone: "UTC", start: "0:00", end: "24:00" },'));
    const held = await runCli(['check', '--send', '--json', '--now', iso(NOW)], { home });
    expect(held.code).toBe(2);
    expect(held.stderr).toBe('authwatch: alert channel ops-mail: 1 held by quiet hours\n');
    expect(JSON.parse(held.stdout)).toMatchObject({ exitCode: 2, alerts: { channels: [{ result: 'idle', notices: 0, heldQuiet: 1 }] } });
    expect(smtp.received).toHaveLength(0);
  });

  it('a MISSING block gives the fix once; the variable it names is the exact one', async () => {
    const smtp = await startSmtp();
    const home = makeHome({ '.config/authwatch/config.json5': mailConfig(smtp.port).replace('channels:', 'require: ["openai"], channels:') });
    expect((await check(home, NOW)).code).toBe(1);
    const { text, html } = smtp.received[0]!.mail;
    expect(text).toContain('MISSING: openai:(none) (openai)\nno credential for openai');
    expect(text!.match(/fix: /g)).toHaveLength(1);
    expect(text).toContain('fix: set OPENAI_API_KEY in ~/.openclaw/.env (or log in with `openclaw models auth login --provider openai`), then restart the gateway');
    expect(html).not.toContain('`');
  });

  it('two overlapping runs against the same state send exactly one message', async () => {
    const smtp = await startSmtp();
    const home = homeWith(NOW - HOUR, mailConfig(smtp.port));
    const results = await Promise.all([check(home, NOW), check(home, NOW), check(home, NOW)]);
    expect(results.map((r) => r.code)).toEqual([1, 1, 1]);
    expect(smtp.received).toHaveLength(1);
  });

  it('`authwatch alert test` sends a test message, or names the exact error', async () => {
    const smtp = await startSmtp();
    const home = homeWith(NOW - HOUR, mailConfig(smtp.port));
    const ok = await runCli(['alert', 'test'], { home });
    expect(ok.stdout).toBe('ops-mail: ok\n');
    expect(ok.code).toBe(0);
    expect(smtp.received[0]!.mail.subject).toBe('[authwatch] TEST message from gateway-1');
    await smtp.close();
    const failed = await runCli(['alert', 'test', '--channel', 'ops-mail'], { home });
    expect(failed.code).toBe(3);
    expect(failed.stdout).toMatch(/^ops-mail: FAILED — SMTP 127\.0\.0\.1:\d+ failed: ESOCKET connect ECONNREFUSED/);
    expect((await runCli(['alert', 'test', '--channel', 'nope'], { home })).stderr).toMatch(/no channel named 'nope'/);
  });
});
