import { join } from 'node:path';
import { discoverAgentDirs, stateDirs, type AgentDir } from './openclaw-paths.js';
import { stateDatabasePath } from './openclaw-db.js';
import { inlineKeyUsage, profilesFromStore, readStateDocument, readStoreDocument, readUsageStats, type StoreOrigin } from './openclaw-store-format.js';
import { duplicateKeys } from './duplicate-keys.js';
import { readCredentialDocument } from './credential-document.js';
import { pathExists } from '../core/files.js';
import { resolveReferences } from './secret-refs.js';
import {
  absentVisit,
  failedVisit,
  foundVisit,
  problemProfile,
  type Profile,
  type SecretHandOver,
  type Source,
  type SourceContext,
  type SourceResult,
  type SourceVisit,
} from './source.js';
import { sourceNames } from './source-names.js';

const name = sourceNames.openclawStore;

function agentLabel(agent: AgentDir): string {
  return agent.agent ?? 'agent';
}

function originNotes(agent: AgentDir): string[] {
  const notes: string[] = [];
  if (agent.origin === 'pre-multi-agent') notes.push('pre-multi-agent store');
  if (agent.origin === 'env') notes.push('agent dir from $OPENCLAW_AGENT_DIR');
  if (agent.stateDir.legacy) notes.push(`legacy state dir ${agent.stateDir.dir}`);
  return notes;
}

/** Reads one agent's `auth-profiles.json`, merged with `auth-state.json` when present. */
async function readAgent(agent: AgentDir, now: number, handOverSecret?: SecretHandOver): Promise<SourceResult> {
  const storePath = join(agent.dir, 'auth-profiles.json');
  const statePath = join(agent.dir, 'auth-state.json');
  const [store, state] = await Promise.all([readCredentialDocument(storePath, readStoreDocument), readCredentialDocument(statePath, readStateDocument)]);
  const visits: SourceVisit[] = [];
  const profiles: Profile[] = [];
  // auth-profiles.json wins where both files have an entry for the same profile.
  const stats = {
    ...readUsageStats(state.kind === 'ok' ? state.value.usageStats : undefined),
    ...readUsageStats(store.kind === 'ok' ? store.value.usageStats : undefined),
  };
  const rowFor = (path: string) => ({ id: `openclaw:${agentLabel(agent)}`, provider: 'unknown', source: name, agent: agent.agent, path });

  if (store.kind === 'absent') visits.push(absentVisit(name, storePath));
  else if (store.kind === 'error') {
    visits.push(failedVisit(name, storePath, store.message));
    profiles.push(problemProfile(rowFor(storePath), store.message));
  } else visits.push({ ...foundVisit(name, storePath), authStore: { order: store.value.order, inlineKeys: inlineKeyUsage(stats) } });

  if (state.kind === 'error') {
    visits.push(failedVisit(name, statePath, state.message));
    profiles.push(problemProfile({ ...rowFor(statePath), id: `openclaw:${agentLabel(agent)}:auth-state` }, state.message));
  } else if (state.kind === 'ok') visits.push(foundVisit(name, statePath));

  if (store.kind === 'ok') {
    const origin: StoreOrigin = {
      source: name,
      agent: agent.agent,
      path: storePath,
      notes: originNotes(agent),
      updatedAtMs: store.mtimeMs,
      ...(handOverSecret ? { handOverSecret } : {}),
    };
    for (const profile of profilesFromStore(store.value, stats, origin, now)) profiles.push(profile); // no spread: a huge store would overflow the call stack
    for (const id of duplicateKeys(store.text, 'profiles')) {
      profiles.push(
        problemProfile(
          { id: `${id} (duplicate)`, provider: id.split(':')[0] || 'unknown', source: name, agent: agent.agent, path: storePath },
          `${storePath}: profile id "${id.slice(0, 80)}" appears more than once; only the last entry counts (the others are lost)`,
        ),
      );
    }
  }
  return { profiles, visits };
}

const legacyAgentFiles = ['auth-profiles.json', 'auth-state.json', 'auth.json'];
const migrationHint =
  'OpenClaw 2026.9 keeps credentials in its state database and refuses `openclaw models status` while this legacy file exists; run `openclaw doctor --fix` to migrate it';

/** On the row of a legacy JSON file beside a state database (`--policy openclaw` counts only the inspected agent's). */
export const legacyFileNote = 'legacy JSON file beside the state database';

/**
 * Next to a state database the JSON files are legacy: the database is the live store, so the
 * files' profiles are not reported again; each file is an error to fix before the gateway trips
 * over it.
 */
function legacyFiles(paths: string[], agent: string | null): SourceResult {
  const present = paths.filter(pathExists);
  return {
    profiles: present.map((path) => ({
      ...problemProfile({ id: `openclaw:${agent ?? 'state'}:legacy`, provider: 'unknown', source: name, agent, path }, `${path}: ${migrationHint}`),
      notes: [legacyFileNote],
    })),
    visits: present.map((path) => failedVisit(name, path, `${path}: legacy file, needs \`openclaw doctor --fix\``)),
  };
}

/** OpenClaw's per-agent JSON profile stores, in every state dir and agent dir found. */
export const openclawAuthProfiles: Source = {
  name,
  async read(context: SourceContext): Promise<SourceResult> {
    const discovery = await discoverAgentDirs(context);
    const withDatabase = new Set<string>();
    for (const dir of stateDirs(context)) if (pathExists(stateDatabasePath(dir.dir))) withDatabase.add(dir.dir);
    const read = await Promise.all([
      ...discovery.agents.map((agent) =>
        withDatabase.has(agent.stateDir.dir)
          ? legacyFiles(legacyAgentFiles.map((file) => join(agent.dir, file)), agent.agent)
          : readAgent(agent, context.now, context.handOverSecret),
      ),
      ...[...withDatabase].map((dir) => legacyFiles([join(dir, 'credentials', 'oauth.json')], null)),
    ]);
    const failures = discovery.failures.map((failure) => ({
      profile: problemProfile(
        { id: 'openclaw:agents', provider: 'unknown', source: name, path: failure.path },
        `${failure.path}: ${failure.message}`,
      ),
      visit: failedVisit(name, failure.path, `${failure.path}: ${failure.message}`),
    }));
    return {
      profiles: [...failures.map((f) => f.profile), ...(await resolveReferences(read.flatMap((r) => r.profiles), context))],
      visits: [...failures.map((f) => f.visit), ...read.flatMap((r) => r.visits)],
    };
  },
};
