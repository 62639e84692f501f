import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HOUR, NOW } from '../helpers/clock.js';
import { agentStore, makeHome } from '../helpers/home.js';
import { startSmtp } from '../helpers/smtp.js';

// Debian's chromium (in .ci/install-tools.sh); without it the render is skipped, the HTML checks are not.
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path));

/** Renders an HTML file to a PNG the way a person would see it, headless and with nothing of its own. */
function render(html: string, png: string): void {
  const profile = mkdtempSync(join(tmpdir(), 'authwatch-chromium-'));
  const page = join(profile, 'mail.html');
  writeFileSync(page, html);
  const run = spawnSync(
    chromium!,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--user-data-dir=${join(profile, 'data')}`,
      '--window-size=420,900', // a phone's width
      `--screenshot=${png}`,
      `file://${page}`,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (run.status !== 0) throw new Error(`chromium exited with ${run.status}: ${run.stderr.slice(-500)}`);
}

describe('the mail as a person reads it', () => {
  it('one mail with expired, expiring and missing: no backticks, no line said twice; renders in Chromium', async () => {
    const smtp = await startSmtp();
    const home = makeHome({
      [agentStore('main')]: {
        json: {
          version: 1,
          profiles: {
            'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-x', expires: NOW - 2 * HOUR },
            'anthropic:work': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-y', expires: NOW + 20 * HOUR - 5_000 },
          },
        },
      },
      '.config/authwatch/config.json5': `{
        require: ["openai"],
        channels: [{ name: "mail", type: "email", smtp: { host: "127.0.0.1", port: ${smtp.port}, secure: false }, from: "authwatch@example.com", to: ["me@example.com"] }],
        alerting: { host: "gateway-1" },
      }`,
    });
    const run = await runCli(['check', '--send', '--now', new Date(NOW).toISOString()], { home });
    expect(run.code).toBe(1);
    expect(smtp.received).toHaveLength(1);
    const { html, text, subject } = smtp.received[0]!.mail;
    expect(subject).toBe('[authwatch] EXPIRED anthropic:default on gateway-1 (+1 missing, +1 expiring)');
    const htmlText = String(html);
    expect(htmlText).not.toContain('`');
    expect(text).toContain('expires in 20h:'); // rounded as OpenClaw prints it, not 19h
    // No block says a line twice, nor the status after its label.
    for (const block of text!.split('\n\n')) {
      const lines = block.split('\n');
      expect(new Set(lines).size, block).toBe(lines.length);
      expect(block).not.toMatch(/^(EXPIRING|EXPIRED|MISSING): .* — (expiring|expired|missing)$/m);
      expect(block.match(/fix: /g)?.length ?? 0, block).toBeLessThanOrEqual(1);
      expect(block.match(/expire[sd] (in|\d)/g)?.length ?? 0, block).toBeLessThanOrEqual(1);
      // The same instant not twice (local = UTC here), no empty "source: required".
      expect(block, block).not.toMatch(/(\d{4}-\d\d-\d\d \d\d:\d\d) \+00:00 \(\1 UTC\)/);
      expect(block).not.toContain('source: required');
    }
    if (!chromium) return;
    const png = join(home, 'mail.png');
    render(htmlText, png);
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    // 420 px wide, as asked (IHDR), and more than a blank page's few hundred bytes.
    expect(bytes.readUInt32BE(16)).toBe(420);
    expect(statSync(png).size).toBeGreaterThan(5_000);
    if (process.env.AUTHWATCH_KEEP_RENDER) writeFileSync(process.env.AUTHWATCH_KEEP_RENDER, bytes);
  }, 90_000);
});
