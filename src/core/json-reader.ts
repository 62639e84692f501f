import { isValidTimeMs } from './iso-time.js';
import { formatIssuePath } from './zod-issues.js';

// The pieces the readers of external JSON formats are written with (Claude Code's and Codex's
// logins, the oauth_creds files, OpenClaw's stores and openclaw.json, the alert state). Each
// format has one hand-written reader, next to the source that reads it: it checks the fields
// it uses and builds the typed value from them, so it is at once the format's only definition
// and its validation. zod is kept for the user's config.
// Buys: a check with no config file loads no zod and builds no schema (loading zod's full API
// alone costs 2.4x the CPU of `node -e 0`, 30 paired runs, Node 24).
// TODO(zod>=5): remove if zod/mini with these formats' schemas costs under 5 % of a typical check.

/** What reading a document gives: the typed value, or its problems as `path: problem` lines. */
export type Read<T> = { ok: true; value: T } | { ok: false; problems: string[] };

type Path = readonly PropertyKey[];

/** A JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The kind of a JSON value, in the words the config's (zod's) messages use. Never the value itself. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
}

/** The problems found in one document, each at its path. */
export class Problems {
  readonly lines: string[] = [];

  add(path: Path, message: string): void {
    const where = formatIssuePath(path);
    this.lines.push(where ? `${where}: ${message}` : message);
  }

  expected(path: Path, what: string, value: unknown): void {
    this.add(path, `Invalid input: expected ${what}, received ${kindOf(value)}`);
  }
}

/**
 * One JSON object of a document, its fields read with their types checked: a field of the
 * wrong type is a problem at its path and reads as absent. Fields it is not asked about are
 * ignored, so later versions of a format that add fields still read.
 */
export class JsonObject {
  constructor(
    readonly fields: Record<string, unknown>,
    private readonly path: Path,
    readonly problems: Problems,
  ) {}

  at(key: PropertyKey): Path {
    return [...this.path, key];
  }

  /** An optional string. */
  string(key: string): string | undefined {
    const value = this.fields[key];
    if (value === undefined || typeof value === 'string') return value;
    this.problems.expected(this.at(key), 'string', value);
    return undefined;
  }

  /** An optional string that may also be `null` (read as absent). */
  stringOrNull(key: string): string | undefined {
    return this.fields[key] === null ? undefined : this.string(key);
  }

  /** A string that must be there. */
  requiredString(key: string): string {
    const value = this.fields[key];
    if (typeof value === 'string') return value;
    this.problems.expected(this.at(key), 'string', value);
    return '';
  }

  /** An optional finite number. */
  number(key: string): number | undefined {
    const value = this.fields[key];
    if (value === undefined) return undefined;
    return this.requiredNumber(key);
  }

  /** A finite number that must be there. */
  requiredNumber(key: string): number {
    const value = this.fields[key];
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    this.problems.expected(this.at(key), 'number', value);
    return 0;
  }

  /** A point in time (epoch ms) that must be there, within a Date's range and after 1970: a state file's times. */
  requiredTime(key: string): number {
    const value = this.fields[key];
    if (isValidTimeMs(value)) return value;
    if (typeof value === 'number') this.problems.add(this.at(key), `Invalid input: ${value} is not a valid time (epoch ms from 1970 to year 275760)`);
    else this.problems.expected(this.at(key), 'number', value);
    return 0;
  }

  /** An optional list of strings. */
  strings(key: string): string[] | undefined {
    const value = this.fields[key];
    if (value === undefined) return undefined;
    if (!Array.isArray(value)) {
      this.problems.expected(this.at(key), 'array', value);
      return undefined;
    }
    value.forEach((item, index) => {
      if (typeof item !== 'string') this.problems.expected([...this.at(key), index], 'string', item);
    });
    return value as string[];
  }

  /** An optional nested object, read by `read`. */
  object<T>(key: string, read: (object: JsonObject) => T): T | undefined {
    const value = this.fields[key];
    if (value === undefined) return undefined;
    if (isJsonObject(value)) return read(new JsonObject(value, this.at(key), this.problems));
    this.problems.expected(this.at(key), 'object', value);
    return undefined;
  }

  /** An optional nested object that may also be `null` (read as absent). */
  objectOrNull<T>(key: string, read: (object: JsonObject) => T): T | undefined {
    return this.fields[key] === null ? undefined : this.object(key, read);
  }

  /** A nested object that must be there; `message` says what it should be. */
  requiredObject<T>(key: string, message: string, read: (object: JsonObject) => T): T | undefined {
    const value = this.fields[key];
    if (isJsonObject(value)) return read(new JsonObject(value, this.at(key), this.problems));
    this.problems.add(this.at(key), message);
    return undefined;
  }

  /** An optional object of ids to values that are read elsewhere, one by one. */
  map(key: string): Record<string, unknown> | undefined {
    const value = this.fields[key];
    if (value === undefined || isJsonObject(value)) return value;
    this.problems.expected(this.at(key), 'object', value);
    return undefined;
  }

  /** An object of ids to values that must be there; `message` says what it should hold. */
  requiredMap(key: string, message: string): Record<string, unknown> {
    const value = this.fields[key];
    if (isJsonObject(value)) return value;
    this.problems.add(this.at(key), message);
    return {};
  }

  /** An object of ids to objects that must be there, each read by `read`. */
  mapOf<T>(key: string, read: (entry: JsonObject) => T): Record<string, T> {
    const entries: Record<string, T> = {};
    const value = this.fields[key];
    if (!isJsonObject(value)) {
      this.problems.expected(this.at(key), 'object', value);
      return entries;
    }
    for (const id of Object.keys(value)) {
      const entry = value[id];
      const path = [...this.at(key), id];
      if (!isJsonObject(entry)) this.problems.expected(path, 'object', entry);
      // defineProperty: a plain assignment to "__proto__" would set the prototype instead.
      else Object.defineProperty(entries, id, { value: read(new JsonObject(entry, path, this.problems)), enumerable: true, writable: true, configurable: true });
    }
    return entries;
  }
}

/** Reads a document (or one part of it) that must be a JSON object. */
export function readObject<T>(value: unknown, read: (object: JsonObject) => T, path: Path = []): Read<T> {
  const problems = new Problems();
  if (!isJsonObject(value)) {
    problems.expected(path, 'object', value);
    return { ok: false, problems: problems.lines };
  }
  const result = read(new JsonObject(value, path, problems));
  return problems.lines.length === 0 ? { ok: true, value: result } : { ok: false, problems: problems.lines };
}
