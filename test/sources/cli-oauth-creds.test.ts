import { describe, expect, it } from 'vitest';
import { minimaxCli, qwenCli } from '../../src/sources/cli-oauth-creds.js';
import { geminiCli } from '../../src/sources/gemini-cli.js';
import { HOUR, NOW } from '../helpers/clock.js';
import { contextFor } from '../helpers/context.js';
import { makeHome } from '../helpers/home.js';

const cases = [
  { source: geminiCli, dir: '.gemini', id: 'google-gemini-cli:gemini-cli', provider: 'google-gemini-cli' },
  { source: qwenCli, dir: '.qwen', id: 'qwen-portal:qwen-cli', provider: 'qwen-portal' },
  { source: minimaxCli, dir: '.minimax', id: 'minimax-portal:minimax-cli', provider: 'minimax-portal' },
];

describe.each(cases)('$dir/oauth_creds.json', ({ source, dir, id, provider }) => {
  const file = `${dir}/oauth_creds.json`;

  it('a login with a refresh token: refreshable OAuth with expiry_date in ms; extra fields ignored', async () => {
    const home = makeHome({
      [file]: { json: { access_token: 'ya29.PLANTED', refresh_token: '1//PLANTED', scope: 's', token_type: 'Bearer', id_token: 'x.y.z', expiry_date: NOW + HOUR, extra: { nested: true } } },
    });
    const { profiles, visits } = await source.read(contextFor(home));
    expect(profiles).toEqual([expect.objectContaining({ id, provider, type: 'oauth', refreshable: true, expiresAt: NOW + HOUR, secret: 'present' })]);
    expect(visits[0]).toMatchObject({ found: true, ok: true });
    expect(JSON.stringify(profiles)).not.toContain('PLANTED');
  });

  it('without a refresh token it is not refreshable; without tokens it is missing', async () => {
    const noRefresh = await source.read(contextFor(makeHome({ [file]: { json: { access_token: 'a', expiry_date: NOW + HOUR } } })));
    expect(noRefresh.profiles[0]).toMatchObject({ refreshable: false, secret: 'present' });
    const empty = await source.read(contextFor(makeHome({ [file]: { json: {} } })));
    expect(empty.profiles[0]).toMatchObject({ secret: 'absent' });
  });

  it.each([
    ['expiry_date in seconds', { access_token: 'a', expiry_date: 1790000000 }, /expiry_date is 1790000000, which looks like seconds/],
    ['expiry_date as a string', { access_token: 'a', expiry_date: '1790000000000' }, /expiry_date must be a number of epoch milliseconds, found a string/],
    ['access_token of the wrong type', { access_token: 5 }, /unexpected content: access_token:/],
  ])('%s is an error row naming the file', async (_name, json, message) => {
    const home = makeHome({ [file]: { json } });
    const { profiles } = await source.read(contextFor(home));
    expect(profiles[0]!.problem).toMatch(message);
    expect(profiles[0]!.problem).toContain(`${home}/${file}`);
  });

  it('no file: nothing, just a visit', async () => {
    const { profiles, visits } = await source.read(contextFor(makeHome()));
    expect(profiles).toEqual([]);
    expect(visits[0]).toMatchObject({ found: false });
  });
});
