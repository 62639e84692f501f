import { join } from 'node:path';
import { lockState } from '../core/state-lock.js';
import { readStateFile } from '../core/state-dir.js';
import { writeFileAtomic } from '../core/atomic-write.js';
import { liveVerdicts, type LiveVerdict, type Money, type QuotaWindow } from '../evaluate/live.js';
import { isValidTimeMs } from '../core/iso-time.js';
import { cleanMessage } from './provider.js';

/**
 * One credential's last live result, as kept in `<state dir>/live.json`. Keyed by checker and
 * the credential's fingerprint, never by anything secret: a new key is a new credential. A model
 * lookup (`checker:credential:model`, the model's fingerprint too) keeps `works` for a model the
 * provider lists and `rejected` for one it says does not exist (run.ts `modelFactOf`).
 */
export interface KeptResult {
  observedAt: number;
  verdict: Exclude<LiveVerdict, 'not-checkable'>;
  httpStatus: number | null;
  message: string;
  lastWorkedAt: number | null;
  /** When the provider last answered conclusively (anything but inconclusive); `null`: never yet. */
  lastConclusiveAt: number | null;
  /** When this credential was first checked: the stale alert's start when no answer was ever conclusive. */
  firstCheckedAt: number;
  windows: QuotaWindow[];
  money: Money[];
  /** The credential's end as the provider reported it. */
  expiresAt: number | null;
  /** No request for this credential before this time (interval, jitter, retry-after, or a run's claim). */
  nextAt: number;
}

export type KeptResults = Record<string, KeptResult>;

const fileName = 'live.json';
/** Results nobody asked about for this long are dropped (credentials that are gone). */
const keepMs = 30 * 86_400_000;

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const finiteOrNull = (value: unknown): number | null => (finite(value) ? value : null);
/** A time field: absent (`null`) or a valid time; anything else makes the entry unreadable. */
const timeOrNull = (value: unknown): number | null | undefined => (value === null || value === undefined ? null : isValidTimeMs(value) ? value : undefined);

/** One kept entry, or `null` when it is not one (a damaged entry is checked again, nothing worse). */
function readEntry(value: unknown): KeptResult | null {
  if (typeof value !== 'object' || value === null) return null;
  const entry = value as Record<string, unknown>;
  const verdict = entry.verdict as KeptResult['verdict'];
  // Times out of a Date's range (a resets_at of 1e300 once kept here) crashed every later run: such an entry is checked again.
  if (!isValidTimeMs(entry.observedAt) || !isValidTimeMs(entry.nextAt) || !liveVerdicts.includes(verdict) || verdict === ('not-checkable' as string)) return null;
  const lastWorkedAt = timeOrNull(entry.lastWorkedAt);
  const windows = Array.isArray(entry.windows)
    ? entry.windows.flatMap((w: Record<string, unknown>) =>
        w && typeof w.name === 'string' && finite(w.utilization) ? [{ name: cleanMessage(w.name), utilization: w.utilization, resetsAt: timeOrNull(w.resetsAt), periodMs: finite(w.periodMs) && w.periodMs > 0 ? w.periodMs : null, ...(typeof w.model === 'string' ? { model: cleanMessage(w.model) } : {}) }] : [],
      )
    : [];
  if (lastWorkedAt === undefined || windows.some((w) => w.resetsAt === undefined)) return null;
  const money = Array.isArray(entry.money)
    ? entry.money.flatMap((m: Record<string, unknown>) =>
        m && typeof m.name === 'string' && typeof m.unit === 'string' && typeof m.period === 'string'
          ? [{ name: cleanMessage(m.name), unit: cleanMessage(m.unit), period: cleanMessage(m.period), spent: finiteOrNull(m.spent), limit: finiteOrNull(m.limit), left: finiteOrNull(m.left), today: finiteOrNull(m.today) }]
          : [],
      )
    : [];
  const expiresAt = timeOrNull(entry.expiresAt);
  return {
    observedAt: entry.observedAt,
    verdict,
    httpStatus: finiteOrNull(entry.httpStatus),
    message: typeof entry.message === 'string' ? cleanMessage(entry.message) : '',
    lastWorkedAt,
    // Entries of earlier versions: their observation is the best known start.
    lastConclusiveAt: isValidTimeMs(entry.lastConclusiveAt) ? entry.lastConclusiveAt : verdict === 'inconclusive' ? null : entry.observedAt,
    firstCheckedAt: isValidTimeMs(entry.firstCheckedAt) ? entry.firstCheckedAt : entry.observedAt,
    windows: windows as QuotaWindow[],
    money,
    expiresAt: expiresAt ?? null,
    nextAt: entry.nextAt,
  };
}

