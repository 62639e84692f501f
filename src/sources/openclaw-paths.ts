import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describeFsError, readCredentialFile, statIfVisible } from '../core/files.js';
import { parseJson5Text } from '../core/json5-text.js';
import { expandHome } from '../core/paths.js';
import { configuredAgentDirs } from './openclaw-agents.js';
import type { SourceContext } from './source.js';


/** What OpenClaw's paths depend on: the environment and the user's home. */
type Homes = Pick<SourceContext, 'env' | 'home'>;

/** OpenClaw's `normalizeHomeDirValue`: blank, "undefined" and "null" mean unset. */
function envValue(context: Homes, name: string): string | null {
  const value = context.env[name]?.trim();
  return value && value !== 'undefined' && value !== 'null' ? value : null;
}

/**
 * The home OpenClaw keeps its state under: `$OPENCLAW_HOME` (a leading `~` is the OS home),
 * else the user's home (OpenClaw 2026.9.6 `resolveEffectiveHomeDir`). A `~` in its other path
 * variables then means this home.
 */
function openclawHome(context: Homes): string {
  const value = envValue(context, 'OPENCLAW_HOME');
  return value ? expandHome(value, context.home) : context.home;
}

/** A path setting: `~` is OpenClaw's home, a relative path is taken from the working directory (OpenClaw's resolveUserPath). */
export const userPath = (path: string, context: Homes): string => expandHome(path.trim(), openclawHome(context));

function envPath(context: Homes, name: string): string | null {
  const value = envValue(context, name);
  return value ? expandHome(value, openclawHome(context)) : null;
}

export interface StateDir {
  dir: string;
  /** `~/.clawdbot` and friends: read when present, flagged in the detail. */
  legacy: boolean;
  /** The `openclaw --profile NAME` this dir belongs to, when the authwatch config named it. */
  profile?: string;
}

/** OpenClaw's state dir (`$OPENCLAW_STATE_DIR`, else `.openclaw` in its home), where `.env` and `openclaw.json` live. */
export function primaryStateDir(context: Homes): string {
  return envPath(context, 'OPENCLAW_STATE_DIR') ?? join(openclawHome(context), '.openclaw');
}

/** `openclaw --profile NAME` keeps its state in `~/.openclaw-NAME` (`default` is `~/.openclaw`). */
function profileStateDir(profile: string, home: string): string {
  return join(home, profile.toLowerCase() === 'default' ? '.openclaw' : `.openclaw-${profile}`);
}

/** The variables that move OpenClaw's files away from `~/.openclaw`. */
const openclawPathVariables = ['OPENCLAW_HOME', 'OPENCLAW_STATE_DIR', 'OPENCLAW_CONFIG_PATH'] as const;

/**
 * Those of them `env` sets, as absolute paths (a `~` is `home`'s): what an installed unit or job
 * must carry to read the gateway this environment reads.
 */
export function openclawPathEnvironment(env: NodeJS.ProcessEnv, home: string): Record<string, string> {
  const context = { env, home };
  const carried: Record<string, string> = {};
  for (const name of openclawPathVariables) {
    if (envValue(context, name) !== null) carried[name] = name === 'OPENCLAW_HOME' ? openclawHome(context) : envPath(context, name)!;
  }
  return carried;
}

/** OpenClaw's `isValidProfileName`. */
const profileNamePattern = /^[a-z0-9][a-z0-9_-]{0,63}$/i;

/**
 * The environment `openclaw --profile NAME` runs with (OpenClaw 2026.9.6 `applyCliProfileEnv`):
 * the profile's state dir and its `openclaw.json`, unless the environment sets them already.
 */
export function withOpenclawProfile(env: NodeJS.ProcessEnv, home: string, name: string): NodeJS.ProcessEnv | { problem: string } {
  if (!profileNamePattern.test(name)) return { problem: `${JSON.stringify(name)} is no OpenClaw profile name (letters, numbers, "_", "-" only, as \`openclaw --profile\` takes)` };
  const context = { env, home };
  const stateDir = envPath(context, 'OPENCLAW_STATE_DIR') ?? profileStateDir(name, openclawHome(context));
  return { ...env, OPENCLAW_PROFILE: name, OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: envPath(context, 'OPENCLAW_CONFIG_PATH') ?? join(stateDir, 'openclaw.json') };
}

/**
 * The `openclaw --profile NAME` homes (`.openclaw-NAME`, `--dev`'s `.openclaw-dev`) next to the
 * default one, when the run reads neither a state dir of its own nor a default home: a gateway
 * it would otherwise never see.
 */
