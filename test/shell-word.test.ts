import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord, singleQuoted } from '../src/core/shell-word.js';

// The one rule for a shell word (src/core/shell-word.ts), checked against a real POSIX shell:
// whatever the text, `sh` reads the word back as exactly that text.
const readBack = (words: string[]) => execFileSync('/bin/sh', ['-c', `printf '%s\\n' ${words.join(' ')}`], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: '/home/someone' } });

describe('shellWord', () => {
  const texts = ['/home/u/.openclaw/agents/main/agent/auth-profiles.json', '--user=alice', 'a,b:c@d%e+f', "it's", 'two words', '~/x', '$HOME', '`id`', 'a;b', 'a*', '', 'ü'];

  it('leaves plain words as they are and quotes everything else', () => {
    expect(texts.map(shellWord)).toEqual([
      '/home/u/.openclaw/agents/main/agent/auth-profiles.json',
      '--user=alice',
      'a,b:c@d%e+f',
      `'it'\\''s'`,
      "'two words'",
      "'~/x'",
      "'$HOME'",
      "'`id`'",
      "'a;b'",
      "'a*'",
      "''",
      "'ü'",
    ]);
  });

  it('reads back through sh as the very text, quoted or not', () => {
    expect(readBack(texts.map(shellWord))).toBe(texts.map((t) => `${t}\n`).join(''));
    expect(readBack(texts.map(singleQuoted))).toBe(texts.map((t) => `${t}\n`).join(''));
  });
});
