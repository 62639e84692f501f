import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY, HOUR, NOW } from '../helpers/clock.js';
import { makeHome } from '../helpers/home.js';
import { checkJson } from './stores-helpers.js';

describe('Qwen Code and Claude Code stores, through the built CLI', { timeout: 30_000 }, () => {
  it('$QWEN_HOME replaces ~/.qwen', async () => {
    const home = makeHome({
      'qh/oauth_creds.json': { json: { access_token: 'PLANTED-a', refresh_token: 'PLANTED-r', expiry_date: NOW + HOUR } },
      '.qwen/oauth_creds.json': { json: { access_token: 'PLANTED-old', expiry_date: NOW - DAY } },
    });
    const result = await checkJson(home, { QWEN_HOME: join(home, 'qh') });
    expect(result.row('qwen-portal:qwen-cli')).toMatchObject({ status: 'ok', path: join(home, 'qh/oauth_creds.json') });
  });

  it('$CLAUDE_SECURESTORAGE_CONFIG_DIR moves .credentials.json, ahead of $CLAUDE_CONFIG_DIR', async () => {
    const file = (expiresAt: number) => ({ json: { claudeAiOauth: { accessToken: 'sk-ant-oat01-PLANTED', refreshToken: 'sk-ant-ort01-PLANTED', expiresAt } } });
    const home = makeHome({ 'secure/.credentials.json': file(NOW + DAY), 'config/.credentials.json': file(NOW - DAY), '.claude/.credentials.json': file(NOW - DAY) });
    const result = await checkJson(home, { CLAUDE_SECURESTORAGE_CONFIG_DIR: join(home, 'secure'), CLAUDE_CONFIG_DIR: join(home, 'config') });
    expect(result.row('anthropic:claude-cli')).toMatchObject({ path: join(home, 'secure/.credentials.json'), expiresAt: new Date(NOW + DAY).toISOString() });
    const blank = await checkJson(home, { CLAUDE_SECURESTORAGE_CONFIG_DIR: ' ', CLAUDE_CONFIG_DIR: join(home, 'config') });
    expect(blank.row('anthropic:claude-cli')!.path).toBe(join(home, 'config/.credentials.json'));
  });
});
