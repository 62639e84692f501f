import type * as z from './zod.js';

/** What validating a document gives: zod's own result type, for either path. */
export type FormatResult<T> = { success: true; data: T } | { success: false; error: { issues: readonly z.core.$ZodIssue[] } };

/**
 * One external JSON format: its zod schema, loaded on first need, and a quick test for the
 * common document that the schema would accept and return as it is. Such a document skips
 * zod: loading zod and building and running the schemas of the files every check reads was
 * ≈ 2 ms of a check that adds ≈ 10 ms to Node's own start, and the schemas live in modules
 * that only a document needing them loads. Anything else — and so every error message — goes
 * through the schema. A property test holds each quick test to its schema's answer.
 */
export class JsonFormat<T> {
  private loaded: Promise<z.ZodMiniType<T>> | undefined;

  constructor(
    private readonly load: () => Promise<z.ZodMiniType<T>>,
    /** True only for documents the schema accepts and returns unchanged. */
    readonly isPlain: (value: unknown) => boolean = () => false,
  ) {}

  schema(): Promise<z.ZodMiniType<T>> {
    return (this.loaded ??= this.load());
  }

  async safeParse(value: unknown): Promise<FormatResult<T>> {
    return this.isPlain(value) ? { success: true, data: value as T } : (await this.schema()).safeParse(value);
  }
}

/** A JSON object (not null, not an array), as zod's object and record schemas require. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
export const isNullishString = (value: unknown): boolean => value === undefined || value === null || typeof value === 'string';
/** A number zod's `z.number()` takes (finite), or nothing. */
export const isOptionalNumber = (value: unknown): boolean => value === undefined || (typeof value === 'number' && Number.isFinite(value));
