import type * as z from './zod.js';

/** What validating a document gives: zod's own result type, for either path. */
export type FormatResult<T> = { success: true; data: T } | { success: false; error: { issues: readonly z.core.$ZodIssue[] } };

/**
 * One external JSON format: its zod schema, built on first use, and a quick test for the
 * common document that the schema would accept and return as it is. Such a document skips
 * zod: building the schemas of the files every check reads (≈ 30 zod objects) and running
 * them was ≈ 1.8 ms of a check that adds ≈ 10 ms to Node's own start. Anything else — and
 * so every error message — goes through the schema. A property test holds each quick test
 * to its schema's answer.
 */
export class JsonFormat<T> {
  private built: z.ZodMiniType<T> | undefined;

  constructor(
    private readonly build: () => z.ZodMiniType<T>,
    /** True only for documents the schema accepts and returns unchanged. */
    readonly isPlain: (value: unknown) => boolean,
  ) {}

  get schema(): z.ZodMiniType<T> {
    return (this.built ??= this.build());
  }

  safeParse(value: unknown): FormatResult<T> {
    return this.isPlain(value) ? { success: true, data: value as T } : this.schema.safeParse(value);
  }
}

/** A JSON object (not null, not an array), as zod's object and record schemas require. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const isOptionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
export const isNullishString = (value: unknown): boolean => value === undefined || value === null || typeof value === 'string';
