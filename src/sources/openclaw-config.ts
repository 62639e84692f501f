import type * as z from '../core/zod.js';
import { isJsonObject, isOptionalString, JsonFormat } from '../core/json-format.js';
import type * as schemas from './file-schemas.js';
import { parseJson5Text } from '../core/json5-text.js';
import { describeIssues } from '../core/zod-issues.js';
import { openclawConfigPath } from './openclaw-paths.js';
import { readCredentialFile } from '../core/files.js';
import { absentVisit, failedVisit, foundVisit, type SourceContext, type SourceVisit } from './source.js';

type OpenclawConfig = z.infer<typeof schemas.openclawConfig>;
type ModelSpec = NonNullable<NonNullable<NonNullable<OpenclawConfig['agents']>['defaults']>['model']>;

/** A model, or a primary with fallbacks, as the schema takes it unchanged. */
function isPlainModelSpec(value: unknown): boolean {
  if (value === undefined || typeof value === 'string') return true;
  return isJsonObject(value) && isOptionalString(value.primary) && (value.fallbacks === undefined || (Array.isArray(value.fallbacks) && value.fallbacks.every((item) => typeof item === 'string')));
}

/** The part of `openclaw.json` that says which providers the agents use. */
export const openclawConfig = new JsonFormat<OpenclawConfig>(
  async () => (await import('./file-schemas.js')).openclawConfig,
  (value) => {
    if (!isJsonObject(value)) return false;
    const { agents } = value;
    if (agents === undefined) return true;
    if (!isJsonObject(agents)) return false;
    const { defaults } = agents;
    return defaults === undefined || (isJsonObject(defaults) && isPlainModelSpec(defaults.model) && isPlainModelSpec(defaults.imageModel));
  },
);

export interface RequiredProvider {
  provider: string;
  /** Why it is required, for the `missing` row's detail. */
  reason: string;
}

export interface OpenclawConfigRead {
  required: RequiredProvider[];
  visit: SourceVisit;
  path: string;
  problem: string | null;
}

/** `anthropic/claude-opus-4-6` → `anthropic`; a bare model name means Anthropic. */
export function providerOfModelRef(ref: string): string | null {
  const trimmed = ref.trim();
  if (!trimmed) return null;
  const slash = trimmed.indexOf('/');
  return slash > 0 ? trimmed.slice(0, slash).toLowerCase() : 'anthropic';
}

function modelRefs(spec: ModelSpec | undefined): string[] {
  if (spec === undefined) return [];
  if (typeof spec === 'string') return [spec];
  return [...(spec.primary ? [spec.primary] : []), ...(spec.fallbacks ?? [])];
}

/**
 * Providers in use by OpenClaw's default agent model chain (primary, fallbacks, image model
 * and its fallbacks) — the providers `openclaw models status` calls "in use".
 */
export async function readOpenclawConfig(context: SourceContext): Promise<OpenclawConfigRead> {
  const name = 'openclaw-config';
  const path = openclawConfigPath(context);
  const fail = (message: string): OpenclawConfigRead => ({
    required: [],
    visit: failedVisit(name, path, `${path}: ${message}`),
    path,
    problem: `${path}: ${message}`,
  });
  const file = await readCredentialFile(path);
  if (file.kind === 'absent') return { required: [], visit: absentVisit(name, path), path, problem: null };
  if (file.kind === 'error') return fail(file.message);
  const json = await parseJson5Text(file.text);
  if (!json.ok) return fail(json.message);
  const parsed = await openclawConfig.safeParse(json.value);
  if (!parsed.success) return fail(`unexpected content: ${describeIssues(parsed.error).join('; ')}`);

  const defaults = parsed.data.agents?.defaults;
  const refs = [
    ...modelRefs(defaults?.model).map((ref) => ({ ref, role: 'model' })),
    ...modelRefs(defaults?.imageModel).map((ref) => ({ ref, role: 'image model' })),
  ];
  const required = new Map<string, RequiredProvider>();
  for (const { ref, role } of refs) {
    const provider = providerOfModelRef(ref);
    if (provider && !required.has(provider)) {
      required.set(provider, { provider, reason: `used by OpenClaw's ${role} ${ref.trim().slice(0, 80)} in ${path}` });
    }
  }
  return { required: [...required.values()], visit: foundVisit(name, path), path, problem: null };
}
