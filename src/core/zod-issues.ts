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
export function describeIssues(
  error: { issues: readonly z.core.$ZodIssue[] },
  prefix: readonly PropertyKey[] = [],
  options: IssueContext = {},
): string[] {
  return error.issues.flatMap((issue) => {
    // A union (`live: true` or its settings) says only "Invalid input": say what its matching branch says.
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const inner = unionIssues(issue.errors);
      if (inner) return describeIssues({ issues: inner.map((i) => ({ ...i, path: [...issue.path, ...i.path] })) }, prefix, options);
      const path = formatIssuePath([...prefix, ...issue.path]);
      const where = options.where?.(issue.path);
      const line = `${expectedOneOf(issue.errors)}${where ? ` (${where})` : ''}`;
      return [path ? `${path}: ${line}` : line];
    }
    const path = formatIssuePath([...prefix, ...issue.path]);
    let message = issue.message;
    if (issue.code === 'unrecognized_keys' && options.root) {
      const known = knownKeys(options.root, issue.path);
      const near = issue.keys.map((key) => [key, options.closest?.(key, known) ?? null] as const).filter(([, guess]) => guess !== null);
      if (near.length > 0) message += ` (did you mean ${near.map(([, guess]) => JSON.stringify(guess)).join(', ')}?)`;
    }
    const where = options.where?.(issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path);
    if (where) message += ` (${where})`;
    return path ? `${path}: ${message}` : message;
  });
}

/** A branch of a union that failed on the value's type itself (a string where an object or a boolean goes). */
const wrongType = (branch: readonly z.core.$ZodIssue[]) => branch.every((issue) => issue.code === 'invalid_type' && issue.path.length === 0);

/** The issues of the union branch the value was meant for (its type fits; the fewest problems); `null` when its type fits none. */
function unionIssues(branches: readonly (readonly z.core.$ZodIssue[])[]): z.core.$ZodIssue[] | null {
  const fitting = branches.filter((branch) => !wrongType(branch) && branch.length > 0);
  if (fitting.length === 0) return null;
  return [...fitting.reduce((a, b) => (b.length < a.length ? b : a))];
}

/** `Invalid input: expected boolean or object, received string`, from the branches' own type issues. */
function expectedOneOf(branches: readonly (readonly z.core.$ZodIssue[])[]): string {
  const expected = [...new Set(branches.flat().flatMap((issue) => (issue.code === 'invalid_type' ? [issue.expected] : [])))];
  const received = /received (\w+)/.exec(branches.flat()[0]?.message ?? '')?.[1];
  return `Invalid input: expected ${expected.join(' or ')}${received ? `, received ${received}` : ''}`;
}

export interface IssueContext {
  /** The schema that was parsed: an unknown key is compared with the keys it knows there. */
  root?: z.ZodMiniType;
  closest?: (word: string, candidates: readonly string[]) => string | null;
  /** Where a path is in the source text, e.g. `line 3, column 5`. */
  where?: (path: readonly PropertyKey[]) => string | null;
}

type Def = { type: string; shape?: Record<string, Schema>; innerType?: Schema; getter?: () => Schema; in?: Schema; valueType?: Schema; element?: Schema; options?: Schema[] };
type Schema = { _zod: { def: Def } };

/** Through the wrappers (optional, default, pipe) to the schema that checks the value. */
function unwrap(schema: Schema): Schema {
  for (let depth = 0; depth < 20; depth++) {
    const def = schema._zod.def;
    // A union of a shorthand and an object (`live: true` or its settings): the object is the one with keys.
    const object = def.type === 'union' ? def.options?.map(unwrap).find((option) => option._zod.def.type === 'object') : undefined;
    const inner = def.innerType ?? def.getter?.() ?? (def.type === 'pipe' ? def.in : object);
    if (!inner) return schema;
    schema = inner;
  }
  return schema;
}

/** The keys an object schema at `path` knows (none when the path leads elsewhere). */
function knownKeys(root: z.ZodMiniType, path: readonly PropertyKey[]): string[] {
  let schema: Schema | undefined = unwrap(root as unknown as Schema);
  for (const key of path) {
    const def: Def = schema._zod.def;
    const next: Schema | undefined = def.type === 'object' ? def.shape?.[String(key)] : def.type === 'record' ? def.valueType : def.type === 'array' ? def.element : undefined;
    if (!next) return [];
    schema = unwrap(next);
  }
  return Object.keys(schema._zod.def.shape ?? {});
}
