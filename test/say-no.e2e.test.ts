import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseListen } from '../src/cli/daemon.js';
import { parseConfig } from '../src/config/schema.js';
import { locateKey } from '../src/config/load.js';
import { closest } from '../src/core/suggest.js';
import { lastWords } from '../src/alerts/command.js';
import { cliPath, runCli } from './helpers/cli.js';
import { HOUR, NOW, NOW_ISO } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';

const token = (provider: string, expires: number) => ({ type: 'token', provider, token: 'sk-ant-oat01-test', expires });
const twoAgents = (config = '{}') =>
  makeHome({
    '.config/authwatch/config.json5': config,
    [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': token('anthropic', NOW + 3 * HOUR) } } },
    [agentStore('work')]: { json: { version: 1, profiles: { 'openrouter:default': { type: 'api_key', provider: 'openrouter', key: 'k' } } } },
  });

describe('flags and settings that do not fit are refused or warned about, with the right form', () => {
  it.each([
    [['--jsn'], "check: Unknown option '--jsn' (did you mean --json?)"],
    [['--no-colour'], "check: Unknown option '--no-colour' (did you mean --no-color?)"],
    [['--warn', '0'], '--warn: 0 would never warn before an expiry: give a positive window like 24h (1m for the shortest)'],
    [['--warn', '24'], '--warn: a duration needs its unit: 24h, 24d or 24m'],
    [['--send'], '--send: only with --now'],
  ])('check %j', async (args, message) => {
    const result = await runCli(['check', ...args], { home: makeHome() });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('--agent that names no agent: OpenClaw\'s "Unknown agent id", with the agents there are and the nearest', async () => {
    const home = twoAgents();
    const result = await runCli(['check', '--now', NOW_ISO, '--agent', 'wrok'], { home });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'authwatch: --agent: Unknown agent id "wrok" (did you mean "work"?); this host has main, work\nhint: run `openclaw agents list` to see configured agents\n',
    );
    expect((await runCli(['check', '--now', NOW_ISO, '--agent', 'work'], { home })).code).toBe(0);
  });

  it('a profiles override that matches no profile is a warning naming it', async () => {
    const home = twoAgents('{ profiles: { "anthropic:pasted": { warn: "2d" }, "anthropic:defualt": { warn: "2d" }, "anthropic:default": { warn: "1h" } } }');
    const result = await runCli(['check', '--now', NOW_ISO], { home });
    expect(result.code).toBe(0); // the real override (1h) applies: 3h left is ok
    expect(result.stderr).toBe(
      'authwatch: warning: config profiles["anthropic:pasted"]: no such profile on this host, the override does nothing\n' +
        'authwatch: warning: config profiles["anthropic:defualt"]: no such profile on this host, the override does nothing (did you mean "anthropic:default"?)\n',
    );
  });

  it('config errors: line and column, and the key that was meant', async () => {
    const text = '{\n  requires: ["openai"],\n  alerting: { repat: {} },\n  warn: "1x",\n}\n';
    const home = makeHome({ '.config/authwatch/config.json5': text });
    const file = join(home, '.config/authwatch/config.json5');
    const result = await runCli(['check'], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${file}: Unrecognized key: "requires" (did you mean "require"?) (line 2, column 3)`);
    expect(result.stderr).toContain(`${file}: alerting: Unrecognized key: "repat" (did you mean "repeat"?) (line 3, column 15)`);
    expect(result.stderr).toContain(`${file}: warn: expected a duration like "45m", "24h", "14d" or "2w" (line 4, column 3)`);
    const syntax = await runCli(['check'], { home: makeHome({ '.config/authwatch/config.json5': '{\n  warn: "1h",,\n}' }) });
    expect(syntax.stderr).toContain('not valid JSON5 (syntax error at line 2, column 14)');
  });

  it('locateKey finds a key after its parents, not the same word elsewhere', () => {
    const text = '{ warnings: 1, providers: { anthropic: { "warn": "1x" } }, warn: "2h" }';
    expect(locateKey(text, ['providers', 'anthropic', 'warn'])).toBe('line 1, column 42');
    expect(locateKey(text, ['warn'])).toBe('line 1, column 60');
    expect(locateKey(text, ['nothing'])).toBeNull();
  });

  it('closest: near misses only', () => {
    expect(closest('jsn', ['json', 'format'])).toBe('json');
    expect(closest('requires', ['require', 'declared'])).toBe('require');
    expect(closest('verbose', ['json', 'format'])).toBeNull();
  });

  it('quietHours accept "7:00" as 07:00', () => {
    const config = parseConfig({ alerting: { quietHours: { timeZone: 'Europe/Berlin', start: '22:00', end: '7:00' } } }, 'c.json5');
    expect(config.alerting.quietHours).toMatchObject({ start: '22:00', end: '07:00' });
    expect(() => parseConfig({ alerting: { quietHours: { timeZone: 'UTC', start: '25:00', end: '7:00' } } }, 'c.json5')).toThrow(/expected a time like "22:00" or "7:00"/);
  });

  it('daemon --listen 9787 is 127.0.0.1:9787, like the default', () => {
    expect(parseListen('9787')).toEqual({ host: '127.0.0.1', port: 9787 });
    expect(parseListen(':9787')).toEqual({ host: '0.0.0.0', port: 9787 });
    expect(() => parseListen('99999')).toThrow('--listen: expected HOST:PORT or PORT, e.g. 127.0.0.1:9787, [::1]:9787 or 9787');
  });
});

describe('a failing command channel says why', () => {
  it('quotes the end of its stderr, several lines, not only the last', () => {
    expect(lastWords('usage error\nMissing required option "-t, --target <dest>".\nTry: openclaw message send --help\n')).toBe(
      'usage error | Missing required option "-t, --target <dest>". | Try: openclaw message send --help',
    );
    expect(lastWords(`${'x'.repeat(1000)}\nreason`).length).toBeLessThanOrEqual(401);
  });

  it('end to end: the reason above "Try: --help" is in the message; --json exitCode is the exit code (3)', async () => {
    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': token('anthropic', NOW - HOUR) } } },
      '.config/authwatch/config.json5': `{ channels: [{ name: "phone", type: "command", command: ["sh", "-c", "echo 'error: Missing required option -t, --target' >&2; echo 'Try: openclaw message send --help' >&2; exit 1"] }] }`,
    });
    const result = await runCli(['check', '--send', '--json', '--now', NOW_ISO], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('alert channel phone failed: command sh exited with 1: error: Missing required option -t, --target | Try: openclaw message send --help (kept pending');
    const document = JSON.parse(result.stdout);
    expect(document.exitCode).toBe(3);
    expect(document.status).toBe('expired');
    expect(document.alerts.channels[0]).toMatchObject({ channel: 'phone', result: 'failed', notices: 1 });
  });
});

describe('the table on a terminal (a real pty, as `script` gives one)', () => {
  const profiles = {
    'anthropic:default': token('anthropic', NOW + 3 * HOUR),
    'openrouter:default': { type: 'api_key', provider: 'openrouter', key: 'k' },
  };
  it.runIf(spawnSync('script', ['--version']).status === 0)('fits 50 columns; piped, one line per row', async () => {
    const home = makeHome({ [agentStore('main')]: { json: { version: 1, profiles } }, '.config/authwatch/config.json5': '{ require: ["openai"] }' });
    const run = spawnSync('script', ['-qec', `stty cols 50; "${process.execPath}" "${cliPath}" check --now ${NOW_ISO} --no-color`, '/dev/null'], {
      env: { PATH: process.env.PATH, HOME: home, TZ: 'UTC' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    const lines = run.stdout.replace(/\r/g, '').trimEnd().split('\n');
    // The providers in use come first (a line too long goes under its name, wrapped), then the profile table.
    // Each route that is not ok ends with its fix.
    expect(lines.slice(0, 3)).toEqual(['openai', '    unavailable, needs login; fix: set', '    OPENAI_API_KEY in ~/.openclaw/.env (or log in']);
    const anthropic = lines.indexOf('anthropic');
    expect(lines.slice(anthropic, anthropic + 2)).toEqual(['anthropic', '    serving anthropic:default (expiring), runs dry']);
    expect(lines).toContain('PROFILE             STATUS    REMAINING');
    expect(lines.indexOf('PROFILE             STATUS    REMAINING')).toBeGreaterThan(3);
    expect(lines).toContain('    agent main; source openclaw; expires 11-24');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(50);
    const piped = await runCli(['check', '--now', NOW_ISO], { home });
    const rows = piped.stdout.split('\n');
    // Piped: the providers, one line each, then the table header, one line per row.
    expect(rows.slice(0, 4)).toEqual([
      'openai      unavailable, needs login; fix: set OPENAI_API_KEY in ~/.openclaw/.env (or log in with `openclaw models auth login --provider openai`), then restart the gateway',
      expect.stringMatching(/^anthropic   serving anthropic:default \(expiring\), runs dry .*; fix: run `claude setup-token`/),
      'openrouter  serving openrouter:default',
      '',
    ]);
    expect(rows[4]).toMatch(/^PROFILE\s+AGENT\s+PROVIDER\s+SOURCE\s+STATUS\s+EXPIRES\s+REMAINING\s+DETAIL$/);
    expect(rows.filter((row) => row.startsWith('    '))).toEqual([]);
    expect(rows.find((row) => row.startsWith('openai:(none)'))).toContain('fix: set OPENAI_API_KEY in ~/.openclaw/.env');
  });
});
