import type { Fingerprint } from '../core/fingerprint.js';

export const credentialTypes = ['api_key', 'token', 'oauth'] as const;
export type CredentialType = (typeof credentialTypes)[number];

/**
 * One credential as a source found it, before any judgement. Never holds the secret itself:
 * sources keep at most its fingerprint (a lazy one keeps the secret in a closure, out of
 * reach of anything that serialises or inspects a profile).
 */
export interface Profile {
  /** OpenClaw's profile id where there is one (`anthropic:default`), else a stable label. */
  id: string;
  provider: string;
  /** Name of the source module that produced it (`openclaw`, `env`, `claude-code`, …). */
  source: string;
  /** `null` for rows that stand for a failure to read, not for a credential. */
  type: CredentialType | null;
  /** OpenClaw agent id, `null` outside OpenClaw's per-agent stores. */
  agent: string | null;
  /** The file it came from, `null` for the process environment. */
  path: string | null;
  /** Expiry as stored, epoch milliseconds; `null` when the credential stores none. */
  expiresAt: number | null;
  /** An OAuth credential with a refresh token: its access token rotating is routine. */
  refreshable: boolean;
  /** `absent` makes the profile `missing`; `reference` is a secret held elsewhere (keyRef…). */
  secret: 'present' | 'absent' | 'reference';
  /** Where a `reference` secret lives, to check that it is there (never to read it). */
  reference: SecretReference | null;
  /** First 8 hex digits of the secret's SHA-256, for telling credentials apart. */
  fingerprint: Fingerprint | null;
  /** Its file can be read by users other than the owner (group or others). */
  fileExposed: boolean;
  /** Facts worth showing next to the status (file permissions, where from). */
  notes: readonly string[];
  /**
   * Its store's `usageStats` entry (cooldown, disabled and blocked windows, last use), as stored;
   * `null` where there is none. Judged in one place, src/evaluate/windows.ts.
   */
  usage: UsageFacts | null;
  /** Set when this row stands for something that could not be read or understood. */
  problem: string | null;
  /**
   * A status the source knows for certain whatever the expiry says — an OAuth refresh that
   * failed and consumed the refresh token is expired even though no expiry has passed.
   */
  verdict: { status: 'expired' | 'missing' | 'error'; reason: string } | null;
  /** The fleet name of the gateway that reported it (the config's `gateways[].name`); absent for every other row. */
  gateway?: string;
}

/** One place a source looked, for the report's `sources` list. */
export interface SourceVisit {
  name: string;
  path: string | null;
  /** Whether anything was there (a missing file is fine, just not found). */
  found: boolean;
  ok: boolean;
  error: string | null;
  /** For an OpenClaw profile store: its `order` and its config keys' windows, which decide the gateway's routes. */
  authStore?: AuthStoreFacts;
  /** The fleet name of the gateway visited (as on its rows); absent for every other place. */
  gateway?: string;
}

/** One `usageStats` entry of OpenClaw's auth state (times epoch ms), as stored. */
export interface UsageFacts {
  lastUsed?: number;
  /** The last failure the gateway recorded (it opens or extends a window). */
  lastFailureAt?: number;
  cooldownUntil?: number;
  cooldownReason?: string;
  cooldownModel?: string;
  disabledUntil?: number;
  disabledReason?: string;
  blockedUntil?: number;
  blockedReason?: string;
  blockedScope?: string;
  blockedModel?: string;
}

export interface AuthStoreFacts {
  /** The store's `order`: provider (lower-cased) → profile ids. */
  order: Readonly<Record<string, readonly string[]>>;
  /** `usageStats` of the config keys (`inline-api-key:<provider>`); a profile's own entry is on the profile. */
  inlineKeys: Readonly<Record<string, UsageFacts>>;
}

export interface SourceResult {
  profiles: Profile[];
  visits: SourceVisit[];
}

/** What every source may look at: the environment and home it runs against. */
export interface SourceContext {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  now: number;
  /** `--agent`: restrict OpenClaw's per-agent stores to this agent id. */
  agent: string | null;
  /** Set only when live checks are on: where a source hands over the secret it read (see src/live). */
  handOverSecret?: SecretHandOver;
  /** `openclaw.profiles` of the authwatch config: the `openclaw --profile NAME` state dirs to read too. */
  openclawProfiles?: readonly string[];
}

/** The secret a live check sends, as a source read it; never part of a profile. */
export interface HandedSecret {
  value: string;
  /** ChatGPT account id, sent with a Codex login's usage request. */
  accountId?: string;
}

/** Write-only: a source can give a secret to the live checks, nothing can read it back from here. */
export type SecretHandOver = (row: Pick<Profile, 'source' | 'agent' | 'id'>, secret: HandedSecret) => void;

export interface Source {
  name: string;
  read(context: SourceContext): Promise<SourceResult>;
}

export type SecretReference =
  | { kind: 'env'; name: string }
  | { kind: 'file'; path: string }
  | { kind: 'exec' }
  /** A `store` ref: an entry of the state DB's `secret_store_entries`. */
  | { kind: 'store'; name: string }
  | { kind: 'oauthRef'; id: string };

/** Shared by every profile without notes (notes are never changed in place, only replaced). */
export const noNotes: readonly string[] = Object.freeze([]);

/** A profile with every field not given at its default. */
export function makeProfile(fields: Pick<Profile, 'id' | 'provider' | 'source'> & Partial<Profile>): Profile {
  return {
    id: fields.id,
    provider: fields.provider,
    source: fields.source,
    type: fields.type ?? null,
    agent: fields.agent ?? null,
    path: fields.path ?? null,
    expiresAt: fields.expiresAt ?? null,
    refreshable: fields.refreshable ?? false,
    secret: fields.secret ?? 'present',
    reference: fields.reference ?? null,
    fingerprint: fields.fingerprint ?? null,
    fileExposed: fields.fileExposed ?? false,
    notes: fields.notes ?? noNotes,
    usage: fields.usage ?? null,
    problem: fields.problem ?? null,
    verdict: fields.verdict ?? null,
    ...(fields.gateway ? { gateway: fields.gateway } : {}),
  };
}

/** A row that stands for a source (or one entry of it) that could not be read. */
export function problemProfile(
  fields: Pick<Profile, 'id' | 'provider' | 'source' | 'path'> & Partial<Profile>,
  problem: string,
): Profile {
  return makeProfile({ ...fields, secret: 'absent', problem });
}

export function foundVisit(name: string, path: string | null): SourceVisit {
  return { name, path, found: true, ok: true, error: null };
}

export function absentVisit(name: string, path: string | null): SourceVisit {
  return { name, path, found: false, ok: true, error: null };
}

export function failedVisit(name: string, path: string | null, error: string): SourceVisit {
  return { name, path, found: true, ok: false, error };
}
