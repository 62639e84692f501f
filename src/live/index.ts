import type { Profile } from '../sources/source.js';
import type { LiveChecker } from './provider.js';
import { anthropicApi } from './providers/anthropic-api.js';
import { anthropicOauth } from './providers/anthropic-oauth.js';
import { codexUsage } from './providers/codex.js';
import { copilot } from './providers/copilot.js';
import { deepseek } from './providers/deepseek.js';
import { gemini } from './providers/gemini.js';
import { geminiCliQuota } from './providers/gemini-cli.js';
import { groq } from './providers/groq.js';
import { minimax } from './providers/minimax.js';
import { mistral } from './providers/mistral.js';
import { openai } from './providers/openai.js';
import { openrouter } from './providers/openrouter.js';
import { xai } from './providers/xai.js';
import { zai } from './providers/zai.js';

/** Every live checker. The only list: add a provider's file here. */
export const checkers: readonly LiveChecker[] = [anthropicApi, anthropicOauth, openai, codexUsage, openrouter, gemini, xai, deepseek, groq, mistral, copilot, zai, minimax, geminiCliQuota];

/** The checker for a profile, or why there is none (it is then "not checkable live"). */
export function checkerFor(profile: Profile): LiveChecker | { notCheckable: string } {
  const { provider, type } = profile;
  const checker = type === null ? undefined : checkers.find((candidate) => (candidate.provider === provider || candidate.alsoFor?.includes(provider) === true) && candidate.types.includes(type));
  if (checker) return checker;
  if (profile.provider === 'anthropic' && profile.type === 'token') return { notCheckable: 'a setup-token has no zero-token endpoint' };
  return { notCheckable: `no zero-token endpoint known for ${profile.provider} ${profile.type ?? 'credentials'}` };
}
