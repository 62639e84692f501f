import { chmodSync, chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { HOUR, NOW_ISO, NOW } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';
import { startSink } from './helpers/http-sink.js';

async function homeWithStateDir(mode: number) {
  const sink = await startSink();
  const home = makeHome({
    [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 't', expires: NOW - HOUR } } } },
    '.config/authwatch/config.json5': `{ channels: [{ name: "hook", type: "webhook", url: "${sink.url}/hook", timeout: "3s" }] }`,
  });
  const dir = join(home, '.local/state/authwatch');
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, mode);
  return { home, dir, sink };
}

describe('a state directory another user could write to', () => {
  it('is refused: exit 3, one line naming it and the fix, nothing sent', async () => {
    const { home, dir, sink } = await homeWithStateDir(0o777);
    const result = await runCli(['check', '--send', '--now', NOW_ISO], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`authwatch: the state directory ${dir} is writable by every user (mode 0777), who could change what it says; fix: chmod go-w ${dir}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(sink.requests).toHaveLength(0);
    // The report is never swallowed by a state failure: the JSON is printed whole, with exit 3 in it.
    const json = await runCli(['check', '--send', '--json', '--now', NOW_ISO], { home });
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'expired', exitCode: 3, alerts: { error: expect.stringContaining('writable by every user'), channels: [] } });
    expect(json.stderr).toContain(`the state directory ${dir} is writable by every user`);
    chmodSync(dir, 0o700);
    expect((await runCli(['check', '--send', '--now', NOW_ISO], { home })).code).toBe(1);
    expect(sink.requests).toHaveLength(1);
  });

  it.runIf(process.getuid?.() === 0)('owned by another user: refused the same way', async () => {
    const { home, dir, sink } = await homeWithStateDir(0o700);
    chownSync(dir, 4321, 4321);
    const result = await runCli(['check', '--send', '--now', NOW_ISO], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(new RegExp(`authwatch: the state directory ${dir} belongs to uid 4321, not to this user \\(uid 0\\), who could change it; fix: chown 0 `));
    expect(sink.requests).toHaveLength(0);
  });
});
