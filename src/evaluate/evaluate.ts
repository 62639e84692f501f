import { describeSpan } from '../core/duration.js';
import type { Profile } from '../sources/source.js';
import type { LiveFact } from './live-fact.js';
import type { Policy } from './policy.js';
import type { Status } from './status.js';
import { windowNotes } from './windows.js';

export interface Evaluation {
  profile: Profile;
  status: Status;
  /** Effective expiry (stored, or declared in config), epoch ms. */
  expiresAt: number | null;
  remainingMs: number | null;
  detail: string;
  /** What a live check saw (judged in src/evaluate/live.ts); absent when live checks are off for it. */
  live?: LiveFact;
  /** Of a provider no route uses: shown, but it sets no exit code and sends no alert. */
  unused: boolean;
  /**
   * The usage window that alone makes this credential `expiring` (past the warning share, live.ts):
   * alerts tell that window's usage item instead of the credential.
   */
  quotaWindow?: string;
  /** No gateway route uses it, though it counts (`strictProfiles`): its alerts come after those about what the gateway uses. */
  offRoute?: true;
}

/**
 * The detail is the reason, then what the config added, then the profile's notes and, for a
 * credential the gateway may try, its window (the rule the routes use: windows.ts); empty parts skipped.
 */
function judge(status: Status, reason: string, profile: Profile, expiresAt: number | null, now: number, configNote = ''): Evaluation {
  const windows = profile.problem === null && profile.verdict === null ? windowNotes(profile.provider, profile.usage, now) : [];
  const detail = [reason, configNote, ...profile.notes, ...windows].filter(Boolean).join('; ');
  return { profile, status, expiresAt, remainingMs: expiresAt === null ? null : expiresAt - now, detail, unused: false };
}

/**
 * A token stored without `expires` (`paste-token` without `--expires-in`, the CLI's default) is
 * "static" to OpenClaw, yet a setup-token ends (about a year): say so, and how to declare its end.
 */
const noKnownEnd = (id: string) =>
  `no known end: stored without an expiry (pasted without --expires-in), so nothing warns before it stops; declare it in the authwatch config: profiles: { ${JSON.stringify(id)}: { issuedAt: "<when it was made>", lifetime: "365d" } } (docs/configuration.md)`;

/**
 * Decides one profile's status. Pure: the same profile, clock and policy always give the same
 * answer, and as `now` advances a status only moves ok → expiring → expired.
 */
export function evaluate(profile: Profile, now: number, policy: Policy): Evaluation {
  if (profile.problem !== null) return judge('error', profile.problem, profile, null, now);
  if (profile.verdict !== null) return judge(profile.verdict.status, profile.verdict.reason, profile, null, now);
  if (profile.secret === 'absent') return judge('missing', '', profile, null, now);

  const override = policy.profiles[profile.id];
  const declared = profile.expiresAt === null && override?.expiresAt !== undefined;
  const expiresAt = profile.expiresAt ?? override?.expiresAt ?? null;
  const configNote = declared ? 'expiry from config' : '';
  if (expiresAt === null && policy.mode === 'openclaw' && profile.type === 'oauth') {
    return judge('missing', 'no valid expires (OpenClaw: missing)', profile, null, now);
  }
  if (expiresAt === null) return judge('ok', profile.type === 'token' ? noKnownEnd(profile.id) : 'no expiry', profile, null, now);

  const remaining = expiresAt - now;
  if (profile.refreshable && !policy.strictRefreshable) {
    const phrase = remaining > 0 ? `access token expires ${describeSpan(remaining)}` : `access token expired ${describeSpan(remaining)}, renewed on next use`;
    return judge('ok', `refreshable; ${phrase}`, profile, expiresAt, now);
  }
  const warnMs = override?.warnMs ?? policy.providerWarnMs[profile.provider] ?? policy.warnMs;
  if (remaining <= 0) return judge('expired', `expired ${describeSpan(remaining)}`, profile, expiresAt, now, configNote);
  if (remaining <= warnMs) return judge('expiring', `expires ${describeSpan(remaining)}`, profile, expiresAt, now, configNote);
  return judge('ok', `expires ${describeSpan(remaining)}`, profile, expiresAt, now, configNote);
}
