import { isJsonObject } from '../core/json-reader.js';

/** OpenClaw's implicit agent: the one a home without an agent list runs. */
export const openclawDefaultAgent = 'main';

/** OpenClaw's `normalizeAgentId`: trimmed, lower-cased, other characters as `-` (at most 64). */
export function normalizeAgentId(raw: string): string {
  const lower = raw.trim().toLowerCase();
  if (/^[a-z0-9][a-z0-9_-]{0,63}$/.test(lower)) return lower;
  return lower.replace(/[^a-z0-9_-]+/g, '-').replace(/^-+/, '').replace(/-+$/, '').slice(0, 64) || openclawDefaultAgent;
}

/** The agents of `agents.list` (array) or `agents.entries` (map), as id → entry. */
export function agentEntries(agents: Record<string, unknown>): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  if (isJsonObject(agents.entries)) {
    for (const [id, entry] of Object.entries(agents.entries)) if (isJsonObject(entry) && !found.has(normalizeAgentId(id))) found.set(normalizeAgentId(id), entry);
  } else if (agents.entries === undefined && Array.isArray(agents.list)) {
    for (const entry of agents.list) if (isJsonObject(entry) && typeof entry.id === 'string' && !found.has(normalizeAgentId(entry.id))) found.set(normalizeAgentId(entry.id), entry);
  }
  return found;
}

/**
 * The agents of openclaw.json that set their own `agentDir`, as id → the value as written
 * (OpenClaw's `resolveAgentConfig` reads it from the agent's entry only, never from defaults).
 */
export function configuredAgentDirs(document: unknown): Map<string, string> {
  const agents = isJsonObject(document) && isJsonObject(document.agents) ? document.agents : {};
  const dirs = new Map<string, string>();
  for (const [id, entry] of agentEntries(agents)) if (typeof entry.agentDir === 'string' && entry.agentDir.trim()) dirs.set(id, entry.agentDir.trim());
  return dirs;
}
