import { describe, expect, it } from 'vitest';
import { nameForFiles, registerIfTokenLike, registerSecret, registerUrlSecrets, scrub, urlForMessages, withoutCutSecret } from '../src/core/scrub.js';

describe('scrub', () => {
  it('hides registered secrets in every form they travel in, longest first', () => {
    registerSecret('s3cr3t-value');
    registerSecret('s3cr3t-value-longer');
    expect(scrub('a s3cr3t-value-longer b')).toBe('a … b');
    expect(scrub(`x ${Buffer.from('s3cr3t-value').toString('base64')} y`)).toBe('x … y');
    expect(scrub('short abc stays')).toBe('short abc stays');
  });

  it('hides URL secrets: userinfo, a token in the path, query values — not short words', () => {
    registerUrlSecrets('https://u:pw-in-the-url@hooks.example/services/T000/B000/AbCdEfGhIjKlMnOpQrSt?format=json');
    expect(scrub('got /services/T000/B000/AbCdEfGhIjKlMnOpQrSt from pw-in-the-url')).toBe('got /services/T000/B000/… from …');
    expect(scrub('format json, services')).toBe('format json, services');
  });

  it('hides credential shapes it was never told about', () => {
    expect(scrub('{"authorization":"Bearer abc.def-ghi"}')).toBe('{"authorization":"Bearer …"}');
    expect(scrub('Authorization: Basic dXNlcjpwYXNz')).toBe('Authorization: Basic …');
    expect(scrub('Basic authentication failed')).toBe('Basic authentication failed');
    expect(scrub('see https://user:pass@example.com/x')).toBe('see https://…@example.com/x');
    expect(scrub('GET /send?chat=1&api_key=XYZ123&x=2')).toBe('GET /send?chat=1&api_key=…&x=2');
    expect(scrub('env: OPENAI_API_KEY=sk-1 PWD=/tmp')).toBe('env: OPENAI_API_KEY=… PWD=/tmp');
  });

  it('drops the start of a registered secret a cut-off answer ends in', () => {
    registerSecret('cut-off-secret-XYZ');
    expect(withoutCutSecret('he said cut-off-se')).toBe('he said …');
    expect(withoutCutSecret('nothing here')).toBe('nothing here');
  });

  it('a profile id holding a pasted token is registered; ordinary ids are not; files keep a fingerprint of it', () => {
    for (const id of ['anthropic:default', 'anthropic:me@example.com', 'openai-codex:work-profile-for-the-team', 'p3:profile-123', 'bad:date (duplicate)', 'anthropic:claude-cli (Claude Code)']) {
      registerIfTokenLike(id);
      expect(scrub(`row ${id}`)).toBe(`row ${id}`);
      expect(nameForFiles(id)).toBe(id);
    }
    registerIfTokenLike('anthropic:sk-ant-api03-PastedAsTheId0123456789');
    expect(scrub('row anthropic:sk-ant-api03-PastedAsTheId0123456789')).toBe('row anthropic:…');
    expect(nameForFiles('anthropic:sk-ant-api03-PastedAsTheId0123456789')).toMatch(/^\(fingerprint [0-9a-f]{8}\)$/);
  });

  it('shows URLs as scheme://host, with /… for any path or query', () => {
    expect(urlForMessages('https://u:p@discord.com/api/webhooks/1/tok')).toBe('https://discord.com/…');
    expect(urlForMessages('http://127.0.0.1:9093')).toBe('http://127.0.0.1:9093');
    expect(urlForMessages('http://h/?q=1')).toBe('http://h/…');
    expect(urlForMessages('not a url')).toBe('(invalid URL)');
  });
});
