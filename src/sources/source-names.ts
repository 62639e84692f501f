/**
 * Every source's name, as it appears in `source` of a profile, in `sources[]` and in metrics: the
 * one place to spell them. Decisions that single out some sources use these, not literals.
 */
export const sourceNames = {
  openclawDb: 'openclaw-db',
  openclawStore: 'openclaw',
  openclawCli: 'openclaw-cli',
  openclawConfig: 'openclaw-config',
  /** A running OpenClaw gateway, read through its WebSocket protocol (gateway.ts). */
  gateway: 'gateway',
  env: 'env',
  claudeCode: 'claude-code',
  codex: 'codex',
  geminiCli: 'gemini-cli',
  qwenCli: 'qwen-cli',
  minimaxCli: 'minimax-cli',
  declared: 'declared',
  /** Not a place read: the row of a provider in use that has no credential. */
  required: 'required',
} as const;
