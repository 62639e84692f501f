import { describeSpan } from '../core/duration.js';
import { remediation } from '../evaluate/remediation.js';
import { lazyFingerprint } from '../core/fingerprint.js';
import { isValidTimeMs } from '../core/iso-time.js';
import { checkEpochMs } from './epoch.js';
import { isJsonObject, JsonObject, Problems, readObject, type Read } from '../core/json-reader.js';
import { credentialTypes, makeProfile, noNotes, problemProfile, type Profile, type SecretHandOver, type SecretReference, type UsageFacts } from './source.js';
import { readsAsWords } from '../core/quote-argument.js';

// OpenClaw's auth profile store (auth-profiles.json, and the same document inside its SQLite
// store), its state part (auth-state.json), their usageStats entries and the credentials in
// `profiles`: one reader each.

/** The store document. Its entries are read one by one, so that a bad one is a row of its own. */
interface StoreDocument {
  profiles: Record<string, unknown>;
  usageStats?: Record<string, unknown>;
  order: Record<string, string[]>;
}

export function readStoreDocument(document: unknown): Read<StoreDocument> {
  return readObject(document, (store) => ({
    profiles: store.requiredMap('profiles', 'must be an object mapping profile ids to credentials'),
    // Read leniently, as OpenClaw does: usage stats that are not an object are none.
    usageStats: isJsonObject(store.fields.usageStats) ? store.fields.usageStats : undefined,
    order: readOrder(store.fields.order),
  }));
}

/** The store's `order`, read leniently as OpenClaw does: provider ids lower-cased, non-strings dropped. */
function readOrder(raw: unknown): Record<string, string[]> {
  const order: Record<string, string[]> = {};
  if (!isJsonObject(raw)) return order;
  for (const [provider, ids] of Object.entries(raw)) {
    if (Array.isArray(ids) && provider !== '__proto__') order[provider.trim().toLowerCase()] = ids.filter((id): id is string => typeof id === 'string');
  }
  return order;
}

/** auth-state.json, which most agents do not have. */
export function readStateDocument(document: unknown): Read<{ usageStats?: Record<string, unknown>; order: Record<string, string[]> }> {
  return readObject(document, (state) => ({ usageStats: state.map('usageStats'), order: readOrder(state.fields.order) }));
}

type UsageStats = Record<string, UsageFacts>;

const finiteOrNone = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
/** A reason or model name as OpenClaw writes them (`billing`, `claude-opus-4-6`); anything else is never shown. */
const textOrNone = (value: unknown) => (typeof value !== 'string' ? undefined : readsAsWords(value) && value.length <= 80 ? value : '(not shown)');

/** The usageStats entries, read leniently: a bad entry or field just has no cooldown to report. */
export function readUsageStats(raw: Record<string, unknown> | undefined): UsageStats {
  const stats: UsageStats = {};
  for (const [id, value] of Object.entries(raw ?? {})) {
    if (!isJsonObject(value) || id === '__proto__') continue;
    stats[id] = {
      lastUsed: finiteOrNone(value.lastUsed),
      lastFailureAt: finiteOrNone(value.lastFailureAt),
      cooldownUntil: finiteOrNone(value.cooldownUntil),
      cooldownReason: textOrNone(value.cooldownReason),
      cooldownModel: textOrNone(value.cooldownModel),
      disabledUntil: finiteOrNone(value.disabledUntil),
      disabledReason: textOrNone(value.disabledReason),
      blockedUntil: finiteOrNone(value.blockedUntil),
      blockedReason: textOrNone(value.blockedReason),
      blockedScope: textOrNone(value.blockedScope),
      blockedModel: textOrNone(value.blockedModel),
    };
  }
  return stats;
}

/** A profile's own usageStats entry, `null` when it has none. */
const usageOf = (stats: UsageStats, id: string): UsageFacts | null => (Object.hasOwn(stats, id) ? stats[id]! : null);

/** The usageStats entries of the config keys (`inline-api-key:<provider>`), which are no profile's. */
export function inlineKeyUsage(stats: UsageStats): UsageStats {
  return Object.fromEntries(Object.entries(stats).filter(([id]) => id.startsWith('inline-api-key:')));
}

/** Where a secret held elsewhere lives (`keyRef`, `tokenRef`). */
interface SecretRefDocument {
  source: string;
  id: string;
}

interface CredentialBase {
  provider: string;
  /** `setup.replacement` is set: a newer `claude setup-token` credential replaced it (setup_inactive). */
  replaced: boolean;
}

/** One entry of the store's `profiles`. */
type Credential =
  | (CredentialBase & { type: 'api_key'; key?: string; apiKey?: string; keyRef?: SecretRefDocument })
  | (CredentialBase & { type: 'token'; token?: string; tokenRef?: SecretRefDocument; expires?: unknown })
  | (CredentialBase & { type: 'oauth'; access?: string; refresh?: string; expires?: unknown; oauthRef?: { id: string }; accountId?: string });

const readSecretRef = (ref: JsonObject): SecretRefDocument => ({ source: ref.requiredString('source'), id: ref.requiredString('id') });

