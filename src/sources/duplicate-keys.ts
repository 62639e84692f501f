const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

/** Index of the quote that closes the string opened at `start`. */
function stringEnd(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  // A quote preceded by an odd number of backslashes is escaped.
  for (;;) {
    if (end === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

/**
 * Keys that appear more than once in the object at `member` of a JSON document's top-level
 * object (e.g. `profiles`). JSON.parse silently keeps the last one; a credential store with
 * two entries under one id has lost one of them. Assumes `text` already parsed as JSON.
 * (A character-code scan: it runs over every store on every check, 10,000 profiles included.)
 */
export function duplicateKeys(text: string, member: string): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  // The open containers, innermost last; for objects, whether the next string is a key.
  const stack: { object: boolean; key: string | null; inMember: boolean }[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      // Only keys of the top-level object and of the watched member need decoding.
      if (top?.object && expectKey && (stack.length === 1 || top.inMember)) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
        top.key = key;
        if (top.inMember) {
          if (seen.has(key)) duplicates.add(key);
          seen.add(key);
        }
      }
      expectKey = false;
      i = end;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const top = stack[stack.length - 1];
      // The object opened as the value of `member` in the top-level object is the one to watch.
      const inMember = c === OPEN_OBJECT && stack.length === 1 && top?.object === true && top.key === member;
      stack.push({ object: c === OPEN_OBJECT, key: null, inMember });
      expectKey = c === OPEN_OBJECT;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = stack[stack.length - 1]?.object === true;
    }
  }
  return [...duplicates];
}
