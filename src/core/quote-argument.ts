/**
 * An argument (a command, a flag, a path) as an error message may show it. One pasted in the
 * wrong place may be a token, so only an argument that reads as words — short pieces of
 * ordinary characters — is quoted; a token-like one is described by its kind and length,
 * never a character past its well-known prefix: "(an argument that looks like a token:
 * sk-ant-…, 108 characters)". Either reads in place of the argument in a message.
 */
export function quoteArgument(arg: string): string {
  const length = `${arg.length} character${arg.length === 1 ? '' : 's'}`;
  const prefix = knownPrefix(arg);
  if (prefix !== undefined) return `(an argument that looks like a token: ${prefix}…, ${length})`;
  if (!ordinary.test(arg) || arg.length > 200) return `(an argument of ${length})`;
  if (arg.split(/[/_.~+@,:=%# -]+/).some(tokenLike)) return `(an argument that looks like a token: ${length})`;
  return `'${arg}'`;
}

/** Whether text carries a token: a well-known token prefix, or a long run that is not a word. */
export function looksLikeToken(text: string): boolean {
  return knownPrefix(text) !== undefined || text.split(/[/_.~+@,:=%# -]+/).some(tokenLike);
}

/** Whether text from outside reads as words (a reason, a model name) and so may be shown as it is. */
export function readsAsWords(text: string): boolean {
  return ordinary.test(text) && text.length <= 200 && !looksLikeToken(text);
}

// Prefixes that name a token's kind (and carry none of its secret), longest first.
const tokenPrefixes = ['sk-ant-', 'sk-proj-', 'sk-or-', 'sk-', 'github_pat_', 'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'glpat-', 'xoxb-', 'xoxp-', 'xoxa-', 'xoxe-', 'xoxr-', 'xoxs-', 'xapp-', 'eyJ', 'AIza', 'AKIA', 'ya29.', 'hf_', 'gsk_', 'r8_'];

/** The token prefix any part of the argument starts with (a flag's or a path's part, too). */
function knownPrefix(arg: string): string | undefined {
  for (const part of arg.split(/[/=]/)) {
    const bare = part.replace(/^-+/, '');
    const prefix = tokenPrefixes.find((p) => bare.startsWith(p));
    if (prefix !== undefined) return prefix;
  }
  return undefined;
}

/** Letters and digits of any script, and the punctuation of flags and paths; no quotes, no control characters. */
const ordinary = /^[\p{L}\p{N}/_.~+@,:=%# -]*$/u;

/** A run of 16 or more characters that is not one lower-case word: base64, hex, mixed case. */
function tokenLike(piece: string): boolean {
  return piece.length >= 16 && !/^\p{Ll}+$/u.test(piece);
}
