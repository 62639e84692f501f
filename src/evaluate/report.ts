import type { ExitCode } from '../core/errors.js';
import { remediation } from './remediation.js';
import type { RequiredProvider } from '../sources/openclaw-config.js';
import { makeProfile, type SourceVisit } from '../sources/source.js';
import type { Evaluation } from './evaluate.js';
import { exitCodeFor, worstStatus, type Status } from './status.js';

export interface Report {
  checkedAt: number;
  status: Status;
  exitCode: ExitCode;
  evaluations: Evaluation[];
  visits: SourceVisit[];
}

function missingRow(id: string, provider: string, detail: string): Evaluation {
  return {
    profile: makeProfile({ id, provider, source: 'required', secret: 'absent' }),
    status: 'missing',
    expiresAt: null,
    remainingMs: null,
    detail,
  };
}

/** Places looked at, for the "nothing found" row: files, and the environment. */
function describePlaces(visits: readonly SourceVisit[]): string {
  const places = [...new Set(visits.map((visit) => visit.path ?? 'the process environment'))];
  return places.join(', ');
}

/**
 * Adds `missing` rows — a required provider with no credential from any source, or nothing
 * found at all — and decides the overall status and exit code (worst status wins).
 */
export function buildReport(
  evaluations: readonly Evaluation[],
  visits: readonly SourceVisit[],
  required: readonly RequiredProvider[],
  now: number,
  /** Only rows from these sources cover providers and decide the exit code (all when absent). */
  judged?: ReadonlySet<string>,
): Report {
  const rows = [...evaluations];
  const counts = (e: Evaluation) => !judged || judged.has(e.profile.source);
  // Indexed loops over what may be 10,000 rows: until V8 optimises it (a check is usually over
  // by then) for-of allocates an iterator result per row, and filter + map two more arrays.
  const covered = new Set<string>();
  for (let index = 0; index < evaluations.length; index++) {
    const e = evaluations[index]!;
    if (counts(e) && e.profile.secret !== 'absent' && e.profile.problem === null) covered.add(e.profile.provider);
  }
  const seen = new Set<string>();
  for (const { provider, reason } of required) {
    if (covered.has(provider) || seen.has(provider)) continue;
    seen.add(provider);
    rows.push(missingRow(`${provider}:(none)`, provider, `no credential for ${provider}, ${reason}; fix: ${remediation(provider)}`));
  }
  if (rows.length === 0) {
    rows.push(missingRow('(none)', '(any)', `no credentials found; looked in: ${describePlaces(visits)}`));
  }
  const judgedStatuses: Status[] = [];
  for (let index = 0; index < rows.length; index++) if (counts(rows[index]!)) judgedStatuses.push(rows[index]!.status);
  const status = worstStatus(judgedStatuses);
  return { checkedAt: now, status, exitCode: exitCodeFor(status), evaluations: rows, visits: [...visits] };
}
