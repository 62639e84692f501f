import { externalPluginOf, providerEnvVars } from '../sources/provider-env.js';
import { sourceNames } from '../sources/source-names.js';

/**
 * What to tell a user whose credential for a provider is missing or expired, in the words of
 * OpenClaw 2026.9.6's CLI and docs (its docs/gateway/authentication.md, docs/cli/models.md). Plain commands, no links: this text ends up in terminals, emails and
 * phone alerts.
 */
export function remediation(provider: string, profileId?: string, type?: string | null, source?: string): string {
  // Claude Code's own login, which OpenClaw reuses: Claude Code signs in again, nothing in
  // OpenClaw changes (`--method cli` would switch a gateway to this login, not repair it).
  if (profileId === 'anthropic:claude-cli') return 'run `claude auth login` on the gateway host (Claude Code signs in again; OpenClaw reuses its login)';
  // The Codex CLI's own login (`openai:codex-cli` also names a deprecated OpenClaw profile: that one is re-logged in OpenClaw).
  if (source === sourceNames.codex) return 'run `codex login`';
  // 2026.9 knows ChatGPT/Codex sign-ins as `openai`; doctor rewrites the legacy `openai-codex` ids.
  if (provider === 'openai-codex') return 'run `openclaw doctor --fix` (OpenClaw 2026.9 files `openai-codex` profiles under `openai`), then `openclaw models auth login --provider openai`';
  if (type === 'oauth' && provider !== 'google-gemini-cli') return `run \`openclaw models auth login --provider ${provider}\``;
  switch (provider) {
    case 'anthropic':
      return 'run `claude setup-token`, then `openclaw models auth paste-token --provider anthropic --expires-in 365d`; or put ANTHROPIC_API_KEY=… in ~/.openclaw/.env and restart the gateway';
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
      // A provider OpenClaw's package does not include works only once its official plugin is installed.
      const plugin = externalPluginOf(provider);
      return `${plugin ? `run \`openclaw plugins install ${plugin}\`, then ` : ''}${what} (or log in with \`openclaw models auth login --provider ${provider}\`), then restart the gateway`;
    }
  }
}
