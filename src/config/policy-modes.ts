/**
 * `authwatch` (default) judges like a careful operator; `openclaw` reproduces
 * `openclaw models status --check` (2026.9): a fixed 24 h window for every oauth/token profile,
 * refreshable or not, and only what OpenClaw itself reads decides the exit code.
 */
export const policyModes = ['authwatch', 'openclaw'] as const;
export type PolicyMode = (typeof policyModes)[number];
