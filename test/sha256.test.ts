import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../src/core/fingerprint.js';
import { sha256Hex } from '../src/core/sha256.js';

const nodeSha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('SHA-256 in JavaScript (the fingerprints of a typical check)', () => {
  it('matches the FIPS 180-4 examples and the padding edges (55, 56, 63, 64, 119 bytes)', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    for (const length of [55, 56, 63, 64, 65, 119, 120, 1000]) expect(sha256Hex('x'.repeat(length)), `${length} bytes`).toBe(nodeSha256('x'.repeat(length)));
  });

  it('equals node:crypto on any text, multi-byte UTF-8 and lone surrogates included', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 100 })), (text) => {
        expect(sha256Hex(text)).toBe(nodeSha256(text));
      }),
      { numRuns: 500 },
    );
  });

  it('fingerprints are the same before and after the switch to node:crypto', () => {
    const secrets = Array.from({ length: 100 }, (_, i) => `sk-ant-oat01-${i}-${'z'.repeat(i % 90)}`);
    for (const secret of secrets) expect(fingerprint(secret)).toBe(nodeSha256(secret).slice(0, 8));
  });
});
