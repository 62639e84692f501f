import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duplicateKeys } from '../../src/sources/duplicate-keys.js';

describe('duplicateKeys', () => {
  it('finds ids repeated in the watched member only', () => {
    const text = '{"profiles":{"a:1":{"key":"x","key":"y"},"b:2":{},"a:1":{}},"other":{"z":1,"z":2}}';
    expect(duplicateKeys(text, 'profiles')).toEqual(['a:1']);
  });

  it('is not fooled by quotes, braces and backslashes inside strings, or by escaped keys', () => {
    const text = String.raw`{"profiles":{"a\"b":{"token":"}{\\\"\\"},"x\\":[{"a\"b":1}],"a\u0022b":{}, "c" : {"v":"\\\\"}, "c":{}}}`;
    expect(JSON.parse(text)).toBeTruthy();
    expect(duplicateKeys(text, 'profiles').sort()).toEqual(['a"b', 'c']);
  });

  it('says nothing when every id is unique, whatever the nesting', () => {
    const text = JSON.stringify({ version: 1, profiles: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, { n: { profiles: { p0: i } } }])) });
    expect(duplicateKeys(text, 'profiles')).toEqual([]);
  });

  it('never throws on any JSON, finds nothing where JSON.stringify wrote each key once, and finds a repeated id', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue(), fc.string(), (profiles, other, id) => {
        const text = JSON.stringify({ other, profiles });
        expect(duplicateKeys(text, 'profiles')).toEqual([]);
        const key = JSON.stringify(id);
        // The id twice with any value between: it is reported, once.
        const repeated = `{"profiles":{${key}:1,"x":${JSON.stringify(other)},${key}:2}}`;
        expect(duplicateKeys(repeated, 'profiles')).toEqual([id]);
      }),
      { numRuns: 300 },
    );
  });
});
