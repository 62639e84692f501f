import type * as z from '../core/zod.js';
import type * as schemas from './file-schemas.js';
import { describeSpan, formatLocalTime } from '../core/duration.js';
import { remediation } from '../evaluate/remediation.js';
import { fingerprint } from '../core/fingerprint.js';
import { describeIssues } from '../core/zod-issues.js';
import { checkEpochMs, isValidTimeMs } from './epoch.js';
import { isJsonObject, isOptionalNumber, isOptionalString, JsonFormat } from '../core/json-format.js';
import { credentialTypes, makeProfile, noNotes, problemProfile, type Profile, type SecretReference } from './source.js';

// OpenClaw's auth profile store (auth-profiles.json, and the same document inside its SQLite
// store) and its state part (auth-state.json); their schemas are in file-schemas.ts.

type Credential = z.infer<typeof schemas.credential>;
type Schemas = typeof schemas;
/** The schemas, loaded only for a document (or an entry) that is not the plain one. */
const loadSchemas = () => import('./file-schemas.js');

/**
 * The common credential — the schema's fields, plain strings, no references, no `setup` —
 * which zod would accept and return field for field unchanged. Only those skip zod: parsing
 * copies each entry and allocates per field, ≈ 22 ms (and most of the GC) for 10,000
 * profiles. Anything else, and every error message, still goes through `credential`; a
 * property test holds the two to the same answer.
 */
export function isPlainCredential(value: unknown): value is Credential {
  if (value === null || typeof value !== 'object') return false;
  const entry = value as Record<string, unknown>;
  if (typeof entry.provider !== 'string' || entry.provider === '' || entry.setup !== undefined) return false;
  switch (entry.type) {
    case 'api_key':
      return isOptionalString(entry.key) && isOptionalString(entry.apiKey) && entry.keyRef === undefined;
    case 'token':
      return isOptionalString(entry.token) && entry.tokenRef === undefined;
    case 'oauth':
      return isOptionalString(entry.access) && isOptionalString(entry.refresh) && entry.oauthRef === undefined;
    default:
      return false;
  }
}

export type UsageStats = Record<string, z.infer<typeof schemas.usageStatsEntry>>;

export type StoreDocument = z.infer<typeof schemas.storeDocument>;
export const storeDocument = new JsonFormat<StoreDocument>(
  async () => (await loadSchemas()).storeDocument,
  (value) => isJsonObject(value) && isJsonObject(value.profiles) && (value.usageStats === undefined || isJsonObject(value.usageStats)),
);

/** auth-state.json, which most agents do not have (no quick test). */
export const stateDocument = new JsonFormat<z.infer<typeof schemas.stateDocument>>(async () => (await loadSchemas()).stateDocument);

/** One usageStats entry, read leniently; the quick test takes one the schema would keep as it is. */
export const usageStatsEntry = new JsonFormat<UsageStats[string]>(
  async () => (await loadSchemas()).usageStatsEntry,
  (value) => isJsonObject(value) && isOptionalNumber(value.cooldownUntil) && isOptionalNumber(value.disabledUntil) && isOptionalString(value.disabledReason),
);

/** Where a store came from, stamped on each profile it yields. */
export interface StoreOrigin {
  source: string;
  agent: string | null;
  path: string;
  /** Notes shared by every profile of this store (legacy location, file permissions). */
  notes: string[];
  /** When the store was last written (DB row time or file mtime), epoch ms. */
  updatedAtMs: number | null;
}

/** How long a refresh may hold its fence before authwatch calls it stuck. */
const stuckRefreshMs = 5 * 60_000;
const refreshFence = /^openclaw-oauth-refresh-fence:v1:[0-9a-f]{32}:(failed:)?access:[0-9a-f]{64}$/i;

/**
 * While OpenClaw refreshes an OAuth profile it stores an inert fence instead of the tokens
 * (with `expires: 1`). A `failed:` fence means the single-use refresh token is gone.
 */
