import type { Evaluation } from './evaluate.js';
import type { Report } from './report.js';
import { describeRoute } from './routes.js';
import { statusRank, worstStatus, type Status } from './status.js';

// Whether each provider in use is served, in one line each: what a heartbeat says and what the
// daemon's /health/auth answers. Pure: a report in.

export interface ProviderAvailability {
  /** `anthropic`, or `work/anthropic` when several OpenClaw agents each have routes. */
  name: string;
  provider: string;
  /** Something usable serves it now (on a fallback included). */
  available: boolean;
  status: Status;
  /** One line: `anthropic unavailable, recovers 16:40 (anthropic:work disabled: billing until 16:40)`. */
  line: string;
}

const serves = (status: Status) => status === 'ok' || status === 'expiring';

/**
 * One entry per provider in use: the gateway's routes where OpenClaw has them; otherwise the
 * providers of the credentials that count, each served while one of them is ok or expiring.
 */
export function providerAvailability(report: Report): ProviderAvailability[] {
  if (report.routes.length > 0) {
    const agents = new Set(report.routes.map((route) => route.agent)).size > 1;
    return report.routes.map((route) => {
      const name = agents && route.agent !== null ? `${route.agent}/${route.provider}` : route.provider;
      return { name, provider: route.provider, available: route.verdict !== 'unavailable', status: route.status, line: `${name} ${describeRoute(route)}` };
    });
  }
  const byProvider = new Map<string, Evaluation[]>();
  for (const row of report.alertRows) byProvider.set(row.profile.provider, [...(byProvider.get(row.profile.provider) ?? []), row]);
  return [...byProvider].map(([provider, rows]) => {
    const serving = rows.find((row) => serves(row.status));
    const worst = rows.reduce((a, b) => (statusRank[b.status] > statusRank[a.status] ? b : a));
    const shown = serving ?? worst;
    const status = serving ? worstStatus(rows.filter((row) => serves(row.status)).map((row) => row.status)) : worst.status;
    const line = serving ? `${provider} served by ${shown.profile.id} (${shown.status}: ${shown.detail})` : `${provider} unavailable: ${shown.profile.id} ${shown.status} (${shown.detail})`;
    return { name: provider, provider, available: serving !== undefined, status, line };
  });
}

/** The order of concern: unavailable first, then by status, worst first. */
function concern(a: ProviderAvailability, b: ProviderAvailability): number {
  return Number(a.available) - Number(b.available) || statusRank[b.status] - statusRank[a.status];
}

/**
 * The run in one line: the worst provider and why (`expired: anthropic unavailable, needs login
 * (…)`), a bad credential no provider's line tells, or `ok: anthropic, openai served`.
 */
export function runSummary(report: Report): string {
  const providers = providerAvailability(report).toSorted(concern);
  const worst = providers[0];
  if (report.status === 'ok') return providers.length > 0 ? `ok: ${providers.map((p) => p.name).join(', ')} served` : 'ok';
  const more = providers.filter((p) => !p.available).length - 1;
  if (worst && (!worst.available || worst.status === report.status)) return `${report.status}: ${worst.line}${more > 0 ? ` (+${more} more unavailable)` : ''}`;
  const row = report.alertRows.find((e) => e.status === report.status) ?? report.evaluations.find((e) => e.status === report.status);
  return row ? `${report.status}: ${row.profile.id} ${row.detail}` : report.status;
}

/**
 * What an uptime monitor is answered: served (every provider in use, or `provider`'s routes)
 * or not, with one line why. A provider no route or credential uses is not served: a monitor
 * set up for it must not stay green after it disappears.
 */
export function authHealth(report: Report, provider: string | null): { ok: boolean; line: string } {
  const all = providerAvailability(report);
  const watched = provider === null ? all : all.filter((p) => p.provider === provider);
  if (watched.length === 0) return { ok: false, line: provider === null ? 'no provider in use: no credentials found' : `${provider} is not in use here (no route or credential for it)` };
  const down = watched.filter((p) => !p.available);
  if (down.length > 0) return { ok: false, line: down.map((p) => p.line).join('; ') };
  return { ok: true, line: provider === null ? `ok: ${watched.map((p) => p.name).join(', ')} served` : watched.map((p) => p.line).join('; ') };
}
