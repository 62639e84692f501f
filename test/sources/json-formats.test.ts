import { describe, expect, it } from 'vitest';
import { readAlertState } from '../../src/alerts/state-format.js';
import type { Read } from '../../src/core/json-reader.js';
import { readClaudeCredentials } from '../../src/sources/claude-code.js';
import { readOAuthCreds } from '../../src/sources/cli-oauth-creds.js';
import { readCodexAuth } from '../../src/sources/codex.js';
import { readOpenclawModelDefaults } from '../../src/sources/openclaw-config.js';
import { readCredential, readStateDocument, readStoreDocument, readUsageStats } from '../../src/sources/openclaw-store-format.js';

// Each external format has one reader, its only definition: what it accepts (and the value it
// makes of it) and what it rejects, with the exact `path: problem` lines a user sees.

const expected = (what: string, received: string) => `Invalid input: expected ${what}, received ${received}`;
const rejects = (read: Read<unknown>) => (read.ok ? ['(accepted)'] : read.problems);

describe('~/.claude/.credentials.json', () => {
  it('accepts a login, keeps the fields it uses, ignores a plan of another type and other fields', () => {
    expect(readClaudeCredentials({ claudeAiOauth: { accessToken: 'a', refreshToken: 'r', expiresAt: 5, subscriptionType: 'max', scopes: ['x'] }, other: 1 })).toEqual({
      ok: true,
      value: { accessToken: 'a', refreshToken: 'r', expiresAt: 5, subscriptionType: 'max' },
    });
    expect(readClaudeCredentials({ claudeAiOauth: { accessToken: 'a', subscriptionType: 5 } })).toEqual({ ok: true, value: { accessToken: 'a' } });
  });

  it.each([
    [null, [expected('object', 'null')]],
    [[1], [expected('object', 'array')]],
    [{}, ['claudeAiOauth: missing the claudeAiOauth object']],
    [{ claudeAiOauth: 5 }, ['claudeAiOauth: missing the claudeAiOauth object']],
    [{ claudeAiOauth: { accessToken: null, refreshToken: 3 } }, [`claudeAiOauth.accessToken: ${expected('string', 'null')}`, `claudeAiOauth.refreshToken: ${expected('string', 'number')}`]],
  ])('rejects %j', (document, problems) => expect(rejects(readClaudeCredentials(document))).toEqual(problems));
});

describe('~/.codex/auth.json', () => {
  it('accepts what Codex writes, null for what it does not have', () => {
    const document = { auth_mode: 'chatgpt', OPENAI_API_KEY: null, tokens: { access_token: 'a', refresh_token: 'r', id_token: 'i', account_id: 'x' }, last_refresh: 't' };
    expect(readCodexAuth(document)).toEqual({ ok: true, value: { auth_mode: 'chatgpt', tokens: { access_token: 'a', refresh_token: 'r', account_id: 'x' }, last_refresh: 't' } });
    expect(readCodexAuth({ tokens: null, auth_mode: null, last_refresh: null })).toEqual({ ok: true, value: {} });
  });

  it.each([
    ['x', [expected('object', 'string')]],
    [{ tokens: [] }, [`tokens: ${expected('object', 'array')}`]],
    [
      { tokens: { access_token: 42 }, auth_mode: 1, OPENAI_API_KEY: {} },
      [`auth_mode: ${expected('string', 'number')}`, `OPENAI_API_KEY: ${expected('string', 'object')}`, `tokens.access_token: ${expected('string', 'number')}`],
    ],
  ])('rejects %j', (document, problems) => expect(rejects(readCodexAuth(document))).toEqual(problems));
});

describe('oauth_creds.json (Gemini, Qwen, MiniMax)', () => {
  it('accepts tokens, null ones, and any expiry_date (checked where it is used)', () => {
    expect(readOAuthCreds({ access_token: 'a', refresh_token: null, expiry_date: '5', scope: 's' })).toEqual({ ok: true, value: { access_token: 'a', expiry_date: '5' } });
  });

  it('rejects tokens of another type', () => {
    expect(rejects(readOAuthCreds({ access_token: 5, refresh_token: [] }))).toEqual([`access_token: ${expected('string', 'number')}`, `refresh_token: ${expected('string', 'array')}`]);
  });
});