function fenceProfile(id: string, entry: Credential & { type: 'oauth' }, origin: StoreOrigin, now: number, failed: boolean): Profile {
  const base = { id, provider: entry.provider, source: origin.source, agent: origin.agent, path: origin.path, type: entry.type };
  const fix = remediation(entry.provider, id, entry.type);
  if (failed) {
    return makeProfile({ ...base, verdict: { status: 'expired', reason: `refresh failed — log in again: ${fix}` }, notes: origin.notes });
  }
  const age = origin.updatedAtMs === null ? 0 : now - origin.updatedAtMs;
  if (age > stuckRefreshMs) {
    return makeProfile({
      ...base,
      verdict: { status: 'error', reason: `an OAuth refresh started ${describeSpan(-age)} has not finished (stuck?); if it stays so, log in again: ${fix}` },
      notes: origin.notes,
    });
  }
  return makeProfile({ ...base, refreshable: true, notes: ['OAuth refresh in progress', ...origin.notes] });
}

const knownTypes = new Set<string>(credentialTypes);

function nonEmpty(value: string | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function providerFromId(id: string): string {
  const colon = id.indexOf(':');
  return colon > 0 ? id.slice(0, colon) : 'unknown';
}

/** Parses usageStats entries leniently: a bad entry just has no cooldown to report. */
export async function readUsageStats(raw: Record<string, unknown> | undefined): Promise<UsageStats> {
  const stats: UsageStats = {};
  for (const [id, value] of Object.entries(raw ?? {})) {
    const parsed = await usageStatsEntry.safeParse(value);
    if (parsed.success) stats[id] = parsed.data;
  }
  return stats;
}

/** Cooldown and disabled windows still in the future, in words. */
export function usageNotes(stats: UsageStats[string] | undefined, now: number): readonly string[] {
  if (!stats) return noNotes;
  const notes: string[] = [];
  const reason = stats.disabledReason ? ` (${stats.disabledReason.slice(0, 40)})` : '';
  const until = (ms: number, field: string) => (isValidTimeMs(ms) ? formatLocalTime(ms) : `an invalid time (usageStats ${field} ${ms})`);
  if (stats.disabledUntil !== undefined && stats.disabledUntil > now) {
    notes.push(`disabled until ${until(stats.disabledUntil, 'disabledUntil')}${reason}`);
  }
  if (stats.cooldownUntil !== undefined && stats.cooldownUntil > now) {
    notes.push(`in cooldown until ${until(stats.cooldownUntil, 'cooldownUntil')}`);
  }
  return notes;
}

/**
 * Whether a value from the store may be shown in a message: only when it looks like a name
 * (`oauth`, `env`) — a secret pasted into the wrong field must never be quoted back.
 */
function isName(value: string): boolean {
  return /^[a-z][a-z0-9_-]{0,15}$/.test(value);
}

function describeCredentialProblem(id: string, value: unknown, credential: Schemas['credential']): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `profile "${id}" is not an object`;
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return `profile "${id}": type is missing (expected api_key, token or oauth)`;
  if (!knownTypes.has(type)) {
    return `profile "${id}": unknown credential type ${isName(type) ? `"${type}"` : 'value'} (expected api_key, token or oauth)`;
  }
  const parsed = credential.safeParse(value);
  return parsed.success ? '' : `profile "${id}": ${describeIssues(parsed.error).join('; ')}`;
}

type SecretRefDocument = NonNullable<Extract<Credential, { type: 'api_key' }>['keyRef']>;

function referenceOf(ref: SecretRefDocument): SecretReference {
  if (ref.source === 'env') return { kind: 'env', name: ref.id };
  if (ref.source === 'file') return { kind: 'file', path: ref.id };
  return { kind: 'exec' };
}

function referenceNote(what: string, ref: SecretRefDocument): string {
  return `${what} held by reference (${isName(ref.source) ? ref.source : 'unknown source'})`;
}

