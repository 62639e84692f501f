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
 * Strict parsing of a command's arguments: `--name value`, `--name=value`, `--flag`, a short
 * alias (`-h`), and `--` before arguments that start with "-". What Node's util.parseArgs does
 * for these options, with its messages (a test holds them equal), without loading util's
 * parser on every start (docs/performance.md has the figures).
 */
export function parseOptions<T extends OptionSpec>(
  argv: readonly string[],
  options: T,
  allowPositionals = false,
): { values: OptionValues<T>; positionals: string[] } {
  const values: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const inline = equals > 0 ? arg.slice(equals + 1) : undefined;
    const name = flag.startsWith('--') ? flag.slice(2) : Object.keys(options).find((key) => options[key]!.short === flag.slice(1));
    const spec = name !== undefined && Object.hasOwn(options, name) ? options[name]! : undefined;
    if (name === undefined || spec === undefined) {
      const near = flag.startsWith('--') ? closest(flag.slice(2), Object.keys(options)) : null;
      throw new ArgumentError(`Unknown option ${quoteArgument(flag)}${near ? ` (did you mean --${near}?)` : ''}`);
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined) throw new ArgumentError(`Option '--${name}' does not take an argument`);
      values[name] = true;
      continue;
    }
    const value = inline ?? argv[index + 1];
    // `--warn --json` is a forgotten value, not the value "--json" (write --warn=-1 for such a value).
    if (value === undefined || (inline === undefined && value.startsWith('-'))) throw new ArgumentError(`Option '--${name} <value>' argument missing`);
    if (inline === undefined) index++;
    values[name] = value;
  }
  if (!allowPositionals && positionals.length > 0) throw new ArgumentError(`Unexpected argument ${quoteArgument(positionals[0]!)}`);
  return { values: values as OptionValues<T>, positionals };
}
