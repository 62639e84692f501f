import { checkEpochMs } from './epoch.js';
import { makeProfile, problemProfile, type Profile } from './source.js';

/** A status or reason code worth quoting: a short name, never free text (which could hold anything). */
const shownCode = (code: string | null | undefined) => (code && /^[a-z][a-z0-9_-]{0,39}$/.test(code) ? code : null);

/** One profile as OpenClaw itself reports it: `openclaw models status --json`, or the gateway's `models.authStatus`. */
interface Reported {
  row: Pick<Profile, 'id' | 'provider' | 'source' | 'type' | 'agent' | 'path' | 'gateway'>;
  /** Who said it, for the row's note: "OpenClaw", "the gateway". */
  who: string;
  status: string;
  reasonCode?: string | null | undefined;
  /** Its expiry as reported (null or undefined: none), and the field's name for a message. */
  expiresAt: unknown;
  field: string;
  /** Where a bad expiry is said to come from. */
  where: string;
  notes?: readonly string[];
}

/**
 * The profile of what OpenClaw reported. Its `expired` and `missing` are the verdict (an expired
 * token comes with no expiry at all); `ok`/`expiring` leave the judgement to the expiry and
 * authwatch's warning window. The expiry passes the same range check as any stored one.
 */
export function reportedProfile(r: Reported): Profile {
  const code = shownCode(r.reasonCode);
  const said = `${r.who} says ${shownCode(r.status) ?? 'an unknown status'}${code && code !== r.status ? ` (${code})` : ''}`;
  const expires = checkEpochMs(r.expiresAt, r.field);
  if (!expires.ok) return problemProfile(r.row, `${r.where}: profile ${r.row.id}: ${expires.message}`);
  const expired = r.status === 'expired' || r.reasonCode === 'expired';
  return makeProfile({
    ...r.row,
    expiresAt: expires.ms,
    secret: r.status === 'missing' ? 'absent' : 'present',
    verdict: expired ? { status: 'expired', reason: said } : null,
    notes: [said, ...(r.notes ?? [])],
  });
}
