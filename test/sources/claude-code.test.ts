import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeCode } from '../../src/sources/claude-code.js';
import { HOUR, NOW } from '../helpers/clock.js';
import { contextFor } from '../helpers/context.js';
import { makeHome } from '../helpers/home.js';

const creds = (oauth: unknown) => ({ json: { claudeAiOauth: oauth } });

describe('Claude Code credentials source', () => {
  it('a login with a refresh token is refreshable OAuth', async () => {
    const home = makeHome({
      '.claude/.credentials.json': creds({ accessToken: 'sk-ant-oat01-PLANTED', refreshToken: 'sk-ant-ort01-PLANTED', expiresAt: NOW + 8 * HOUR, subscriptionType: 'max' }),
    });
    const { profiles } = await claudeCode.read(contextFor(home));
    expect(profiles).toHaveLength(1);
    expect(profiles[0]).toMatchObject({ id: 'anthropic:claude-cli', provider: 'anthropic', type: 'oauth', refreshable: true, expiresAt: NOW + 8 * HOUR });
    expect(profiles[0]!.notes).toContain('Claude max plan');
    expect(JSON.stringify(profiles)).not.toMatch(/PLANTED/);
  });

  it('without a refresh token it is a plain token', async () => {
    const home = makeHome({ '.claude/.credentials.json': creds({ accessToken: 'a', expiresAt: NOW + HOUR }) });
    const { profiles } = await claudeCode.read(contextFor(home));
    expect(profiles[0]).toMatchObject({ type: 'token', refreshable: false });
  });

  it('follows $CLAUDE_CONFIG_DIR', async () => {
    const home = makeHome({ 'cc/.credentials.json': creds({ accessToken: 'a', expiresAt: NOW + HOUR }) });
    const { profiles, visits } = await claudeCode.read(contextFor(home, { CLAUDE_CONFIG_DIR: join(home, 'cc') }));
    expect(profiles[0]!.path).toBe(join(home, 'cc/.credentials.json'));
    expect(visits[0]).toMatchObject({ found: true, ok: true });
  });

  it('no file: nothing to report, just a visit', async () => {
    const { profiles, visits } = await claudeCode.read(contextFor(makeHome()));
    expect(profiles).toEqual([]);
    expect(visits[0]).toMatchObject({ found: false, ok: true });
  });

  it.each([
    ['no claudeAiOauth object', { other: 1 }, /claudeAiOauth: missing the claudeAiOauth object/],
    ['expiresAt in seconds', { claudeAiOauth: { accessToken: 'a', expiresAt: 1790000000 } }, /looks like seconds/],
    ['expiresAt zero', { claudeAiOauth: { accessToken: 'a', expiresAt: 0 } }, /not a valid time/],
    ['a JSON array', [1], /unexpected content/],
  ])('%s is an error row naming the file', async (_name, json, message) => {
    const home = makeHome({ '.claude/.credentials.json': { json } });
    const { profiles } = await claudeCode.read(contextFor(home));
    expect(profiles[0]!.problem).toMatch(message);
    expect(profiles[0]!.problem).toContain(join(home, '.claude/.credentials.json'));
  });
});
