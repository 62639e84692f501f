import type { Report } from '../evaluate/report.js';

/**
 * The stable `check --json` document (documented in the README). `failedChannels` (check only): the
 * alert channels this run could not deliver to (the reason of an exit 3 whose credentials are fine).
 */
export function reportToJson(report: Report, failedChannels?: readonly string[]) {
  return {
    checkedAt: new Date(report.checkedAt).toISOString(),
    status: report.status,
    exitCode: report.exitCode,
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
    ...(failedChannels ? { failedChannels: [...failedChannels] } : {}),
  };
}
