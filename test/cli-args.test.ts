import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../src/cli/args.js';

const options = {
  warn: { type: 'string' },
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

describe('command-line options', () => {
  it('reads what util.parseArgs reads, the same way', () => {
    const lines: [string[], boolean][] = [
      [[], false],
      [['--warn', '48h', '--json'], false],
      [['--warn=48h', '--no-color'], false],
      [['--warn=', '-h'], false],
      [['--warn', '1h', '--warn', '2h'], false],
      [['a', '--json', 'b', '--', '--warn', '-x'], true],
      [['-'], true],
    ];
    for (const [argv, allowPositionals] of lines) {
      const theirs = parseArgs({ args: argv, options, strict: true, allowPositionals });
      expect(parseOptions(argv, options, allowPositionals), argv.join(' ')).toEqual({ values: { ...theirs.values }, positionals: theirs.positionals });
    }
  });

  it('refuses what util.parseArgs refuses, with its words', () => {
    const refused: [string[], string][] = [
      [['--bogus'], "Unknown option '--bogus'"],
      [['-x'], "Unknown option '-x'"],
      [['--toString'], "Unknown option '--toString'"],
      [['--json=yes'], "Option '--json' does not take an argument"],
      [['--warn'], "Option '--warn <value>' argument missing"],
      [['--warn', '--json'], "Option '--warn <value>' argument missing"],
      [['stray'], "Unexpected argument 'stray'"],
    ];
    for (const [argv, message] of refused) {
      expect(() => parseOptions(argv, options), argv.join(' ')).toThrow(message);
      expect(() => parseArgs({ args: argv, options, strict: true }), argv.join(' ')).toThrow();
    }
  });

  it('never quotes more than the start of a long argument: it may be a token pasted in the wrong place', () => {
    // The secret part may start early (GitHub's tokens: four characters in).
    for (const argv of ['sk-ant-oat01-PLANTEDSECRETPLANTEDSECRET', 'ghp_PLANTEDSECRETPLANTEDSECRET'].flatMap((token) => [[token], [`-${token}`], [`--${token}=x`]])) {
      let message = '';
      try {
        parseOptions(argv, options);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, argv[0]).toMatch(/^(Unknown option|Unexpected argument) '.{1,6}…'$/);
      expect(message).not.toContain('PLANT');
    }
  });
});
