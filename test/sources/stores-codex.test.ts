import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOUR, NOW } from '../helpers/clock.js';
import { makeHome } from '../helpers/home.js';
import { fakeJwt } from '../helpers/jwt.js';
import { checkJson } from './stores-helpers.js';

const exp = Math.floor((NOW + 5 * HOUR) / 1000);
const chatgpt = { auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { access_token: fakeJwt({ exp }, 'PLANTEDsig'), refresh_token: 'rt-PLANTED-refresh', account_id: 'acc' }, last_refresh: '2026-11-24T10:00:00Z' };

describe('Codex stores, through the built CLI', { timeout: 30_000 }, () => {
  it('$CODEX_AUTH_HOME holds the login; config.toml stays in $CODEX_HOME', async () => {
    const home = makeHome({ 'auth-home/auth.json': { json: chatgpt }, '.codex/auth.json': { json: { auth_mode: 'apikey', OPENAI_API_KEY: 'sk-PLANTED-wrong' } } });
    const result = await checkJson(home, { CODEX_AUTH_HOME: join(home, 'auth-home') });
    expect(result.row('openai:codex-cli')).toMatchObject({ type: 'oauth', status: 'ok', path: join(home, 'auth-home/auth.json'), expiresAt: new Date(exp * 1000).toISOString() });
    expect(result.row('openai:codex-cli-api-key')).toBeUndefined();
  });

  it.each([
    ['personalAccessToken', { personal_access_token: 'pat-PLANTED-token' }, 'openai:codex-cli', 'token', 'ok', /personal access token stored by the Codex CLI/],
    ['agentIdentity', { agent_identity: fakeJwt({ exp: Math.floor((NOW - HOUR) / 1000) }, 'PLANTEDagent') }, 'openai:codex-cli', 'token', 'expired', /agent identity stored/],
    ['bedrockApiKey', { bedrock_api_key: { api_key: 'bedrock-PLANTED-key' } }, 'amazon-bedrock:codex-cli', 'api_key', 'ok', /Bedrock API key stored/],
    ['bedrockAccessKeys', { bedrock_access_keys: { access_key_id: 'AKIAPLANTED', secret_access_key: 'PLANTED-secret' } }, 'amazon-bedrock:codex-cli', 'api_key', 'ok', /AWS access keys stored/],
    ['bedrockApiKey', { bedrock_api_key: null }, 'amazon-bedrock:codex-cli', 'api_key', 'missing', /logged out: no Bedrock API key stored/],
    ['headers', {}, 'openai:codex-cli', null, 'ok', /supplied by the host app at run time, not checked/],
  ])('auth_mode %s', async (auth_mode, fields, id, type, status, detail) => {
    const home = makeHome({ '.codex/auth.json': { json: { auth_mode, OPENAI_API_KEY: null, tokens: null, ...fields } } });
    const result = await checkJson(home);
    expect(result.row(id)).toMatchObject({ type, status });
    expect(result.row(id)!.detail).toMatch(detail);
  });

  it('no auth_mode: Codex\'s order of what is stored (PAT before API key)', async () => {
    const home = makeHome({ '.codex/auth.json': { json: { OPENAI_API_KEY: 'sk-PLANTED', personal_access_token: 'pat-PLANTED-x' } } });
    expect((await checkJson(home)).row('openai:codex-cli')).toMatchObject({ type: 'token', status: 'ok' });
  });

  it('keyring mode: held in the system keyring, not checked — not missing, exit 0', async () => {
    const home = makeHome({ '.codex/config.toml': 'model = "o3"\ncli_auth_credentials_store = "keyring"  # mac\n[profiles.x]\ncli_auth_credentials_store = "file"\n' });
    const result = await checkJson(home);
    expect(result.code).toBe(0);
    expect(result.row('openai:codex-cli')).toMatchObject({ status: 'ok', type: null });
    expect(result.row('openai:codex-cli')!.detail).toMatch(/held in the system keyring \(cli_auth_credentials_store = "keyring" in .*config.toml\), not checked/);
  });

  it('keyring mode ignores a left-over auth.json (Codex never reads it)', async () => {
    const home = makeHome({ '.codex/config.toml': "cli_auth_credentials_store = 'keyring'\n", '.codex/auth.json': { json: { auth_mode: 'chatgpt', tokens: null } } });
    const row = (await checkJson(home)).row('openai:codex-cli')!;
    expect(row.status).toBe('ok');
    expect(row.detail).toMatch(/auth.json is left over and ignored by Codex/);
  });

  it('auto mode: the file is read as the fallback; without it, the keyring row', async () => {
    const withFile = makeHome({ '.codex/config.toml': 'cli_auth_credentials_store = "auto"\n', '.codex/auth.json': { json: chatgpt } });
    const row = (await checkJson(withFile)).row('openai:codex-cli')!;
    expect(row).toMatchObject({ type: 'oauth', status: 'ok' });
    expect(row.detail).toMatch(/reads the system keyring first/);
    const without = makeHome({ '.codex/config.toml': 'cli_auth_credentials_store = "auto"\n' });
    expect((await checkJson(without)).row('openai:codex-cli')!.detail).toMatch(/held in the system keyring .*not checked/);
  });

  it('ephemeral mode, and a value Codex rejects (an error row naming the file, not a crash)', async () => {
    const ephemeral = makeHome({ '.codex/config.toml': 'cli_auth_credentials_store = "ephemeral"\n' });
    expect((await checkJson(ephemeral)).row('openai:codex-cli')!.detail).toMatch(/memory of a running Codex/);
    const bad = makeHome({ '.codex/config.toml': 'cli_auth_credentials_store = "PLANTED-vault"\n' });
    const result = await checkJson(bad);
    expect(result.code).toBe(1);
    expect(result.row('openai:codex-cli')).toMatchObject({ status: 'error' });
    expect(result.row('openai:codex-cli')!.detail).toMatch(/config.toml: cli_auth_credentials_store is not one Codex accepts/);
  });

  it('CODEX_API_KEY is its own openai row, fingerprinted, never printed', async () => {
    const home = makeHome();
    mkdirSync(join(home, '.codex'));
    const result = await checkJson(home, { CODEX_API_KEY: 'sk-PLANTED-env-key' });
    expect(result.row('openai:codex-env')).toMatchObject({ type: 'api_key', status: 'ok', path: null });
    expect(result.row('openai:codex-env')!.fingerprint).toMatch(/^[0-9a-f]{8}$/);
  });

  it('null keys everywhere never crash the reader', async () => {
    const home = makeHome({ '.codex/auth.json': { json: { auth_mode: null, OPENAI_API_KEY: null, tokens: null, last_refresh: null, agent_identity: null, personal_access_token: null, bedrock_api_key: null, bedrock_access_keys: null } } });
    expect((await checkJson(home)).row('openai:codex-cli')).toMatchObject({ status: 'missing', type: 'oauth' });
  });
});