describe('OpenClaw auth-profiles.json and auth-state.json', () => {
  it('the store: profiles as they are (each read on its own), usage stats that are not an object are none', () => {
    const profiles = { 'a:b': { type: 'api_key' }, 'c:d': 5 };
    expect(readStoreDocument({ version: 1, profiles, usageStats: { 'a:b': {} } })).toEqual({ ok: true, value: { profiles, order: {}, usageStats: { 'a:b': {} } } });
    expect(readStoreDocument({ profiles: {}, usageStats: [] })).toEqual({ ok: true, value: { profiles: {}, order: {} } });
    // The store's `order`, read as OpenClaw does: provider ids lower-cased, ids that are not strings dropped, a bad order none.
    expect(readStoreDocument({ profiles: {}, order: { ' Anthropic ': ['a:b', 5, 'c:d'], x: 'a:b' } })).toEqual({ ok: true, value: { profiles: {}, order: { anthropic: ['a:b', 'c:d'] } } });
    expect(readStoreDocument({ profiles: {}, order: [] })).toEqual({ ok: true, value: { profiles: {}, order: {} } });
  });

  it.each([[{ profiles: [] }], [{}], [{ profiles: null }]])('the store rejects %j', (document) =>
    expect(rejects(readStoreDocument(document))).toEqual(['profiles: must be an object mapping profile ids to credentials']),
  );

  it('the state: usage stats must be an object when there', () => {
    expect(readStateDocument({ version: 1 })).toEqual({ ok: true, value: { order: {} } });
    expect(rejects(readStateDocument({ usageStats: [] }))).toEqual([`usageStats: ${expected('object', 'array')}`]);
    expect(rejects(readStateDocument({ usageStats: null }))).toEqual([`usageStats: ${expected('object', 'null')}`]);
  });

  it('usage stats entries are read leniently: a bad field is no field, a bad entry no entry', () => {
    expect(readUsageStats({ 'a:b': { cooldownUntil: 'x', disabledUntil: 1.5, disabledReason: 3 }, 'c:d': 7, 'e:f': { cooldownUntil: 9, disabledReason: 'billing' } })).toEqual({
      'a:b': { disabledUntil: 1.5 },
      'e:f': { cooldownUntil: 9, disabledReason: 'billing' },
    });
    expect(readUsageStats(undefined)).toEqual({});
    // Reasons and model names are shown and exported as labels: only when they read as OpenClaw writes them.
    const pasted = readUsageStats({ 'a:b': { disabledReason: 'sk-ant-oat01-Zx9QpL2mVb7RtY4wKc8NsD', cooldownReason: 'rate_limit', cooldownModel: 'claude-opus-4-6', blockedReason: 'Bearer eyJhbGciOiJIUzI1NiJ9' } })['a:b'];
    expect(pasted).toMatchObject({ disabledReason: '(not shown)', cooldownReason: 'rate_limit', cooldownModel: 'claude-opus-4-6', blockedReason: '(not shown)' });
  });
});

describe('an OpenClaw credential (one entry of profiles)', () => {
  it('accepts each type with the fields it uses; setup.replacement marks it replaced, a setup of another shape is ignored', () => {
    expect(readCredential('a:b', { type: 'api_key', provider: 'openai', key: 'k', email: 'x' })).toEqual({ ok: true, value: { type: 'api_key', provider: 'openai', replaced: false, key: 'k' } });
    // OpenClaw keeps `setup` only in its saved-setup shape (a boolean replacement, a modelRef and a configJson).
    const saved = { replacement: true, modelRef: 'anthropic/claude-opus-4-6', configJson: '{}' };
    expect(readCredential('a:b', { type: 'token', provider: 'anthropic', tokenRef: { source: 'env', id: 'T', provider: 'default' }, expires: 'soon', setup: saved })).toEqual({
      ok: true,
      value: { type: 'token', provider: 'anthropic', replaced: true, tokenRef: { source: 'env', id: 'T' }, expires: 'soon' },
    });
    expect(readCredential('a:b', { type: 'token', provider: 'anthropic', token: 't', setup: { replacement: 1 } })).toMatchObject({ ok: true, value: { replaced: false } });
    expect(readCredential('a:b', { type: 'oauth', provider: 'x', access: 'a', refresh: 'r', oauthRef: { id: 'z' }, setup: 5 })).toEqual({
      ok: true,
      value: { type: 'oauth', provider: 'x', replaced: false, access: 'a', refresh: 'r', oauthRef: { id: 'z' } },
    });
  });

  it.each([
    [null, 'profile "p:x" is not an object'],
    [[1], 'profile "p:x" is not an object'],
    [{ provider: 'p' }, 'profile "p:x": type is missing (expected api_key, token or oauth)'],
    [{ type: 'magic' }, 'profile "p:x": unknown credential type "magic" (expected api_key, token or oauth)'],
    [{ type: 'sk-ant-SECRET-pasted-here' }, 'profile "p:x": unknown credential type value (expected api_key, token or oauth)'],
    [{ type: 'api_key' }, `profile "p:x": provider: ${expected('string', 'undefined')}`],
    [{ type: 'api_key', provider: '' }, 'profile "p:x": provider: must not be empty'],
    // A key that is not a string is no key (OpenClaw's loader drops it); a malformed keyRef is an error.
    [{ type: 'api_key', provider: 'a', key: 5, keyRef: 'x' }, `profile "p:x": keyRef: ${expected('object', 'string')}`],
    [{ type: 'api_key', provider: 'a', keyRef: { source: 1 } }, `profile "p:x": keyRef.source: ${expected('string', 'number')}; keyRef.id: ${expected('string', 'undefined')}`],
    [{ type: 'oauth', provider: 'a', oauthRef: {}, access: null }, `profile "p:x": access: ${expected('string', 'null')}; oauthRef.id: ${expected('string', 'undefined')}`],
    [{ type: 'token', provider: 'a', tokenRef: [] }, `profile "p:x": tokenRef: ${expected('object', 'array')}`],
  ])('rejects %j', (entry, problem) => expect(rejects(readCredential('p:x', entry))).toEqual([problem]));
});