function secretOf(entry: Credential): { secret: Profile['secret']; value: string | null; notes: readonly string[]; reference?: SecretReference } {
  switch (entry.type) {
    case 'api_key': {
      const value = nonEmpty(entry.key) ? entry.key : nonEmpty(entry.apiKey) ? entry.apiKey : null;
      if (value) return { secret: 'present', value, notes: noNotes };
      if (entry.keyRef) return { secret: 'reference', value: null, notes: [referenceNote('key', entry.keyRef)], reference: referenceOf(entry.keyRef) };
      return { secret: 'absent', value: null, notes: ['no key stored'] };
    }
    case 'token': {
      if (nonEmpty(entry.token)) return { secret: 'present', value: entry.token, notes: noNotes };
      if (entry.tokenRef) return { secret: 'reference', value: null, notes: [referenceNote('token', entry.tokenRef)], reference: referenceOf(entry.tokenRef) };
      return { secret: 'absent', value: null, notes: ['no token stored'] };
    }
    case 'oauth': {
      if (nonEmpty(entry.access) || nonEmpty(entry.refresh)) {
        return { secret: 'present', value: nonEmpty(entry.access) ? entry.access : entry.refresh!, notes: noNotes };
      }
      if (entry.oauthRef) return { secret: 'reference', value: null, notes: ['encrypted OAuth credential (oauthRef)'], reference: { kind: 'oauthRef', id: entry.oauthRef.id } };
      return { secret: 'absent', value: null, notes: ['no access or refresh token stored'] };
    }
  }
}

function profileFromCredential(id: string, entry: Credential, origin: StoreOrigin, stats: UsageStats, now: number): Profile {
  if (entry.type === 'oauth' && entry.access) {
    const fence = refreshFence.exec(entry.access);
    if (fence) return fenceProfile(id, entry, origin, now, fence[1] !== undefined);
  }
  const expires = entry.type === 'api_key' ? ({ ok: true, ms: null } as const) : checkEpochMs(entry.expires, 'expires');
  if (!expires.ok) {
    const row = { id, provider: entry.provider, source: origin.source, agent: origin.agent, path: origin.path, type: entry.type };
    return problemProfile(row, `${origin.path}: profile "${id}": ${expires.message}`);
  }
  const { secret, value, notes, reference } = secretOf(entry);
  const replaced = entry.setup?.replacement !== undefined;
  const usage = usageNotes(stats[id], now);
  const own = replaced ? ['replaced by a newer setup (setup_inactive)'] : notes;
  // The whole profile written out, not through makeProfile: this runs once per credential,
  // and the fields object makeProfile copies from would be one more object per profile.
  return {
    id,
    provider: entry.provider,
    source: origin.source,
    type: entry.type,
    agent: origin.agent,
    path: origin.path,
    expiresAt: expires.ms,
    refreshable: entry.type === 'oauth' && (nonEmpty(entry.refresh) || entry.oauthRef !== undefined),
    secret: replaced ? 'absent' : secret,
    reference: reference ?? null,
    fingerprint: value ? fingerprint(value) : null,
    fileExposed: false,
    notes: usage.length === 0 && origin.notes.length === 0 ? own : [...own, ...usage, ...origin.notes],
    problem: null,
    verdict: null,
  };
}

/**
 * Turns a store document into profiles, one per entry. A malformed entry becomes an `error`
 * row of its own; the other entries are unaffected.
 */
export async function profilesFromStore(document: StoreDocument, stats: UsageStats, origin: StoreOrigin, now: number): Promise<Profile[]> {
  const entries = document.profiles;
  const ids = Object.keys(entries);
  const profiles = new Array<Profile>(ids.length);
  let schemas: Schemas | undefined;
  // Keys and an indexed loop: entries().map(([id, value]) => …) made a pair per entry and
  // destructured it through the iterator protocol, per entry of a 10,000-profile store.
  for (let index = 0; index < ids.length; index++) {
    const id = ids[index]!;
    const value = entries[id];
    if (isPlainCredential(value)) profiles[index] = profileFromCredential(id, value, origin, stats, now);
    else {
      schemas ??= await loadSchemas();
      profiles[index] = profileFromUnusual(id, value, origin, stats, now, schemas.credential);
    }
  }
  return profiles;
}

/** An entry that needs zod: references, `setup`, or something malformed (an `error` row). */
function profileFromUnusual(id: string, value: unknown, origin: StoreOrigin, stats: UsageStats, now: number, credential: Schemas['credential']): Profile {
  const parsed = credential.safeParse(value);
  if (parsed.success) return profileFromCredential(id, parsed.data, origin, stats, now);
  const declaredProvider = (value as { provider?: unknown } | null)?.provider;
  return problemProfile(
    {
      id,
      provider: typeof declaredProvider === 'string' && declaredProvider ? declaredProvider : providerFromId(id),
      source: origin.source,
      agent: origin.agent,
      path: origin.path,
    },
    `${origin.path}: ${describeCredentialProblem(id, value, credential)}`,
  );
}