function readCredentialFields(type: Credential['type'], entry: JsonObject): Credential {
  const setup = entry.fields.setup;
  // OpenClaw keeps `setup` only with a boolean replacement, a modelRef and a configJson (persisted-*.mjs `normalizeSavedSetupCredential`).
  const text = (value: unknown) => typeof value === 'string' && value.trim() !== '';
  const replaced = isJsonObject(setup) && setup.replacement === true && text(setup.modelRef) && text(setup.configJson);
  const provider = entry.requiredString('provider');
  if (provider === '' && typeof entry.fields.provider === 'string') entry.problems.add(entry.at('provider'), 'must not be empty');
  // Written out, not spread from a shared base: this runs once per credential of the store.
  switch (type) {
    case 'api_key':
      return { type, provider, replaced, key: entry.string('key'), apiKey: entry.string('apiKey'), keyRef: entry.object('keyRef', readSecretRef) };
    case 'token':
      return { type, provider, replaced, token: entry.string('token'), tokenRef: entry.object('tokenRef', readSecretRef), expires: entry.fields.expires };
    case 'oauth':
      return {
        type,
        provider,
        replaced,
        access: entry.string('access'),
        refresh: entry.string('refresh'),
        expires: entry.fields.expires,
        oauthRef: entry.object('oauthRef', (ref) => ({ id: ref.requiredString('id') })),
        // ChatGPT logins: OpenClaw sends it as `ChatGPT-Account-Id` (usage-*.mjs, provider-usage.fetch.codex-*.mjs).
        accountId: entry.string('accountId'),
      };
  }
}

const failed = (id: string, problem: string): Read<Credential> => ({ ok: false, problems: [`profile "${id}"${problem}`] });

const isRefShape = (value: unknown) => isJsonObject(value) && typeof value.source === 'string' && typeof value.id === 'string';

/**
 * The legacy shapes OpenClaw rewrites on every load (persisted-*.mjs `normalizeRawCredentialEntry`):
 * `mode` as the type, type `apiKey`, `apiKey` as the key, a secret object in `key`/`token` as its ref.
 */
function normalizeLegacyShape(raw: Record<string, unknown>): Record<string, unknown> {
  const entry = { ...raw };
  if (!('type' in entry) && typeof entry.mode === 'string') entry.type = entry.mode;
  if (entry.type === 'apiKey') entry.type = 'api_key';
  if (!('key' in entry) && !isRefShape(entry.keyRef) && typeof entry.apiKey === 'string') entry.key = entry.apiKey;
  for (const [field, refField] of [['key', 'keyRef'], ['token', 'tokenRef']] as const) {
    const held = entry[field];
    if (held === null || held === undefined || typeof held === 'string') continue;
    if (isRefShape(held) && !isRefShape(entry[refField])) entry[refField] = held;
    delete entry[field];
  }
  return entry;
}

/** One credential of the store; its problems are whole lines naming the profile. */
export function readCredential(id: string, raw: unknown): Read<Credential> {
  if (!isJsonObject(raw)) return failed(id, ' is not an object');
  const value = normalizeLegacyShape(raw);
  const { type } = value;
  if (typeof type !== 'string') return failed(id, ': type is missing (expected api_key, token or oauth)');
  if (!isCredentialType(type)) return failed(id, `: unknown credential type ${isName(type) ? `"${type}"` : 'value'} (expected api_key, token or oauth)`);
  const problems = new Problems();
  const credential = readCredentialFields(type, new JsonObject(value, [], problems));
  return problems.lines.length === 0 ? { ok: true, value: credential } : failed(id, `: ${problems.lines.join('; ')}`);
}

/** Where a store came from, stamped on each profile it yields. */
export interface StoreOrigin {
  source: string;
  agent: string | null;
  path: string;
  /** Notes shared by every profile of this store (legacy location, file permissions). */
  notes: string[];
  /** When the store was last written (DB row time or file mtime), epoch ms. */
  updatedAtMs: number | null;
  /** The live checks' hand-over, when they are on. */
  handOverSecret?: SecretHandOver;
}

/** How long a refresh may hold its fence before authwatch calls it stuck. */
const stuckRefreshMs = 5 * 60_000;
const refreshFence = /^openclaw-oauth-refresh-fence:v1:[0-9a-f]{32}:(failed:)?access:[0-9a-f]{64}$/i;

/**
 * While OpenClaw refreshes an OAuth profile it stores an inert fence instead of the tokens
 * (with `expires: 1`). A `failed:` fence means the single-use refresh token is gone.
 */
