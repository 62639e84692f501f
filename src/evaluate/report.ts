import { lazyFingerprint } from '../core/fingerprint.js';
import type { ExitCode } from '../core/errors.js';
import { remediation } from './remediation.js';
import type { RequiredProvider } from '../sources/openclaw-config.js';
import { makeProfile, type SourceVisit } from '../sources/source.js';
import type { Evaluation } from './evaluate.js';
import { describeRoute, describeWindow, skipsWorkingCredential, type Route } from './routes.js';
import { routeFix, skippedFix } from './fix.js';
import { missingModelRows } from './route-models.js';
import { exitCodeFor, worstStatus, type Status } from './status.js';
import { sourceNames } from '../sources/source-names.js';

export interface Report {
  checkedAt: number;
  status: Status;
  exitCode: ExitCode;
  evaluations: Evaluation[];
  visits: SourceVisit[];
  /** One per provider in use. */
  routes: Route[];
  /** What alerts are decided on: the rows that count, and a row per route whose trouble no profile row tells. */
  alertRows: Evaluation[];
}

interface ReportOptions {
  routes?: readonly Route[];
  /** Whether a row sets the exit code and alerts (all rows when absent). */
  counts?: (e: Evaluation) => boolean;
  /** Rows of providers no route uses: marked `unused`, never counted. */
  unused?: (e: Evaluation) => boolean;
  /** Rows no gateway route uses, counted or not: marked `offRoute`. */
  offRoute?: (e: Evaluation) => boolean;
  /** Which rows cover a provider for the `missing` rows (all when absent). */
  covers?: (e: Evaluation) => boolean;
}

/**
 * The alert row of a route that is on fallback, or unavailable because of cooldown/disabled
 * windows: the profiles' own statuses (ok) do not say it. Keyed `route:<provider>` under the route's agent.
 * Its fingerprint stands for the stale windows: a window found stale is news, like a new
 * credential, even when the route's status stays the same.
 */
function routeRow(route: Route, now: number): Evaluation | null {
  if (route.verdict === 'serving' || (route.verdict === 'unavailable' && route.windows.length === 0)) return null;
  const at = route.recoversAt ?? route.fallbackFrom?.window?.until ?? null;
  const stale = route.windows.filter((u) => u.credentialChangedAt !== null).map((u) => u.profile);
  return {
    profile: makeProfile({ id: `route:${route.provider}`, provider: route.provider, source: 'route', type: null, secret: 'absent', agent: route.agent, ...(route.gateway ? { gateway: route.gateway } : {}), fingerprint: stale.length > 0 ? lazyFingerprint(`stale ${stale.join(' ')}`) : null }),
    status: route.status,
    expiresAt: at,
    remainingMs: at === null ? null : at - now,
    detail: `${route.provider} ${describeRoute(route)}; fix: ${routeFix(route)}`,
    unused: false,
  };
}

/** A window this long or longer is worth a notice when the credential works; shorter ones (a rate-limit pause) end before anyone could act. */
const skippedNoticeMs = 15 * 60_000;

/**
 * The alert rows of credentials the provider says work while the gateway skips them, on a
 * route that is not served as configured: a warning each (`skipped:<profile>`), told once and
 * resolved when the window ends or the evidence stops saying so. They set no exit code: the
 * route's own status does.
 */
function skippedRows(route: Route, now: number): Evaluation[] {
  return route.windows
    .filter((u) => skipsWorkingCredential(route, u) && u.since !== null && u.until - u.since >= skippedNoticeMs)
    .map((u) => ({
      profile: makeProfile({ id: `skipped:${u.profile}`, provider: route.provider, source: 'route', type: null, secret: 'absent', agent: route.agent }),
      status: 'expiring' as const,
      expiresAt: u.until,
      remainingMs: u.until - now,
      detail: `${route.provider}: ${describeWindow(u)}; fix: ${skippedFix(route, u)}`,
      unused: false,
    }));
}

function missingRow(id: string, provider: string, detail: string): Evaluation {
  return {
    profile: makeProfile({ id, provider, source: sourceNames.required, secret: 'absent' }),
    status: 'missing',
    expiresAt: null,
    remainingMs: null,
    detail,
    unused: false,
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
  options: ReportOptions = {},
): Report {
  const rows = [...evaluations];
  const counts = options.counts ?? (() => true);
  const covers = options.covers ?? (() => true);
  const unused = options.unused ?? (() => false);
  const covered = new Set(evaluations.filter((e) => covers(e) && e.profile.secret !== 'absent' && e.profile.problem === null).map((e) => e.profile.provider));
  const seen = new Set<string>();
  for (const { provider, reason } of required) {
    if (covered.has(provider) || seen.has(provider)) continue;
    seen.add(provider);
    rows.push(missingRow(`${provider}:(none)`, provider, `no credential for ${provider}, ${reason}; fix: ${remediation(provider)}`));
  }
  const routes = [...(options.routes ?? [])];
  // A route served by a config key has no row of its own, yet something was found.
  if (rows.length === 0 && !routes.some((route) => route.serving !== null)) {
    rows.push(missingRow('(none)', '(any)', `no credentials found; looked in: ${describePlaces(visits)}`));
  }
  const offRoute = options.offRoute ?? (() => false);
  const marked = rows.map((row): Evaluation => (offRoute(row) ? { ...row, offRoute: true } : row));
  const isUnused = marked.map(unused);
  const shown = marked.map((row, index) => (isUnused[index] ? { ...row, unused: true, detail: `unused (no provider in use); ${row.detail}` } : row));
  const counted = marked.filter((row, index) => !isUnused[index] && counts(row));
  const routeRows = [...routes.map((route) => routeRow(route, now)).filter((row) => row !== null), ...routes.flatMap((route) => skippedRows(route, now))];
  // A model the provider says does not exist: a finding of its own, beside its route's credentials.
  const modelRows = missingModelRows(routes, now);
  const status = worstStatus([...routes.map((route) => route.status), ...counted.map((row) => row.status), ...modelRows.map((row) => row.status)]);
  return { checkedAt: now, status, exitCode: exitCodeFor(status), evaluations: shown, visits: [...visits], routes, alertRows: [...counted, ...routeRows, ...modelRows] };
}
