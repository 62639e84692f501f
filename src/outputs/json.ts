import type { Report } from '../evaluate/report.js';
import type { Unusable } from '../evaluate/routes.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const unusableJson = (u: Unusable) => ({ profile: u.profile, kind: u.kind, reason: u.reason, model: u.model, until: iso(u.until) });

/** The stable `check --json` document (documented in the README). */
export function reportToJson(report: Report) {
  return {
    checkedAt: new Date(report.checkedAt).toISOString(),
    status: report.status,
    exitCode: report.exitCode,
    profiles: report.evaluations.map(({ profile, status, expiresAt, remainingMs, detail, unused }) => ({
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
      unused,
    })),
    providers: report.routes.map((route) => ({
      provider: route.provider,
      uses: route.uses,
      verdict: route.verdict,
      status: route.status,
      serving: route.serving,
      fallbackFrom: route.fallbackFrom && { profile: route.fallbackFrom.profile, status: route.fallbackFrom.status, unusable: route.fallbackFrom.unusable && unusableJson(route.fallbackFrom.unusable) },
      order: route.steps.map((step) => ({ profile: step.evaluation.profile.id, status: step.evaluation.status, ineligible: step.ineligible, usable: step.usable })),
      keys: route.keys.map((key) => key.id),
      unusable: route.unusable.map(unusableJson),
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
