import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/schema.js';
import { monitorSettingsOf } from '../src/cli/migrate-monitor.js';
import { readUnitEnvironment } from '../src/install/unit-file.js';
import { runCli } from './helpers/cli.js';
import { makeHome } from './helpers/home.js';
import { toolForTest } from './helpers/tools.js';

const openclaw = '/opt/openclaw/openclaw.sh';
const systemdAnalyze = toolForTest('systemd-analyze');

/** What the real systemd says about a unit's lines (nothing when it reads them all). */
function systemdComplaints(text: string): string {
  if (!systemdAnalyze) return '';
  const dir = makeHome();
  writeFileSync(join(dir, 'm.service'), `${text}\nExecStart=/bin/true\n`);
  return spawnSync(systemdAnalyze, ['verify', '--man=no', join(dir, 'm.service')], { encoding: 'utf8' }).stderr;
}

/** The old monitor's user unit as OpenClaw's installer wrote it, with the settings filled in. */
const oldUnit = `[Unit]
Description=OpenClaw auth monitor
After=network.target

[Service]
Type=oneshot
ExecStart=/home/admin/openclaw/scripts/auth-monitor.sh
Environment=WARN_HOURS=2
Environment="NOTIFY_NTFY=my-gateway-alerts" NOTIFY_PHONE=+15551234567
# Environment=NOTIFY_PHONE=+10000000000

[Install]
WantedBy=default.target
`;

