import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { DAY, NOW, NOW_ISO } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';

describe('credential files other users can read', () => {
  it('are flagged in the detail, in --json and as authwatch_credential_file_exposed; owner-only files are not', async () => {
    const apiKey = (provider: string) => ({ type: 'api_key', provider, key: 'k' });
    const home = makeHome({
      [agentStore('shared')]: { json: { version: 1, profiles: { 'a:default': apiKey('a') } }, mode: 0o644 },
      [agentStore('private')]: { json: { version: 1, profiles: { 'b:default': apiKey('b') } }, mode: 0o600 },
      '.openclaw/.env': { text: 'OPENROUTER_API_KEY=x\n', mode: 0o640 },
      '.claude/.credentials.json': { json: { claudeAiOauth: { accessToken: 'a', refreshToken: 'r', expiresAt: NOW + DAY } }, mode: 0o600 },
    });
    mkdirSync(join(home, 'metrics'));
    const textfile = join(home, 'metrics', 'authwatch.prom');
    const result = await runCli(['check', '--json', '--now', NOW_ISO, '--textfile', textfile], { home });
    expect(result.code).toBe(0);
    const rows = new Map(JSON.parse(result.stdout).profiles.map((p: any) => [p.id, p]));
    expect(rows.get('a:default')).toMatchObject({ fileExposed: true, detail: expect.stringContaining(`file readable by others (mode 0644; chmod 600 ${join(home, agentStore('shared'))})`) });
    expect(rows.get('env:OPENROUTER_API_KEY')).toMatchObject({ fileExposed: true, detail: expect.stringContaining(`(mode 0640; chmod 600 ${join(home, '.openclaw/.env')})`) });
    expect(rows.get('b:default')).toMatchObject({ fileExposed: false });
    expect(rows.get('anthropic:claude-cli')).toMatchObject({ fileExposed: false });
    expect((rows.get('b:default') as any).detail).not.toContain('readable by others');

    const metrics = readFileSync(textfile, 'utf8');
    expect(metrics).toContain('# TYPE authwatch_credential_file_exposed gauge');
    expect(metrics).toMatch(/authwatch_credential_file_exposed\{profile="a:default",provider="a",source="openclaw",agent="shared"\} 1/);
    expect(metrics).toMatch(/authwatch_credential_file_exposed\{profile="b:default",provider="b",source="openclaw",agent="private"\} 0/);
    expect(metrics).toMatch(/authwatch_credential_file_exposed\{profile="env:OPENROUTER_API_KEY",[^}]*\} 1/);
  });
});
