import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOUR, NOW } from '../helpers/clock.js';
import { makeHome } from '../helpers/home.js';
import { checkJson } from './stores-helpers.js';

const creds = { access_token: 'ya29.PLANTED', refresh_token: '1//PLANTED', expiry_date: NOW + HOUR, token_type: 'Bearer' };
const id = 'google-gemini-cli:gemini-cli';

describe('Gemini CLI stores, through the built CLI', { timeout: 30_000 }, () => {
  it('$GEMINI_CLI_HOME replaces the home that .gemini sits in', async () => {
    const home = makeHome({ 'gh/.gemini/oauth_creds.json': { json: creds } });
    const result = await checkJson(home, { GEMINI_CLI_HOME: join(home, 'gh') });
    expect(result.row(id)).toMatchObject({ status: 'ok', path: join(home, 'gh/.gemini/oauth_creds.json') });
  });

  it('encrypted storage forced: the keychain row (not checked, exit 0), the plain file ignored', async () => {
    const home = makeHome({ '.gemini/oauth_creds.json': { json: { ...creds, expiry_date: NOW - HOUR, refresh_token: '' } } });
    const result = await checkJson(home, { GEMINI_FORCE_ENCRYPTED_FILE_STORAGE: 'true' });
    expect(result.code).toBe(0);
    expect(result.row(id)).toMatchObject({ status: 'ok', type: null });
    expect(result.row(id)!.detail).toMatch(/held in the system keychain \(GEMINI_FORCE_ENCRYPTED_FILE_STORAGE=true\), not checked; .*oauth_creds.json is left over and ignored/);
  });

  it('the encrypted file gemini-credentials.json: where it is held, not checked; also when the flag is not visible to authwatch', async () => {
    const home = makeHome({ '.gemini/gemini-credentials.json': 'PLANTED0123abcd:ffee:99' });
    const forced = await checkJson(home, { GEMINI_FORCE_ENCRYPTED_FILE_STORAGE: 'true' });
    expect(forced.row(id)!.detail).toMatch(/held in Gemini CLI's encrypted file .*gemini-credentials.json, not checked$/);
    const unset = await checkJson(home);
    expect(unset.row(id)).toMatchObject({ status: 'ok', path: join(home, '.gemini/gemini-credentials.json') });
    expect(unset.row(id)!.detail).toMatch(/GEMINI_FORCE_ENCRYPTED_FILE_STORAGE is not set for authwatch/);
  });

  it('GEMINI_API_KEY in ~/.gemini/.env is a google api_key row; other keys in it are never shown', async () => {
    const home = makeHome({ '.gemini/.env': 'GOOGLE_CLOUD_PROJECT=proj\nGEMINI_API_KEY="AIzaPLANTED-key"\nOTHER_TOKEN=PLANTED-other\n' });
    const result = await checkJson(home);
    expect(result.row('google:gemini-cli')).toMatchObject({ source: 'gemini-cli', type: 'api_key', status: 'ok', path: join(home, '.gemini/.env') });
    expect(result.row('google:gemini-cli')!.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    const none = makeHome({ '.gemini/.env': 'GOOGLE_CLOUD_PROJECT=proj\n' });
    expect((await checkJson(none)).row('google:gemini-cli')).toBeUndefined();
  });

  it('an unreadable .env is an error row naming it, the login still read', async () => {
    const home = makeHome({ '.gemini/oauth_creds.json': { json: creds }, '.gemini/.env/x': 'directory in the way' });
    const result = await checkJson(home);
    expect(result.row('google:gemini-cli')).toMatchObject({ status: 'error' });
    expect(result.row('google:gemini-cli')!.detail).toMatch(/\.gemini\/\.env: /);
    expect(result.row(id)).toMatchObject({ status: 'ok' });
  });
});
