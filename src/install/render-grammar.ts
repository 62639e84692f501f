import { AuthwatchError } from '../core/errors.js';
import { quoteArgument } from '../core/quote-argument.js';
import { singleQuoted } from '../core/shell-word.js';

/**
 * Values written into the files the installers render (systemd units, tmpfiles.d lines, shell
 * scripts), each in its own grammar. None of these formats has a multi-line value: a newline
 * or carriage return in a path would become a line of its own (a unit's ExecStartPre=, a root
 * tmpfiles.d entry), so every control character is refused, whatever the quoting.
 */
export function refuseControlCharacters(value: string, what: string): string {
  const bad = /[\p{Cc}\u2028\u2029]/u.exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new AuthwatchError(`cannot install: ${what} ${quoteArgument(value)} contains a control character (U+${code}, e.g. a newline), which no unit file or script can hold`, {
      hint: 'give a path without control characters',
    });
  }
  return value;
}

/** systemd.syntax: a value that needs no quoting (no space, quote, backslash or `;`). */
const plainSystemd = /^[^\s"'\\;]+$/;

/** A systemd word (Environment=, ReadWritePaths=, ExecStart='s command): `%` is a specifier, quotes and `\` are C-escaped. */
export function systemdWord(value: string, what: string): string {
  const escaped = refuseControlCharacters(value, what).replace(/%/g, '%%');
  return plainSystemd.test(escaped) ? escaped : `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** ExecStart='s command: a word, and systemd runs no program whose path has a quote or backslash (its string_is_safe). */
export function systemdCommand(value: string, what: string): string {
  if (/["'\\]/.test(value)) throw new AuthwatchError(`cannot install: ${what} ${quoteArgument(value)} contains a quote or backslash, and systemd runs no program whose path has one`);
  return systemdWord(value, what);
}

/** An argument of ExecStart=: a word in which `$` is also literal (`$$`), else systemd substitutes a variable. */
export function systemdArgument(value: string, what: string): string {
  return systemdWord(value, what).replace(/\$/g, '$$$$');
}

/**
 * A path systemd takes as the rest of the line, unquoted (LoadCredential='s after `ID:`): only
 * `%` is escaped; what cannot be written that way (blanks at either end, which systemd strips,
 * a trailing `\`, which continues the line) is refused.
 */
export function systemdRestOfLine(value: string, what: string): string {
  refuseControlCharacters(value, what);
  if (/^\s|\s$|\\$/.test(value)) throw new AuthwatchError(`cannot install: ${what} ${quoteArgument(value)} starts or ends with a blank or ends with a backslash, which systemd cannot read back`);
  return value.replace(/%/g, '%%');
}

/** A tmpfiles.d path field: quoted and C-escaped like a systemd word, `%` is a specifier. */
export function tmpfilesPath(value: string, what: string): string {
  return systemdWord(value, what);
}

/** A shell word in single quotes (POSIX sh). */
export function shSingleQuoted(value: string, what: string): string {
  return singleQuoted(refuseControlCharacters(value, what));
}

/** Text inside a shell script's double quotes: `$`, `` ` ``, `"` and `\` are backslash-escaped (POSIX sh). */
export function shDoubleQuoted(value: string, what: string): string {
  return refuseControlCharacters(value, what).replace(/[$`"\\]/g, '\\$&');
}