export function unreadProfileHomes(context: SourceContext): { name: string; dir: string }[] {
  if (envValue(context, 'OPENCLAW_STATE_DIR') || isDirectory(primaryStateDir(context))) return [];
  const home = openclawHome(context);
  let names: string[];
  try {
    names = readdirSync(home);
  } catch {
    return [];
  }
  const read = new Set((context.openclawProfiles ?? []).map((profile) => profileStateDir(profile, home)));
  return names
    .filter((entry) => entry.startsWith('.openclaw-') && profileNamePattern.test(entry.slice(10)))
    .map((entry) => ({ name: entry.slice(10), dir: join(home, entry) }))
    .filter(({ dir }) => !read.has(dir) && isDirectory(dir))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Every state dir to read: the current one, the pre-rename clawdbot one, and the configured profiles' ones. */
export function stateDirs(context: SourceContext): StateDir[] {
  const dirs: StateDir[] = [{ dir: primaryStateDir(context), legacy: false }];
  const legacy = envPath(context, 'CLAWDBOT_STATE_DIR') ?? join(openclawHome(context), '.clawdbot');
  if (legacy !== dirs[0]!.dir) dirs.push({ dir: legacy, legacy: true });
  for (const profile of context.openclawProfiles ?? []) {
    const dir = profileStateDir(profile, openclawHome(context));
    if (!dirs.some((known) => known.dir === dir)) dirs.push({ dir, legacy: false, profile });
  }
  return dirs;
}

/** The shared state database of a state dir (OpenClaw 2026.9+): auth profiles, the secret store. */
export function stateDatabasePath(stateDir: string): string {
  return join(stateDir, 'state', 'openclaw.sqlite');
}

export function openclawConfigPath(context: SourceContext): string {
  return envPath(context, 'OPENCLAW_CONFIG_PATH') ?? join(primaryStateDir(context), 'openclaw.json');
}

export interface AgentDir {
  /** Agent id, `null` for the pre-multi-agent `<stateDir>/agent` store. */
  agent: string | null;
  dir: string;
  stateDir: StateDir;
  /** Why this dir is read, when it is not the usual `agents/<id>/agent` (`config`: its `agentDir` in openclaw.json). */
  origin: 'agents' | 'config' | 'env' | 'pre-multi-agent';
}

interface AgentDiscovery {
  agents: AgentDir[];
  /** Directories that exist but could not be listed. */
  failures: { path: string; message: string }[];
}

function isDirectory(path: string): boolean {
  return statIfVisible(path)?.isDirectory() === true;
}

/** `/x/agents/<id>/agent` → `<id>`; anything else → the directory's own name. */
function agentIdFromPath(dir: string): string {
  const parent = dirname(dir);
  return basename(dir) === 'agent' && basename(dirname(parent)) === 'agents' ? basename(parent) : basename(dir);
}

/** Both OpenClaw sources (JSON stores and SQLite) need the agent dirs: found once per check. */
const discoveries = new WeakMap<SourceContext, Promise<AgentDiscovery>>();

/**
 * Finds every OpenClaw agent dir: `<stateDir>/agents/<id>/agent` in each state dir, the
 * pre-multi-agent `<stateDir>/agent`, an agent's own `agentDir` in openclaw.json, and
 * `$OPENCLAW_AGENT_DIR` / `$PI_CODING_AGENT_DIR`.
 */
export function discoverAgentDirs(context: SourceContext): Promise<AgentDiscovery> {
  let discovery = discoveries.get(context);
  if (!discovery) discoveries.set(context, (discovery = findAgentDirs(context)));
  return discovery;
}

/**
 * The `agentDir`s openclaw.json sets, as absolute paths: a `~` is OpenClaw's home, as in its
 * `resolveEffectiveAgentDir` (`resolveUserPath`). An unreadable config gives none: the config
 * source reports it.
 */
async function agentDirsFromConfig(context: SourceContext): Promise<Map<string, string>> {
  const file = await readCredentialFile(openclawConfigPath(context));
  if (file.kind !== 'ok') return new Map();
  const json = await parseJson5Text(file.text);
  if (!json.ok) return new Map();
  const home = openclawHome(context);
  return new Map([...configuredAgentDirs(json.value)].map(([agent, dir]) => [agent, expandHome(dir, home)]));
}

async function findAgentDirs(context: SourceContext): Promise<AgentDiscovery> {
  const agents: AgentDir[] = [];
  const failures: AgentDiscovery['failures'] = [];
  const configured = await agentDirsFromConfig(context);
  for (const stateDir of stateDirs(context)) {
    const agentsRoot = join(stateDir.dir, 'agents');
    try {
      const entries = readdirSync(agentsRoot, { withFileTypes: true });
      const ids = entries.filter((entry) => entry.isDirectory() || entry.isSymbolicLink()).map((entry) => entry.name);
      for (const id of ids.sort()) {
        const dir = join(agentsRoot, id, 'agent');
        // An agent with its own agentDir keeps its store there; OpenClaw never reads this one for it.
        if (configured.has(id) && configured.get(id) !== dir && !stateDir.legacy && stateDir.profile === undefined) continue;
        if (isDirectory(dir)) agents.push({ agent: id, dir, stateDir, origin: 'agents' });
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        failures.push({ path: agentsRoot, message: describeFsError(error) });
      }
    }
    const single = join(stateDir.dir, 'agent');
    if (isDirectory(single)) agents.push({ agent: null, dir: single, stateDir, origin: 'pre-multi-agent' });
  }
  for (const [agent, dir] of configured) {
    if (isDirectory(dir) && !agents.some((known) => known.dir === dir)) agents.push({ agent, dir, stateDir: stateDirs(context)[0]!, origin: 'config' });
  }
  const fromEnv = envPath(context, 'OPENCLAW_AGENT_DIR') ?? envPath(context, 'PI_CODING_AGENT_DIR');
  if (fromEnv && !agents.some((agent) => agent.dir === fromEnv)) {
    agents.push({ agent: agentIdFromPath(fromEnv), dir: fromEnv, stateDir: stateDirs(context)[0]!, origin: 'env' });
  }
  const wanted = context.agent;
  return { agents: wanted ? agents.filter((agent) => agent.agent === wanted) : agents, failures };
}
