import { describe, expect, it } from 'vitest';
import { codex } from '../../src/sources/codex.js';
import { HOUR, NOW } from '../helpers/clock.js';
import { contextFor } from '../helpers/context.js';
import { makeHome } from '../helpers/home.js';
import { fakeJwt } from '../helpers/jwt.js';

describe('Codex CLI auth source', () => {
  it('ChatGPT login: expiry from the access token JWT exp (seconds)', async () => {
    const exp = Math.floor((NOW + 5 * HOUR) / 1000);
    const home = makeHome({
      '.codex/auth.json': {
        json: { auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { access_token: fakeJwt({ exp }, 'PLANTEDsignature'), refresh_token: 'rt-PLANTED', account_id: 'acc' }, last_refresh: '2026-11-24T10:00:00Z' },
      },
    });
    const { profiles } = await codex.read(contextFor(home));
    expect(profiles[0]).toMatchObject({ id: 'openai:codex-cli', provider: 'openai', type: 'oauth', refreshable: true, expiresAt: exp * 1000 });
    expect(JSON.stringify(profiles)).not.toMatch(/PLANTED|eyJ/);
  });

  it('an access token that is not a JWT falls back to last_refresh + 1h', async () => {
    const home = makeHome({
      '.codex/auth.json': { json: { tokens: { access_token: 'opaque', refresh_token: 'r' }, last_refresh: '2026-11-24T10:00:00Z' } },
    });
    const { profiles } = await codex.read(contextFor(home));
    expect(profiles[0]!.expiresAt).toBe(Date.parse('2026-11-24T11:00:00Z'));
    expect(profiles[0]!.notes.join(' ')).toMatch(/assumed 1h after last refresh/);
  });

  it('API-key mode is an openai api_key profile', async () => {
    const home = makeHome({ '.codex/auth.json': { json: { auth_mode: 'apikey', OPENAI_API_KEY: 'sk-PLANTED' } } });
    const { profiles } = await codex.read(contextFor(home));
    expect(profiles[0]).toMatchObject({ id: 'openai:codex-cli-api-key', provider: 'openai', type: 'api_key' });
    expect(JSON.stringify(profiles)).not.toMatch(/PLANTED/);
  });

  it('logged out (no tokens) is missing', async () => {
    const home = makeHome({ '.codex/auth.json': { json: { auth_mode: 'chatgpt', tokens: null } } });
    const { profiles } = await codex.read(contextFor(home));
    expect(profiles[0]).toMatchObject({ secret: 'absent' });
  });

  it('follows $CODEX_HOME; wrong types are an error row', async () => {
    const home = makeHome({ 'cx/auth.json': { json: { tokens: { access_token: 42 } } } });
    const { profiles } = await codex.read(contextFor(home, { CODEX_HOME: `${home}/cx` }));
    expect(profiles[0]!.problem).toMatch(/cx\/auth.json: unexpected content: tokens.access_token: .*expected string/i);
  });

  // Every auth_mode Codex writes (and ones it may write later), with and without a stored key:
  // never a crash, always one row saying what is there.
  const jwt = fakeJwt({ exp: Math.floor((NOW + HOUR) / 1000) }, 'PLANTEDsig');
  it.each([
    ['apikey', 'sk-PLANTED', undefined, { id: 'openai:codex-cli-api-key', type: 'api_key', secret: 'present' }, ['API key stored by the Codex CLI']],
    ['apikey', null, undefined, { id: 'openai:codex-cli-api-key', type: 'api_key', secret: 'absent', fingerprint: null }, ['logged out: no API key stored']],
    ['apikey', undefined, undefined, { id: 'openai:codex-cli-api-key', type: 'api_key', secret: 'absent' }, ['logged out: no API key stored']],
    ['ApiKey', ' ', undefined, { id: 'openai:codex-cli-api-key', type: 'api_key', secret: 'absent' }, ['logged out: no API key stored']],
    ['chatgpt', null, { access_token: jwt, refresh_token: 'r' }, { id: 'openai:codex-cli', type: 'oauth', secret: 'present', expiresAt: Math.floor((NOW + HOUR) / 1000) * 1000 }, []],
    ['chatgpt', 'sk-PLANTED', null, { id: 'openai:codex-cli', type: 'oauth', secret: 'absent' }, ['logged out: no tokens stored']],
    ['chatgptAuthTokens', null, { access_token: jwt }, { id: 'openai:codex-cli', type: 'oauth', secret: 'present', refreshable: false }, []],
    [null, null, null, { id: 'openai:codex-cli', type: 'oauth', secret: 'absent' }, ['logged out: no tokens stored']],
    [undefined, 'sk-PLANTED', undefined, { id: 'openai:codex-cli-api-key', type: 'api_key', secret: 'present' }, ['API key stored by the Codex CLI']],
    ['agentIdentity', null, null, { id: 'openai:codex-cli', type: 'token', secret: 'absent' }, ['logged out: no agent identity stored']],
    ['constructor', 'sk-PLANTED', null, { id: 'openai:codex-cli-api-key', type: 'api_key', secret: 'present' }, ['API key stored by the Codex CLI', 'auth_mode not known to authwatch; judged by what is stored']],
  ])('auth_mode %j with OPENAI_API_KEY %j', async (auth_mode, key, tokens, row, notes) => {
    const home = makeHome({ '.codex/auth.json': { json: { auth_mode, OPENAI_API_KEY: key, tokens } } });
    const { profiles, visits } = await codex.read(contextFor(home));
    expect(profiles).toHaveLength(1);
    expect(profiles[0]).toMatchObject({ ...row, problem: null });
    expect(profiles[0]!.notes).toEqual(notes);
    expect(visits[0]).toMatchObject({ found: true, ok: true });
    expect(JSON.stringify(profiles)).not.toMatch(/PLANTED/);
  });
});
