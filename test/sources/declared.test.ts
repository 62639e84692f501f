import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/schema.js';
import { readDeclared } from '../../src/sources/declared.js';
import { DAY, NOW } from '../helpers/clock.js';
import { contextFor } from '../helpers/context.js';
import { makeHome } from '../helpers/home.js';
import { fakeJwt } from '../helpers/jwt.js';

const declare = (entries: unknown[]) => parseConfig({ declared: entries }, 'config.json5').declared;
const later = NOW + 30 * DAY;

describe('declared profiles', () => {
  it('reads an expiry from a JSON file by dot path or JSON pointer, in ms, s, ISO or a JWT', async () => {
    const home = makeHome({
      'creds.json': { json: { a: { b: [{ ms: later, s: later / 1000, iso: new Date(later).toISOString(), 'x/y': later }] }, token: fakeJwt({ exp: later / 1000 }), extra: { unknown: true } } },
    });
    const file = join(home, 'creds.json');
    const entries = declare([
      { id: 'ms', provider: 'p', file, field: 'a.b.0.ms', unit: 'ms' },
      { id: 's', provider: 'p', file, field: '/a/b/0/s', unit: 's' },
      { id: 'iso', provider: 'p', file, field: 'a.b.0.iso', unit: 'iso' },
      { id: 'pointer-escape', provider: 'p', file, field: '/a/b/0/x~1y', unit: 'ms' },
      { id: 'jwt', provider: 'p', file, field: 'token', unit: 'jwt' },
    ]);
    const { profiles } = await readDeclared(entries, contextFor(home));
    expect(profiles.map((p) => [p.id, p.expiresAt, p.problem])).toEqual([
      ['ms', later, null],
      ['s', later, null],
      ['iso', later, null],
      ['pointer-escape', later, null],
      ['jwt', later, null],
    ]);
  });

  it.each([
    ['seconds where ms were declared', { v: 1790000000 }, 'v', 'ms', /field v is 1790000000, which looks like seconds, not milliseconds/],
    ['a missing field', { other: 1 }, 'v', 'ms', /field v not found/],
    ['an empty object', {}, 'v.w', 's', /field v\.w not found/],
    ['a string that is not a date', { v: 'soon' }, 'v', 'iso', /field v is not an ISO-8601 date-time \(unit iso\)/],
    ['not a JWT', { v: 'abc' }, 'v', 'jwt', /field v is not a JWT with an exp claim/],
    ['a JWT whose exp is beyond any date', { v: fakeJwt({ exp: 1e20 }) }, 'v', 'jwt', /field v its exp claim 1e20 is not a valid time: beyond the largest valid date/],
    ['seconds beyond any date', { v: 1e13 }, 'v', 's', /field v 10000000000000 is not a valid time: beyond the largest valid date/],
    ['an ISO date before 1970', { v: '1969-12-31T00:00:00Z' }, 'v', 'iso', /field v is not a valid time \(before 1970\)/],
    ['an ISO date-time without an offset (it would mean another instant under each TZ)', { v: '2026-11-25T06:00:00' }, 'v', 'iso', /field v 2026-11-25T06:00:00: a date-time needs its time zone offset: add Z or \+01:00 .*\(unit iso\)/],
    ['an ISO date that does not exist', { v: '2027-02-29T06:00:00Z' }, 'v', 'iso', /field v 2027-02-29T06:00:00Z: 2027-02-29T06:00:00 is not a real date/],
    ['an ISO day past the end of its month', { v: '2026-11-31' }, 'v', 'iso', /field v 2026-11-31: 2026-11-31 is not a real date/],
    ['Infinity seconds', { v: '1e999' }, 'v', 's', /field v must be a number of epoch seconds, found a string/],
  ])('%s is an error row naming the file and field', async (_name, json, field, unit, message) => {
    const home = makeHome({ 'creds.json': { json } });
    const [entry] = declare([{ id: 'x', provider: 'p', file: join(home, 'creds.json'), field, unit }]);
    const { profiles } = await readDeclared([entry!], contextFor(home));
    expect(profiles[0]!.problem).toMatch(message);
    expect(profiles[0]!.problem).toContain(join(home, 'creds.json'));
  });

  it('a declared file that does not exist is missing; others are still read', async () => {
    const home = makeHome({ 'ok.json': { json: { v: later } } });
    const entries = declare([
      { id: 'gone', provider: 'p', file: join(home, 'gone.json'), field: 'v', unit: 'ms' },
      { id: 'ok', provider: 'p', file: join(home, 'ok.json'), field: 'v', unit: 'ms' },
    ]);
    const { profiles } = await readDeclared(entries, contextFor(home));
    expect(profiles.map((p) => [p.id, p.secret, p.problem])).toEqual([
      ['gone', 'absent', null],
      ['ok', 'present', null],
    ]);
  });

  it('an env declaration with a known expiry; unset is missing', async () => {
    const entries = declare([
      { id: 'env:PAT', provider: 'github-copilot', env: 'PAT', expiresAt: '2027-01-01T00:00:00Z' },
      { id: 'env:OTHER', provider: 'x', env: 'OTHER' },
    ]);
    const { profiles } = await readDeclared(entries, contextFor(makeHome(), { PAT: 'ghp_PLANTED' }));
    expect(profiles.map((p) => [p.id, p.secret, p.expiresAt])).toEqual([
      ['env:PAT', 'present', Date.parse('2027-01-01T00:00:00Z')],
      ['env:OTHER', 'absent', null],
    ]);
    expect(JSON.stringify(profiles)).not.toContain('PLANTED');
  });

  it('a command prints the expiry; a failing or silent one is an error row', async () => {
    const entries = declare([
      { id: 'cmd', provider: 'p', command: ['node', '-e', `console.log(new Date(${later}).toISOString())`], unit: 'iso' },
      { id: 'fails', provider: 'p', command: ['false'], unit: 'iso' },
      { id: 'garbage', provider: 'p', command: ['echo', 'tomorrow'], unit: 's' },
    ]);
    const { profiles } = await readDeclared(entries, contextFor(makeHome()));
    expect(profiles[0]).toMatchObject({ id: 'cmd', expiresAt: later, problem: null });
    expect(profiles[1]!.problem).toBe('declared[1] (fails): `false` exited with 1');
    expect(profiles[2]!.problem).toMatch(/declared\[2\] \(garbage\): `echo …` printed something that must be a number/);
  });

  it('a declaration of no known shape is a config error naming the entry', () => {
    expect(() => declare([{ id: 'x', provider: 'p', file: '/x' }])).toThrow(/config\.json5: declared\[0\]/);
  });
});
