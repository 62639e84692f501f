import { providerEnvVars } from '../sources/provider-env.js';

/**
 * What to tell a user whose credential for a provider is missing or expired (the reference's
 * §11). Plain commands, no links: this text ends up in terminals, emails and phone alerts.
 */
export function remediation(provider: string, profileId?: string, type?: string | null): string {
  if (profileId === 'anthropic:claude-cli') {
    return 'sign in to Claude Code again (run `claude`), then `openclaw models auth login --provider anthropic --method cli` or `openclaw doctor --yes`';
  }
  if (type === 'oauth' && provider !== 'openai-codex' && provider !== 'google-gemini-cli') {
    return `run \`openclaw models auth login --provider ${provider}\``;
  }
  switch (provider) {
    case 'anthropic':
      return 'run `claude setup-token`, then `openclaw models auth paste-token --provider anthropic --expires-in 365d`; or put ANTHROPIC_API_KEY=… in ~/.openclaw/.env and restart the gateway';
    case 'openai-codex':
      return 'run `codex login` (or `openclaw models auth login --provider openai-codex`)';
    case 'google-gemini-cli':
      return 'run `gemini` and sign in again';
    case 'google-vertex':
      return 'run `gcloud auth application-default login`';
    case 'qwen-portal':
    case 'minimax-portal':
    case 'github-copilot':
      return `run \`openclaw models auth login --provider ${provider}\``;
    default: {
      const variable = providerEnvVars[provider]?.at(-1);
      const what = variable ? `set ${variable} in ~/.openclaw/.env` : `set ${provider}'s API key variable in ~/.openclaw/.env`;
      return `${what} (or log in with \`openclaw models auth login --provider ${provider}\`), then restart the gateway`;
    }
  }
}
