import { formatLocalTime, formatSpan } from '../duration.js';
import type { Report } from '../evaluate/report.js';
import type { Status } from '../evaluate/status.js';

const statusColour: Record<Status, string> = {
  ok: '\u001b[32m',
  expiring: '\u001b[33m',
  expired: '\u001b[31m',
  missing: '\u001b[31m',
  error: '\u001b[35m',
};
const reset = '\u001b[0m';

const headers = ['PROFILE', 'AGENT', 'PROVIDER', 'SOURCE', 'STATUS', 'EXPIRES', 'REMAINING', 'DETAIL'] as const;

/** A plain-text table of the report, one row per profile, then a one-line summary. */
export function renderTable(report: Report, options: { colour: boolean }): string {
  const rows = report.evaluations.map((e) => [
    e.profile.id,
    e.profile.agent ?? '-',
    e.profile.provider,
    e.profile.source,
    e.status,
    e.expiresAt === null ? '-' : formatLocalTime(e.expiresAt),
    e.remainingMs === null ? '-' : formatSpan(e.remainingMs),
    e.detail,
  ]);
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[], status?: Status) =>
    cells
      .map((cell, column) => {
        const padded = column === cells.length - 1 ? cell : cell.padEnd(widths[column]!);
        return status && column === 4 && options.colour ? `${statusColour[status]}${padded}${reset}` : padded;
      })
      .join('  ')
      .trimEnd();

  const counts = new Map<Status, number>();
  for (const e of report.evaluations) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
  const failedSources = report.visits.filter((visit) => !visit.ok).length;
  return [
    line(headers),
    ...rows.map((row, index) => line(row, report.evaluations[index]!.status)),
    '',
    `${summary}${failedSources ? `; ${failedSources} source(s) unreadable` : ''} — status ${report.status}, exit ${report.exitCode}`,
    '',
  ].join('\n');
}