function fenceProfile(id: string, entry: Credential & { type: 'oauth' }, origin: StoreOrigin, usage: UsageFacts | null, now: number, failed: boolean): Profile {
  const base = { id, provider: entry.provider, source: origin.source, agent: origin.agent, path: origin.path, type: entry.type, usage };
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

/**
 * An `expires` OpenClaw cannot use is that profile's own problem, not the store's: not a number,
 * not finite, ≤ 0 or past the Date range is `invalid_expires` (credential-state `resolveTokenExpiryState`:
 * the profile is missing); a small number (seconds, 1970) is a time long past (expired). Either
 * way the row counts only where a route would pick it.
 */
function unusableExpiry(id: string, entry: Credential, origin: StoreOrigin, usage: UsageFacts | null, message: string): Profile {
  const written = entry.type === 'api_key' ? undefined : entry.expires;
  const invalid = !isValidTimeMs(written);
  const row = { id, provider: entry.provider, source: origin.source, agent: origin.agent, path: origin.path, type: entry.type, notes: origin.notes, usage };
  return makeProfile({ ...row, secret: secretOf(entry).secret, verdict: { status: invalid ? 'missing' : 'expired', reason: `${invalid ? 'invalid_expires: ' : ''}${message} (${origin.path})` } });
}

const knownTypes = new Set<string>(credentialTypes);
const isCredentialType = (type: string): type is Credential['type'] => knownTypes.has(type);

function nonEmpty(value: string | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function providerFromId(id: string): string {
  const colon = id.indexOf(':');
  return colon > 0 ? id.slice(0, colon) : 'unknown';
}

/**
 * Whether a value from the store may be shown in a message: only when it looks like a name
 * (`oauth`, `env`) — a secret pasted into the wrong field must never be quoted back.
 */
function isName(value: string): boolean {
  return /^[a-z][a-z0-9_-]{0,15}$/.test(value);
}

function referenceOf(ref: SecretRefDocument): SecretReference {
  if (ref.source === 'env') return { kind: 'env', name: ref.id };
  if (ref.source === 'file') return { kind: 'file', path: ref.id };
  if (ref.source === 'store') return { kind: 'store', name: ref.id };
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

function profileFromCredential(id: string, entry: Credential, origin: StoreOrigin, usage: UsageFacts | null, now: number): Profile {
  if (entry.type === 'oauth' && entry.access) {
    const fence = refreshFence.exec(entry.access);
    if (fence) return fenceProfile(id, entry, origin, usage, now, fence[1] !== undefined);
  }
  const expires = entry.type === 'api_key' ? ({ ok: true, ms: null } as const) : checkEpochMs(entry.expires, 'expires');
  if (!expires.ok) return unusableExpiry(id, entry, origin, usage, expires.message);
  const { secret, value, notes, reference } = secretOf(entry);
  // An OAuth entry hands over its access token only, never the refresh token `value` may be.
  const sendable = entry.type === 'oauth' ? (nonEmpty(entry.access) ? entry.access : null) : value;
  const accountId = entry.type === 'oauth' && nonEmpty(entry.accountId) ? entry.accountId.trim() : null;
  if (sendable && origin.handOverSecret && !entry.replaced) origin.handOverSecret({ source: origin.source, agent: origin.agent, id }, { value: sendable, ...(accountId ? { accountId } : {}) });
  const own = entry.replaced ? ['replaced by a newer setup (setup_inactive)'] : notes;
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
    secret: entry.replaced ? 'absent' : secret,
    reference: reference ?? null,
    fingerprint: value ? lazyFingerprint(value) : null,
    fileExposed: false,
    notes: origin.notes.length === 0 ? own : [...own, ...origin.notes],
    usage,
    problem: null,
    verdict: null,
  };
}

/**
 * Turns a store document into profiles, one per entry. A malformed entry becomes an `error`
 * row of its own; the other entries are unaffected.
 */
export function profilesFromStore(document: StoreDocument, stats: UsageStats, origin: StoreOrigin, now: number): Profile[] {
  return Object.entries(document.profiles).map(([id, value]) => {
    const read = readCredential(id, value);
    const usage = usageOf(stats, id);
    return read.ok ? profileFromCredential(id, read.value, origin, usage, now) : { ...unreadable(id, value, origin, read.problems), usage };
  });
}

/** On the row of an entry OpenClaw skips when it loads the store ("ignored invalid auth profile entries"). */
export const droppedEntryNote = 'OpenClaw skips this entry when it loads the store';

/**
 * On the row of an entry of a credential type authwatch does not know (a newer OpenClaw's?):
 * OpenClaw drops it on load too, so it is reported but fails no check (issue 32 §2).
 */
export const unknownTypeNote = 'a credential type authwatch does not know: shown, not counted (upgrade authwatch if a newer OpenClaw wrote it)';

/** The `error` row of an entry that is not a credential. */
function unreadable(id: string, value: unknown, origin: StoreOrigin, problems: string[]): Profile {
  const declaredProvider = isJsonObject(value) ? value.provider : undefined;
  const row = problemProfile(
    {
      id,
      provider: typeof declaredProvider === 'string' && declaredProvider ? declaredProvider : providerFromId(id),
      source: origin.source,
      agent: origin.agent,
      path: origin.path,
    },
    `${origin.path}: ${problems.join('; ')}`,
  );
  const type = isJsonObject(value) ? normalizeLegacyShape(value).type : undefined;
  const unknownType = typeof type === 'string' && !isCredentialType(type);
  return { ...row, notes: unknownType ? [droppedEntryNote, unknownTypeNote] : [droppedEntryNote] };
}
