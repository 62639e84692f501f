import type * as z from './zod.js';

/** `profiles["a:b"].expires` style path for a zod issue. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/**
 * One line per zod issue, `path: message`. zod's messages name expected and received *types*
 * and never quote the input value, so they are safe to show for files that hold secrets.
 */
export function describeIssues(error: { issues: readonly z.core.$ZodIssue[] }, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.map((issue) => {
    const path = formatIssuePath([...prefix, ...issue.path]);
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}