describe('authwatch migrate-openclaw-monitor', () => {
  it('reads Environment= lines, quoted or not, and ignores commented ones', () => {
    expect(Object.fromEntries(readUnitEnvironment(oldUnit).values)).toEqual({ WARN_HOURS: '2', NOTIFY_NTFY: 'my-gateway-alerts', NOTIFY_PHONE: '+15551234567' });
  });

  // systemd.syntax(7): quotes anywhere in a word, C escapes, continuations, %% — read as systemd reads them.
  it.each([
    ['single-quoted words', "Environment='WARN_HOURS=6' 'NOTIFY_NTFY=topic'", { WARN_HOURS: '6', NOTIFY_NTFY: 'topic' }],
    ['a quote in mid-word', 'Environment=NOTIFY_NTFY="my topic"x WARN_HOURS=3', { WARN_HOURS: '3', NOTIFY_NTFY: 'my topicx' }],
    ['a backslash continuation', 'Environment=WARN_HOURS=6 \\\n  NOTIFY_NTFY=topic', { WARN_HOURS: '6', NOTIFY_NTFY: 'topic' }],
    ['a comment inside a continuation', 'Environment=WARN_HOURS=6 \\\n# NOTIFY_NTFY=old\n  NOTIFY_NTFY=topic', { WARN_HOURS: '6', NOTIFY_NTFY: 'topic' }],
    ['C escapes', 'Environment="NOTIFY_NTFY=a\\x41\\"b" NOTIFY_PHONE=\\x2b1555', { NOTIFY_NTFY: 'aA"b', NOTIFY_PHONE: '+1555' }],
    ['%% and an empty Environment= that resets', 'Environment=NOTIFY_PHONE=+1\nEnvironment=\nEnvironment=NOTIFY_NTFY=a%%b', { NOTIFY_NTFY: 'a%b' }],
    ['CRLF line ends', 'Environment=WARN_HOURS=6\r\nEnvironment=NOTIFY_NTFY=t', { WARN_HOURS: '6', NOTIFY_NTFY: 't' }],
    ['only [Service] counts', '[Unit]\nEnvironment=NOTIFY_NTFY=no\n[Service]\nEnvironment=WARN_HOURS=4', { WARN_HOURS: '4' }],
  ])('reads %s as systemd does', (_, lines, expected) => {
    const text = lines.startsWith('[') ? lines : `[Service]\n${lines}\n`;
    expect(Object.fromEntries(monitorSettingsOf(text, 'u.service'))).toEqual(expected);
    expect(systemdComplaints(text).replace(/.*Unknown key 'Environment' in section \[Unit\], ignoring.\n/, '')).toBe('');
  });

  it.each([
    ['an unterminated quote', "Environment='NOTIFY_NTFY=topic WARN_HOURS=6", /line 2: Environment= has a single quote that is never closed/, 'Invalid syntax'],
    ['an unknown escape', 'Environment=NOTIFY_NTFY=a\\qb', /line 2: Environment= has an escape systemd does not know \(\\q\)/, 'Invalid syntax'],
    ['a host-dependent specifier', 'Environment=NOTIFY_NTFY=%u-alerts', /line 2: NOTIFY_NTFY uses the specifier %u/],
    ['an EnvironmentFile', 'EnvironmentFile=-/etc/monitor.env', /line 2: EnvironmentFile=-\/etc\/monitor.env may hold settings/],
  ])('%s is an error naming the line, not a dropped channel', async (_, line, message, systemdSays = '') => {
    if (systemdSays) expect(systemdComplaints(`[Service]\n${line}`)).toContain(systemdSays);
    const home = makeHome();
    writeFileSync(join(home, 'old.service'), `[Service]\n${line}\n`);
    const result = await runCli(['migrate-openclaw-monitor', join(home, 'old.service')], { home });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('authwatch migrate-openclaw-monitor (no file)');
  });

  it('a specifier in a variable the old monitor never read is no reason to refuse', () => {
    expect(Object.fromEntries(monitorSettingsOf('[Service]\nEnvironment=PATH=%h/bin NOTIFY_NTFY=t\n', 'u.service'))).toEqual({ NOTIFY_NTFY: 't' });
  });

  it('prints a valid authwatch config with the same window and channels', async () => {
    const home = makeHome();
    writeFileSync(join(home, 'openclaw-auth-monitor.service'), oldUnit);
    const result = await runCli(['migrate-openclaw-monitor', join(home, 'openclaw-auth-monitor.service')], { home });
    expect(result.code).toBe(0);
    const config = parseConfig(JSON5.parse(result.stdout), 'migrated.json5');
    expect(config.warn).toBe(2 * 3_600_000);
    expect(config.require).toEqual(['anthropic']);
    expect(config.channels).toEqual([
      expect.objectContaining({ name: 'ntfy', type: 'ntfy', url: 'https://ntfy.sh', topic: 'my-gateway-alerts' }),
      expect.objectContaining({ name: 'phone', type: 'command', command: ['openclaw', 'message', 'send', '--target', '+15551234567', '--message', '{text}'] }),
    ]);
    expect(result.stdout).toMatch(/"expiring" can no longer mask "EXPIRED"/);
    expect(result.stdout).toContain('systemctl --user disable --now openclaw-auth-monitor.timer openclaw-auth-monitor.service');
  });

  it.runIf(existsSync(openclaw))(
    "the phone channel's command passes the real OpenClaw 2026.9.6 argument parser (--dry-run, a fresh HOME)",
    async () => {
      const home = makeHome();
      writeFileSync(join(home, 'old.service'), oldUnit);
      const config = parseConfig(JSON5.parse((await runCli(['migrate-openclaw-monitor', join(home, 'old.service')], { home })).stdout), 'migrated.json5');
      const phone = config.channels.find((channel) => channel.name === 'phone');
      const [, ...args] = (phone as { command: string[] }).command.map((arg) => arg.replace('{text}', 'EXPIRED: anthropic:default'));
      const run = spawnSync(openclaw, [...args, '--dry-run'], { env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8', timeout: 90_000 });
      const output = `${run.stdout}${run.stderr}`;
      // Parsed: what is left is that this fresh HOME has no chat channel, not a wrong option.
      expect(output).not.toMatch(/Missing required option|unknown option|error: option/i);
      expect(output).toMatch(/Channel is required|dry/i);
      // The old form is what the real CLI rejects (the test can fail).
      const old = spawnSync(openclaw, ['message', 'send', '--to', '+15551234567', '--message', 'x', '--dry-run'], { env: { PATH: process.env.PATH, HOME: home }, encoding: 'utf8', timeout: 90_000 });
      expect(`${old.stdout}${old.stderr}`).toContain('Missing required option "-t, --target <dest>"');
    },
    200_000,
  );

  it.each(['abc', '0', '-3', '2h'])('WARN_HOURS=%s is an error naming it, not a silent 2h', async (value) => {
    const result = await runCli(['migrate-openclaw-monitor'], { home: makeHome(), env: { WARN_HOURS: value } });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`WARN_HOURS (the environment): expected a positive number of hours like 2 or 1.5, not "${value}"`);
  });

  it('reads the environment when no file is given; a self-hosted ntfy URL keeps its server', async () => {
    const result = await runCli(['migrate-openclaw-monitor'], { home: makeHome(), env: { WARN_HOURS: '6', NOTIFY_NTFY: 'https://ntfy.example.com/gw' } });
    const config = parseConfig(JSON5.parse(result.stdout), 'migrated.json5');
    expect(config.warn).toBe(6 * 3_600_000);
    expect(config.channels).toEqual([expect.objectContaining({ type: 'ntfy', url: 'https://ntfy.example.com', topic: 'gw' })]);
  });

  it('an unreadable unit file is exit 3', async () => {
    const result = await runCli(['migrate-openclaw-monitor', '/nonexistent/unit.service'], { home: makeHome() });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('cannot read /nonexistent/unit.service');
  });
});
