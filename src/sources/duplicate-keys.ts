/**
 * Keys that appear more than once in the object at `member` of a JSON document's top-level
 * object (e.g. `profiles`). JSON.parse silently keeps the last one; a credential store with
 * two entries under one id has lost one of them. Assumes `text` already parsed as JSON.
 */
export function duplicateKeys(text: string, member: string): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  // The open containers, innermost last; for objects, whether the next string is a key.
  const stack: { object: boolean; key: string | null; inMember: boolean }[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const top = stack.at(-1);
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top?.object && expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        top.key = key;
        if (top.inMember) {
          if (seen.has(key)) duplicates.add(key);
          seen.add(key);
        }
      }
      expectKey = false;
      i = end;
    } else if (c === '{' || c === '[') {
      // The object opened as the value of `member` in the top-level object is the one to watch.
      const inMember = c === '{' && stack.length === 1 && top?.object === true && top.key === member;
      stack.push({ object: c === '{', key: null, inMember });
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = top?.object === true;
    }
  }
  return [...duplicates];
}
