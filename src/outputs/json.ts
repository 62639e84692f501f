import type { Report } from '../evaluate/report.js';

/** What a `check` run adds to the document: the process's own exit code and what the alerts did. */
export interface RunOutcome {
  exitCode: number;
  /** Present when the config has channels (`null` with --no-alerts). */
  alerts?: unknown;
}

/** The stable `check --json` document (documented in the README). */
export function reportToJson(report: Report, run?: RunOutcome) {
  return {
    checkedAt: new Date(report.checkedAt).toISOString(),
    status: report.status,
    // The process exit code of the run that printed it (a channel owing notices makes it 3).
    exitCode: run?.exitCode ?? report.exitCode,
    ...(run?.alerts !== undefined ? { alerts: run.alerts } : {}),
    profiles: report.evaluations.map(({ profile, status, expiresAt, remainingMs, detail }) => ({
      id: profile.id,
      provider: profile.provider,
      source: profile.source,
      type: profile.type,
      status,
      expiresAt: expiresAt === null ? null : new Date(expiresAt).toISOString(),
      remainingSeconds: remainingMs === null ? null : Math.floor(remainingMs / 1000),
      refreshable: profile.refreshable,
      detail,
      agent: profile.agent,
      path: profile.path,
      fingerprint: profile.fingerprint,
      fileExposed: profile.fileExposed,
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
