import { readObject, type JsonObject, type Read } from '../core/json-reader.js';
import { statuses, type Status } from '../evaluate/status.js';

// The alert memory (`state.json`), read at every run that has channels. authwatch writes it
// and reads it back; a state that does not read is moved aside (store.ts).

// A profile's entry no longer keeps a fingerprint (no decision read it: what a channel was told
// keeps its own), so a run with channels and nothing to send hashes no credential and loads no
// node:crypto. The key stays, always null: an older authwatch requires it, and one that cannot
// read the file moves it aside and tells again (a rollback must not re-send). An older file's
// value is ignored.
export interface ProfileMemory {
  status: Status;
  since: number;
  fingerprint: null;
}

export interface ChannelMemory {
  /** What this channel was last successfully told, per profile key (only bad statuses). */
  told: Record<string, { status: Status; at: number; fingerprint: string | null }>;
  failures: number;
  retryAt: number | null;
  lastError: string | null;
}

export interface AlertState {
  version: 1;
  /** Last seen status of every profile, and since when. */
  profiles: Record<string, ProfileMemory>;
  channels: Record<string, ChannelMemory>;
}

const knownStatuses = new Set<string>(statuses);

function status(memory: JsonObject): Status {
  const value = memory.fields.status;
  if (typeof value === 'string' && knownStatuses.has(value)) return value as Status;
  memory.problems.expected(memory.at('status'), `one of ${statuses.join(', ')}`, value);
  return 'error';
}

/** A field that must be there and may be `null`. */
function nullable<T>(object: JsonObject, key: string, read: (key: string) => T): T | null {
  return object.fields[key] === null ? null : read(key);
}

const fingerprint = (memory: JsonObject) => nullable(memory, 'fingerprint', (key) => memory.requiredString(key));

function failures(channel: JsonObject): number {
  const value = channel.fields.failures;
  if (Number.isSafeInteger(value) && (value as number) >= 0) return value as number;
  channel.problems.expected(channel.at('failures'), 'a count (0 or more)', value);
  return 0;
}

export function readAlertState(document: unknown): Read<AlertState> {
  return readObject(document, (state) => {
    if (state.fields.version !== 1) state.problems.add(state.at('version'), 'Invalid input: expected 1');
    return {
      version: 1,
      profiles: state.mapOf('profiles', (memory) => ({ status: status(memory), since: memory.requiredTime('since'), fingerprint: null })),
      channels: state.mapOf('channels', (channel) => ({
        told: channel.mapOf('told', (told) => ({ status: status(told), at: told.requiredTime('at'), fingerprint: fingerprint(told) })),
        failures: failures(channel),
        retryAt: nullable(channel, 'retryAt', (key) => channel.requiredTime(key)),
        lastError: nullable(channel, 'lastError', (key) => channel.requiredString(key)),
      })),
    };
  });
}
