// How authwatch writes a word for a POSIX shell (a command it shows, a fix to paste, a script it
// renders): one set of characters that need no quoting, one way of quoting the rest.

/** In single quotes nothing is special but `'` itself, written `'\''`. */
export function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** Characters no POSIX shell reads specially inside a word (Python's `shlex.quote` set; `~` is not: it expands at a word's start). */
const plain = /^[\w@%+=:,./-]+$/;

/** `text` as one shell word: as it is when it is plain, else single-quoted. */
export function shellWord(text: string): string {
  return plain.test(text) ? text : singleQuoted(text);
}
