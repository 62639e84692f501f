import { isJsonObject, readObject, type JsonObject, type Read } from '../core/json-reader.js';
import { parseJson5Text } from '../core/json5-text.js';
import { openclawConfigPath } from './openclaw-paths.js';
import { readCredentialFile } from '../core/files.js';
import { absentVisit, failedVisit, foundVisit, type SourceContext, type SourceVisit } from './source.js';

/** A model, or a primary with fallbacks. */
type ModelSpec = string | { primary?: string; fallbacks?: string[] };

/** The part of `openclaw.json` that says which providers the agents use: `agents.defaults`'s models. */
export interface OpenclawModelDefaults {
  model?: ModelSpec;
  imageModel?: ModelSpec;
}

function readModelSpec(defaults: JsonObject, key: string): ModelSpec | undefined {
  const value = defaults.fields[key];
  if (value === undefined || typeof value === 'string') return value;
  if (!isJsonObject(value)) {
    defaults.problems.expected(defaults.at(key), 'a model name or an object with primary and fallbacks', value);
    return undefined;
  }
  return defaults.object(key, (spec) => ({ primary: spec.string('primary'), fallbacks: spec.strings('fallbacks') }));
}

export function readOpenclawModelDefaults(document: unknown): Read<OpenclawModelDefaults> {
  return readObject(
    document,
    (config) =>
      config.object('agents', (agents) => agents.object('defaults', (defaults) => ({ model: readModelSpec(defaults, 'model'), imageModel: readModelSpec(defaults, 'imageModel') }))) ?? {},
  );
}

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
  const defaults = readOpenclawModelDefaults(json.value);
  if (!defaults.ok) return fail(`unexpected content: ${defaults.problems.join('; ')}`);

  const refs = [
    ...modelRefs(defaults.value.model).map((ref) => ({ ref, role: 'model' })),
    ...modelRefs(defaults.value.imageModel).map((ref) => ({ ref, role: 'image model' })),
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
