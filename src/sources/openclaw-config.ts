import * as z from '../zod.js';
import { parseJson5Text } from '../json5-text.js';
import { describeIssues } from '../zod-issues.js';
import { openclawConfigPath } from './openclaw-paths.js';
import { readCredentialFile } from './read-file.js';
import { absentVisit, failedVisit, foundVisit, type SourceContext, type SourceVisit } from './source.js';

/** The part of `openclaw.json` that says which providers the agents use (built on first use). */
const openclawConfig = z.lazy(() => {
  const modelSpec = z.union([
    z.string(),
    z.looseObject({ primary: z.optional(z.string()), fallbacks: z.optional(z.array(z.string())) }),
  ]);
  return z.looseObject({
    agents: z.optional(
      z.looseObject({
        defaults: z.optional(z.looseObject({ model: z.optional(modelSpec), imageModel: z.optional(modelSpec) })),
      }),
    ),
  });
});

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

type ModelSpec = NonNullable<NonNullable<NonNullable<z.infer<typeof openclawConfig>['agents']>['defaults']>['model']>;

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
  const parsed = openclawConfig.safeParse(json.value);
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
