import { parseArgs } from 'node:util';
import { quoteArgument } from '../core/quote-argument.js';
import { closest } from '../core/suggest.js';

/** A command's options: each a string or a boolean flag, with at most a one-letter alias. */
export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export type OptionValues<T extends OptionSpec> = { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string };

/** A command line that does not fit the command's options; the message names the argument. */
export class ArgumentError extends Error {
  override name = 'ArgumentError';
}

/**
 * Node's util.parseArgs, strict, with messages of our own: its own quote the argument whole
 * (a token pasted in the wrong place would be echoed) and suggest no near option name.
 */
export function parseOptions<T extends OptionSpec>(
  argv: readonly string[],
  options: T,
  allowPositionals = false,
): { values: OptionValues<T>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, strict: true, allowPositionals });
    return { values: { ...values } as OptionValues<T>, positionals };
  } catch (error) {
    if (!(error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_'))) throw error;
    throw new ArgumentError(whatDoesNotFit(argv, options));
  }
}

/** The first argument util.parseArgs refused, said without echoing anything token-like. */
function whatDoesNotFit(argv: readonly string[], options: OptionSpec): string {
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind === 'positional') return `Unexpected argument ${quoteArgument(token.value)}`;
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (spec === undefined) {
      const flag = token.rawName.startsWith('--') ? token.rawName : argv[token.index]!;
      const near = flag.startsWith('--') ? closest(token.name, Object.keys(options)) : null;
      return `Unknown option ${quoteArgument(flag)}${near ? ` (did you mean --${near}?)` : ''}`;
    }
    if (spec.type === 'boolean' && token.inlineValue) return `Option '--${token.name}' does not take an argument`;
    // `--warn --json` is a forgotten value, not the value "--json" (write --warn=-1 for such a value).
    if (spec.type === 'string' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) {
      return `Option '--${token.name} <value>' argument missing`;
    }
  }
  return 'the arguments do not fit the command';
}