/** The kept results; a missing or unreadable file is no results (the checks run again). */
export function loadResults(dir: string): KeptResults {
  let document: unknown;
  try {
    document = JSON.parse(readStateFile(dir, fileName, 'live results') ?? 'null');
  } catch {
    return {};
  }
  const results: KeptResults = {};
  const entries = (document as { results?: unknown } | null)?.results;
  if (typeof entries !== 'object' || entries === null) return results;
  for (const [key, value] of Object.entries(entries)) {
    const entry = /^[a-z0-9-]+:[0-9a-f]{8}(:[0-9a-f]{8})?$/.test(key) ? readEntry(value) : null;
    if (entry) results[key] = entry;
  }
  return results;
}

/** The store's own lock: held for a read and a write, never across a request. */
const lockName = 'live.lock';
const lockWaitMs = 5_000;

function writeResults(dir: string, results: KeptResults, now: number): void {
  for (const [key, entry] of Object.entries(results)) if (now - entry.observedAt > keepMs) delete results[key];
  writeFileAtomic(join(dir, fileName), `${JSON.stringify({ version: 1, results }, null, 1)}\n`, { mode: 0o600, durable: false });
}

/**
 * Claims the slots of the credentials `due` (checker:fingerprint keys) that no other run has
 * claimed or answered since this run looked: under the store's lock, each still due gets its
 * `nextAt` pushed past this run's live checks (`claimMs`), so an overlapping run finds it not
 * due and reads the answer this run keeps. A run killed after claiming loses only that wait.
 * Returns what it claimed and the store as it is now; `heldBy` when the lock stayed held.
 */
export async function claimSlots(dir: string, due: readonly string[], now: number, claimMs: number): Promise<{ claimed: Set<string>; results: KeptResults; heldBy?: string }> {
  const lock = await lockState(dir, lockWaitMs, lockName);
  if (!lock.release) return { claimed: new Set(), results: loadResults(dir), heldBy: lock.heldBy };
  try {
    const results = loadResults(dir);
    const claimed = new Set<string>();
    for (const key of due) {
      const current = results[key];
      if (current && now < current.nextAt) continue; // answered or claimed by another run meanwhile
      claimed.add(key);
      results[key] = current
        ? { ...current, nextAt: now + claimMs }
        : { observedAt: now, verdict: 'inconclusive', httpStatus: null, message: 'not checked yet: another run is asking', lastWorkedAt: null, lastConclusiveAt: null, firstCheckedAt: now, windows: [], money: [], expiresAt: null, nextAt: now + claimMs };
    }
    if (claimed.size > 0) writeResults(dir, { ...results }, now);
    return { claimed, results };
  } finally {
    lock.release();
  }
}

/**
 * Adds results to the file, under the store's lock: read again just before, so a run that ran
 * alongside loses nothing, and written atomically, so a killed run leaves the old file or the
 * new one. (A lock that stays held does not cost the answer: it is written all the same.)
 */
export async function keepResults(dir: string, fresh: Readonly<KeptResults>, now: number): Promise<void> {
  const lock = await lockState(dir, lockWaitMs, lockName);
  try {
    writeResults(dir, { ...loadResults(dir), ...fresh }, now);
  } finally {
    lock.release?.();
  }
}
