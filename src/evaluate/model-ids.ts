// OpenClaw 2026.9.6 normalises the model id a config names before it calls the provider
// (provider-model-id-normalization-*.mjs `normalizeBuiltInProviderModelId`), and a model-scoped
// window is kept for that normalised id: `google/gemini-3-flash` runs as `gemini-3-flash-preview`.

/** `normalizeGooglePreviewModelId`. */
const googlePreview: Readonly<Record<string, string>> = {
  'gemini-3-pro': 'gemini-3.1-pro-preview',
  'gemini-3-pro-preview': 'gemini-3.1-pro-preview',
  'gemini-3-flash': 'gemini-3-flash-preview',
  'gemini-3.1-pro': 'gemini-3.1-pro-preview',
  'gemini-3.1-flash-lite-preview': 'gemini-3.1-flash-lite',
  'gemini-3.1-flash': 'gemini-3-flash-preview',
  'gemini-3.1-flash-preview': 'gemini-3-flash-preview',
  'gemma-4-26b': 'gemma-4-26b-a4b-it',
};

const anthropicAliases: Readonly<Record<string, string>> = {
  fable: 'claude-fable-5-1',
  'fable-5': 'claude-fable-5',
  'fable-5.1': 'claude-fable-5-1',
  'fable-5-1': 'claude-fable-5-1',
  haiku: 'claude-haiku-4-5',
  'opus-5.5': 'claude-opus-5-5',
  'opus-5-5': 'claude-opus-5-5',
  'opus-5': 'claude-opus-5',
  opus: 'claude-opus-5',
  'opus-4.8': 'claude-opus-4-8',
  'opus-4.7': 'claude-opus-4-7',
  'opus-4.6': 'claude-opus-4-6',
  'mythos-5': 'claude-mythos-5',
  'sonnet-5': 'claude-sonnet-5',
  sonnet: 'claude-sonnet-5',
  'sonnet-4.6': 'claude-sonnet-4-6',
};

const xaiAliases: Readonly<Record<string, string>> = {
  'grok-4.3-latest': 'grok-4.3',
  'grok-4.5-latest': 'grok-4.5',
  'grok-build-latest': 'grok-4.5',
  'grok-4-fast-reasoning': 'grok-4-fast',
  'grok-4-1-fast-reasoning': 'grok-4-1-fast',
};

/** The model id the gateway calls `provider` with, for a model id as a config writes it. */
export function normalizedModelId(provider: string, model: string): string {
  const google = (id: string): string => (id.startsWith('google/') ? `google/${google(id.slice(7))}` : (googlePreview[id] ?? id));
  switch (provider) {
    case 'google':
    case 'google-gemini-cli':
    case 'google-vertex':
      return google(model);
    case 'openrouter':
    case 'nvidia':
      return model.trim() && !model.includes('/') ? `${provider}/${model.trim()}` : model;
    case 'anthropic': {
      const own = model.trim().toLowerCase().startsWith('anthropic/') ? model.trim().slice('anthropic/'.length) : model;
      return anthropicAliases[own.toLowerCase()] ?? own;
    }
    case 'xai':
      return xaiAliases[model.toLowerCase()] ?? model;
    default:
      return model;
  }
}