describe('openclaw.json (the default agent models)', () => {
  it('accepts a model name or a primary with fallbacks, and a config without them', () => {
    expect(readOpenclawModelDefaults({ agents: { defaults: { model: 'anthropic/claude', imageModel: { primary: 'google/g', fallbacks: ['x/y'] }, other: 1 } }, gateway: {} })).toEqual({
      ok: true,
      value: { model: 'anthropic/claude', imageModel: { primary: 'google/g', fallbacks: ['x/y'] } },
    });
    expect(readOpenclawModelDefaults({ agents: {} })).toEqual({ ok: true, value: {} });
  });

  it.each([
    [{ agents: 5 }, [`agents: ${expected('object', 'number')}`]],
    [{ agents: { defaults: [] } }, [`agents.defaults: ${expected('object', 'array')}`]],
    [{ agents: { defaults: { model: 5 } } }, [`agents.defaults.model: ${expected('a model name or an object with primary and fallbacks', 'number')}`]],
    [{ agents: { defaults: { model: { primary: 5 } } } }, [`agents.defaults.model.primary: ${expected('string', 'number')}`]],
    [{ agents: { defaults: { imageModel: { fallbacks: ['a', 3] } } } }, [`agents.defaults.imageModel.fallbacks[1]: ${expected('string', 'number')}`]],
    [{ agents: { defaults: { imageModel: { fallbacks: 'a' } } } }, [`agents.defaults.imageModel.fallbacks: ${expected('array', 'string')}`]],
  ])('rejects %j', (document, problems) => expect(rejects(readOpenclawModelDefaults(document))).toEqual(problems));
});

describe('the alert state (state.json)', () => {
  const written = {
    version: 1,
    profiles: { 'a/p:1': { status: 'expiring', since: 5, fingerprint: null } },
    channels: { mail: { told: { 'a/p:1': { status: 'expiring', at: 6, fingerprint: 'abcd1234' } }, failures: 0, retryAt: null, lastError: null } },
  };

  it('reads back what authwatch writes; keys it does not know are dropped', () => {
    expect(readAlertState(written)).toEqual({ ok: true, value: written });
    // A profile's fingerprint, written by authwatch before it stopped keeping one, is not kept.
    expect(readAlertState({ ...written, profiles: { 'a/p:1': { ...written.profiles['a/p:1'], fingerprint: 'abcd1234' } } })).toEqual({ ok: true, value: written });
    expect(readAlertState({ ...written, extra: 1, profiles: { 'a/p:1': { ...written.profiles['a/p:1'], more: 2 } } })).toEqual({ ok: true, value: written });
    const proto = readAlertState(JSON.parse('{"version":1,"profiles":{"__proto__":{"status":"ok","since":1,"fingerprint":null}},"channels":{}}'));
    expect(proto.ok && Object.keys(proto.value.profiles)).toEqual(['__proto__']);
  });

  it('rejects one that is not as written, naming each problem', () => {
    const bad = { version: 2, profiles: [], channels: { a: { told: { k: { status: 'fine', at: 'x', fingerprint: 3 } }, failures: -1, retryAt: 'x', lastError: 1 } } };
    expect(rejects(readAlertState(bad))).toEqual([
      'version: Invalid input: expected 1',
      `profiles: ${expected('object', 'array')}`,
      `channels.a.told.k.status: ${expected('one of ok, expiring, expired, missing, error', 'string')}`,
      `channels.a.told.k.at: ${expected('number', 'string')}`,
      `channels.a.told.k.fingerprint: ${expected('string', 'number')}`,
      `channels.a.failures: ${expected('a count (0 or more)', 'number')}`,
      `channels.a.retryAt: ${expected('number', 'string')}`,
      `channels.a.lastError: ${expected('string', 'number')}`,
    ]);
    expect(rejects(readAlertState({ ...written, channels: { mail: { ...written.channels.mail, failures: 1.5 } } }))).toEqual([`channels.mail.failures: ${expected('a count (0 or more)', 'number')}`]);
    expect(rejects(readAlertState({ ...written, channels: { mail: 5 } }))).toEqual([`channels.mail: ${expected('object', 'number')}`]);
  });
});
