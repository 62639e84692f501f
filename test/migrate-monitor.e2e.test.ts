import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config/schema.js';
import { unitEnvironment } from '../src/cli/migrate-monitor.js';
import { runCli } from './helpers/cli.js';
import { makeHome } from './helpers/home.js';

const openclaw = '/opt/openclaw/openclaw.sh';

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
    expect(Object.fromEntries(unitEnvironment(oldUnit))).toEqual({ WARN_HOURS: '2', NOTIFY_NTFY: 'my-gateway-alerts', NOTIFY_PHONE: '+15551234567' });
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
