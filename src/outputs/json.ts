import type { LiveFact } from '../evaluate/live.js';
import type { Report } from '../evaluate/report.js';
import { fixFor, routeFix } from '../evaluate/fix.js';
import type { RouteWindow } from '../evaluate/routes.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
// The JSON keeps its documented names (`unusable`, `order[].usable`, docs/openclaw.md): a window, and whether the step may be selected.
const windowJson = (u: RouteWindow) => ({
  profile: u.profile,
  kind: u.kind,
  reason: u.reason,
  model: u.model,
  until: iso(u.until),
  since: iso(u.since),
  credentialChangedAt: iso(u.credentialChangedAt),
  // What the credential's live check says of the window (`works`: the gateway skips a credential that works).
  evidence: u.evidence && { verdict: u.evidence.verdict, says: u.evidence.says, observedAt: iso(u.evidence.observedAt) },
});

/** The serving credential's live check, as `{ live }`, or nothing. */
function servingLive(route: Report['routes'][number]): { live?: ReturnType<typeof liveToJson> } {
  const id = route.serving?.id;
  if (id === undefined) return {};
  const serving = route.steps.find((step) => step.evaluation.profile.id === id)?.evaluation ?? route.keys.find((key) => key.id === id)?.evaluation ?? null;
  return serving?.live ? { live: liveToJson(serving.live) } : {};
}

/** A profile's live check in the JSON document: what was seen and when, never the secret. */
function liveToJson(live: LiveFact) {
  return {
    verdict: live.verdict,
    observedAt: iso(live.observedAt),
    httpStatus: live.httpStatus,
    message: live.message,
    lastWorkedAt: iso(live.lastWorkedAt),
    lastConclusiveAt: iso(live.lastConclusiveAt),
    windows: live.windows.map((window) => ({ name: window.name, utilization: window.utilization, resetsAt: iso(window.resetsAt), ...(window.model === undefined ? {} : { model: window.model }) })),
    money: live.money ?? [],
    expiresAt: iso(live.expiresAt ?? null),
  };
}

/** One row of `profiles[]`. */
function profileJson(e: Report['evaluations'][number]) {
  const { profile, status, expiresAt, remainingMs, detail, live, unused } = e;
  return {
    id: profile.id,
    provider: profile.provider,
    source: profile.source,
    type: profile.type,
    status,
    expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    remainingSeconds: remainingMs === null ? null : Math.floor(remainingMs / 1000),
    refreshable: profile.refreshable,
    detail,
    // What to run to make it ok again (`null` when it is ok).
    fix: fixFor(e),
    agent: profile.agent,
    path: profile.path,
    fingerprint: profile.fingerprint?.hex ?? null,
    fileExposed: profile.fileExposed,
    // Only when a live check is on for the profile: documents without live checks are unchanged.
    ...(live ? { live: liveToJson(live) } : {}),
    unused,
  };
}

/** What a `check` run adds to the document: the process's own exit code and what the alerts did. */
export interface RunOutcome {
  exitCode: number;
  /** Present when the config has channels (`null` with --no-alerts). */
  alerts?: unknown;
}

/** The stable `check --json` document (documented in docs/check.md). */
export function reportToJson(report: Report, run?: RunOutcome) {
  return {
    checkedAt: new Date(report.checkedAt).toISOString(),
    status: report.status,
    // The process exit code of the run that printed it (a channel owing notices makes it 3).
    exitCode: run?.exitCode ?? report.exitCode,
    ...(run?.alerts !== undefined ? { alerts: run.alerts } : {}),
    profiles: report.evaluations.map(profileJson),
    providers: report.routes.map((route) => ({
      provider: route.provider,
      agent: route.agent,
      uses: route.uses,
      verdict: route.verdict,
      status: route.status,
      fix: routeFix(route),
      serving: route.serving,
      // What the live check saw of the credential that serves (only when one ran for it).
      ...servingLive(route),
      fallbackFrom: route.fallbackFrom && { profile: route.fallbackFrom.profile, status: route.fallbackFrom.status, unusable: route.fallbackFrom.window && windowJson(route.fallbackFrom.window) },
      order: route.steps.map((step) => ({ profile: step.evaluation.profile.id, status: step.evaluation.status, ineligible: step.ineligible, usable: step.selectable })),
      keys: route.keys.map((key) => key.id),
      // Each model it runs, and what a live lookup said of it (`check: null`: not looked up).
      models: route.models.map((m) => ({
        role: m.role,
        ref: m.ref,
        id: m.id,
        check: m.check && { verdict: m.check.verdict, observedAt: iso(m.check.observedAt), httpStatus: m.check.httpStatus, message: m.check.message, lastSeenAt: iso(m.check.lastSeenAt), checkedWith: m.check.checkedWith },
      })),
      unusable: route.windows.map(windowJson),
      recoversAt: iso(route.recoversAt),
      expiresAt: iso(route.expiresAt),
    })),
    sources: report.visits.map((visit) => ({
      name: visit.name,
      path: visit.path,
      found: visit.found,
      ok: visit.ok,
      error: visit.error,
    })),
  };
}
