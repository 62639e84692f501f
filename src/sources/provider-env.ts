/**
 * Provider → environment variables OpenClaw reads for it, first non-empty wins (the
 * reference's §6). The list is open-ended upstream; these are the documented ones.
 */
export const providerEnvVars: Readonly<Record<string, readonly string[]>> = {
  anthropic: ['ANTHROPIC_OAUTH_TOKEN', 'ANTHROPIC_API_KEY'],
  'github-copilot': ['COPILOT_GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_TOKEN'],
  openai: ['OPENAI_API_KEY'],
  google: ['GEMINI_API_KEY'],
  groq: ['GROQ_API_KEY'],
  cerebras: ['CEREBRAS_API_KEY'],
  xai: ['XAI_API_KEY'],
  openrouter: ['OPENROUTER_API_KEY'],
  mistral: ['MISTRAL_API_KEY'],
  deepgram: ['DEEPGRAM_API_KEY'],
  'vercel-ai-gateway': ['AI_GATEWAY_API_KEY'],
  moonshot: ['MOONSHOT_API_KEY'],
  'kimi-code': ['KIMICODE_API_KEY'],
  'kimi-coding': ['KIMI_API_KEY', 'KIMICODE_API_KEY'],
  zai: ['ZAI_API_KEY', 'Z_AI_API_KEY'],
  chutes: ['CHUTES_OAUTH_TOKEN', 'CHUTES_API_KEY'],
  opencode: ['OPENCODE_API_KEY', 'OPENCODE_ZEN_API_KEY'],
  'qwen-portal': ['QWEN_OAUTH_TOKEN', 'QWEN_PORTAL_API_KEY'],
  'minimax-portal': ['MINIMAX_OAUTH_TOKEN', 'MINIMAX_API_KEY'],
  huggingface: ['HUGGINGFACE_HUB_TOKEN', 'HF_TOKEN'],
};

