import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseOptions } from '../src/cli/args.js';
import { quoteArgument } from '../src/core/quote-argument.js';

const options = {
  warn: { type: 'string' },
  json: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

describe('command-line options', () => {
  it('reads values, flags, aliases, repeats and positionals after --', () => {
    expect(parseOptions(['--warn', '48h', '--json'], options)).toEqual({ values: { warn: '48h', json: true }, positionals: [] });
    expect(parseOptions(['--warn=', '-h', '--warn=1h', '--warn', '2h'], options)).toEqual({ values: { warn: '2h', help: true }, positionals: [] });
    expect(parseOptions(['a', '--no-color', 'b', '--', '--warn', '-x'], options, true)).toEqual({ values: { 'no-color': true }, positionals: ['a', 'b', '--warn', '-x'] });
    expect(parseOptions(['-'], options, true)).toEqual({ values: {}, positionals: ['-'] });
  });

  it('refuses what util.parseArgs refuses, in words of its own that name the argument and a near option', () => {
    const refused: [string[], string][] = [
      [['--bogus'], "Unknown option '--bogus'"],
      [['--jsno'], "Unknown option '--jsno' (did you mean --json?)"],
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

  it('never quotes a token-like argument: its kind and length only, none of its characters past the prefix', () => {
    const tokens: [string, string][] = [
      ['sk-ant-oat01-PLANTEDSECRETPLANTEDSECRET', 'sk-ant-'],
      ['ghp_PLANTEDSECRETPLANTEDSECRET', 'ghp_'],
      ['xoxb-PLANTED-SECRETPLANT', 'xoxb-'],
      ['eyJhbGciOiJIUzI1NiJ9.eyJQLANTED.PLANTEDsig', 'eyJ'],
    ];
    for (const [token, prefix] of tokens) {
      for (const argv of [[token], [`-${token}`], [`--${token}=x`], [`--json=${token}`]]) {
        let message = '';
        try {
          parseOptions(argv, options);
        } catch (error) {
          message = (error as Error).message;
        }
        if (argv[0]!.startsWith('--json=')) {
          expect(message).toBe("Option '--json' does not take an argument");
          continue;
        }
        expect(message, argv[0]).toMatch(new RegExp(`^(Unknown option|Unexpected argument) \\(an argument that looks like a token: ${prefix.replace('.', '\\.')}…, \\d+ characters\\)$`));
        expect(message).not.toMatch(/PLANT|QLANT|SECRET/);
      }
    }
  });

  it('a token without a known prefix is still only described; words, flags and paths are quoted', () => {
    expect(quoteArgument('chek')).toBe("'chek'");
    expect(quoteArgument('--bogus')).toBe("'--bogus'");
    expect(quoteArgument('/var/lib/node_exporter/textfile_collector/authwatch-backup-2026.prom')).toBe("'/var/lib/node_exporter/textfile_collector/authwatch-backup-2026.prom'");
    expect(quoteArgument('/tmp/Q7fPLANTEDx9ZkLmN3vB8wQ2.prom')).toBe('(an argument that looks like a token: 34 characters)');
    expect(quoteArgument('a3f9c2e81b7d4f6a9e0c5b2d8f1a7e3c')).toBe('(an argument that looks like a token: 32 characters)');
    expect(quoteArgument('/home/me/sk-ant-PLANTED/x.json5')).toBe('(an argument that looks like a token: sk-ant-…, 31 characters)');
    expect(quoteArgument('bad\nline')).toBe('(an argument of 8 characters)');
    expect(quoteArgument(`/${'a'.repeat(300)}`)).toBe('(an argument of 301 characters)');
  });
});
