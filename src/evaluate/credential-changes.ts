import { nameForFiles } from '../core/scrub.js';
import type { Evaluation } from './evaluate.js';

// When a credential in an unusable window was replaced. OpenClaw keeps a profile's usageStats
// when the profile gets a new key or token (`upsertAuthProfileWithLock` leaves them alone), so a
// billing disable earned by the old key still blocks the new one until it ends or a request on
// that profile succeeds. Nothing in the stores says when a credential changed: authwatch
// remembers the fingerprint of each credential that sits in a window, run to run, and sees
// the change itself. Pure: the memory, what this run sees and `now` in, the next memory out.

/** What authwatch remembers of one credential in a window. */
export interface WatchedCredential {
  fingerprint: string;
  /** The last run that saw this fingerprint. */
  seenAt: number;
  /** The run that first saw this fingerprint replace another; `null`: no change seen. */
  changedAt: number | null;
  /** The last run that saw the fingerprint it replaced: the change happened after it. */
  changedAfter: number | null;
}

export interface CredentialMemory {
  version: 1;
  /** By credentialKey. */
  credentials: Record<string, WatchedCredential>;
}

/** A change authwatch saw: after `changedAfter`, at the latest by `changedAt`. */
export interface CredentialChange {
  changedAt: number;
  changedAfter: number;
}

export const emptyCredentialMemory = (): CredentialMemory => ({ version: 1, credentials: {} });

/** Entries of credentials this run did not see (a source that failed, a profile removed) are kept this long. */
const keepUnseenMs = 7 * 24 * 3600_000;

/** One credential row: the same id in two stores (a JSON store beside the state DB) is two credentials. */
export function credentialKey({ profile }: Pick<Evaluation, 'profile'>): string {
  return `${profile.source} ${profile.path ?? '-'} ${profile.agent ?? '-'}/${nameForFiles(profile.id)}`;
}

/**
 * Only a key or token says by its fingerprint that it was replaced: an OAuth login renews its
 * tokens by itself, which is no new credential.
 */
const changeIsVisible = (e: Evaluation): boolean => (e.profile.type === 'api_key' || e.profile.type === 'token') && e.profile.fingerprint !== null;

/**
 * The next memory: each of `inWindow` (credentials in an unusable window) remembered with the
 * time it was seen; a new fingerprint is a change, after the last time the old one was seen.
 * `seen` are the keys of every credential this run read: one seen outside a window is
 * forgotten, one not seen at all is kept a week.
 */
export function trackCredentialChanges(memory: CredentialMemory, inWindow: readonly Evaluation[], seen: ReadonlySet<string>, now: number): CredentialMemory {
  const credentials: Record<string, WatchedCredential> = {};
  const windowed = new Set<string>();
  // A clock that went back never leaves a time ahead of this run in the memory.
  const clamp = (time: number | null) => (time === null ? null : Math.min(time, now));
  for (const e of inWindow) {
    if (!changeIsVisible(e)) continue;
    const key = credentialKey(e);
    windowed.add(key);
    const fingerprint = e.profile.fingerprint!.hex;
    const before = memory.credentials[key];
    credentials[key] =
      before === undefined
        ? { fingerprint, seenAt: now, changedAt: null, changedAfter: null }
        : before.fingerprint === fingerprint
          ? { fingerprint, seenAt: now, changedAt: clamp(before.changedAt), changedAfter: clamp(before.changedAfter) }
          : { fingerprint, seenAt: now, changedAt: now, changedAfter: clamp(before.seenAt) };
  }
  for (const [key, entry] of Object.entries(memory.credentials)) {
    if (!windowed.has(key) && !seen.has(key) && now - entry.seenAt < keepUnseenMs) credentials[key] = entry;
  }
  return { version: 1, credentials };
}

/** The changes the memory knows of, by profile key. */
export function credentialChanges(memory: CredentialMemory): Map<string, CredentialChange> {
  const changes = new Map<string, CredentialChange>();
  for (const [key, entry] of Object.entries(memory.credentials)) {
    if (entry.changedAt !== null && entry.changedAfter !== null) changes.set(key, { changedAt: entry.changedAt, changedAfter: entry.changedAfter });
  }
  return changes;
}

/** Whether two memories say the same (a run that learnt nothing writes nothing). */
export function sameMemory(a: CredentialMemory, b: CredentialMemory): boolean {
  const keys = Object.keys(a.credentials);
  if (keys.length !== Object.keys(b.credentials).length) return false;
  return keys.every((key) => {
    const x = a.credentials[key]!;
    const y = b.credentials[key];
    return y !== undefined && x.fingerprint === y.fingerprint && x.changedAt === y.changedAt && x.changedAfter === y.changedAfter && x.seenAt === y.seenAt;
  });
}
