import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate/evaluate.js';
import { credentialChanges, emptyCredentialMemory, credentialKey, sameMemory, trackCredentialChanges, type CredentialMemory } from '../src/evaluate/credential-changes.js';
import { makeProfile, type Profile } from '../src/sources/source.js';
import { HOUR, NOW } from './helpers/clock.js';
import { policy } from './helpers/policy.js';

const MIN = 60_000;
const KEY = 'openclaw-db /db main/anthropic:work';
const row = (fingerprint: string | null, fields: Partial<Profile> = {}) =>
  evaluate(makeProfile({ id: 'anthropic:work', provider: 'anthropic', source: 'openclaw-db', type: 'api_key', agent: 'main', path: '/db', fingerprint: fingerprint === null ? null : { hex: fingerprint }, ...fields }), NOW, policy);
const keys = (...rows: ReturnType<typeof row>[]) => new Set(rows.map(credentialKey));

describe('credential changes', () => {
  it('sees a new fingerprint of a credential in a window, after the last run that saw the old one', () => {
    const first = trackCredentialChanges(emptyCredentialMemory(), [row('aaaa1111')], keys(row('x')), NOW);
    expect(first.credentials[KEY]).toEqual({ fingerprint: 'aaaa1111', seenAt: NOW, changedAt: null, changedAfter: null });
    expect(credentialChanges(first).size).toBe(0);
    const same = trackCredentialChanges(first, [row('aaaa1111')], keys(row('x')), NOW + 15 * MIN);
    expect(credentialChanges(same).size).toBe(0);
    const changed = trackCredentialChanges(same, [row('bbbb2222')], keys(row('x')), NOW + 30 * MIN);
    expect(credentialChanges(changed).get(KEY)).toEqual({ changedAt: NOW + 30 * MIN, changedAfter: NOW + 15 * MIN });
    // It stays known while the window lasts; once out of the window the credential is forgotten.
    expect(credentialChanges(trackCredentialChanges(changed, [row('bbbb2222')], keys(row('x')), NOW + 45 * MIN)).get(KEY)).toEqual({ changedAt: NOW + 30 * MIN, changedAfter: NOW + 15 * MIN });
    expect(trackCredentialChanges(changed, [], keys(row('x')), NOW + HOUR).credentials).toEqual({});
  });

  it('an OAuth login renewing its tokens is no change; a row with no fingerprint is not watched', () => {
    const oauth = (fp: string) => row(fp, { type: 'oauth', refreshable: true });
    const memory = trackCredentialChanges(trackCredentialChanges(emptyCredentialMemory(), [oauth('aaaa1111')], new Set(), NOW), [oauth('bbbb2222')], new Set(), NOW + HOUR);
    expect(memory.credentials).toEqual({});
    expect(trackCredentialChanges(emptyCredentialMemory(), [row(null)], new Set(), NOW).credentials).toEqual({});
  });

  it('keeps a credential this run did not read for a week (its source failed), then forgets it', () => {
    const memory = trackCredentialChanges(emptyCredentialMemory(), [row('aaaa1111')], new Set(), NOW);
    expect(trackCredentialChanges(memory, [], new Set(), NOW + 6 * 24 * HOUR).credentials[KEY]).toBeDefined();
    expect(trackCredentialChanges(memory, [], new Set(), NOW + 8 * 24 * HOUR).credentials).toEqual({});
  });

  it('a clock that went back leaves no time ahead of the run', () => {
    const ahead: CredentialMemory = { version: 1, credentials: { [KEY]: { fingerprint: 'aaaa1111', seenAt: NOW + 50 * HOUR, changedAt: null, changedAfter: null } } };
    const change = credentialChanges(trackCredentialChanges(ahead, [row('bbbb2222')], new Set(), NOW)).get(KEY)!;
    expect(change).toEqual({ changedAt: NOW, changedAfter: NOW });
  });

  it('the same id in two stores is two credentials: no change between them', () => {
    const legacy = row('bbbb2222', { source: 'openclaw', path: '/json' });
    const twice = (memory: CredentialMemory, now: number) => trackCredentialChanges(memory, [row('aaaa1111'), legacy], keys(row('x'), legacy), now);
    expect(credentialChanges(twice(twice(emptyCredentialMemory(), NOW), NOW + HOUR)).size).toBe(0);
  });

  it('sameMemory tells a run that learnt nothing', () => {
    const memory = trackCredentialChanges(emptyCredentialMemory(), [row('aaaa1111')], new Set(), NOW);
    expect(sameMemory(memory, structuredClone(memory))).toBe(true);
    expect(sameMemory(memory, trackCredentialChanges(memory, [row('aaaa1111')], new Set(), NOW + 1))).toBe(false);
    expect(sameMemory(memory, emptyCredentialMemory())).toBe(false);
  });
});
