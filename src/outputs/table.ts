import { formatLocalTime, formatSpan } from '../core/duration.js';
import type { Evaluation } from '../evaluate/evaluate.js';
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

const headers = ['PROFILE', 'AGENT', 'PROVIDER', 'SOURCE', 'STATUS', 'EXPIRES', 'REMAINING', 'DETAIL'];
const statusColumn = headers.indexOf('STATUS');
const gap = '  ';

const cellsOf = (e: Evaluation): string[] => [
  e.profile.id,
  e.profile.agent ?? '-',
  e.profile.provider,
  e.profile.source,
  e.status,
  e.expiresAt === null ? '-' : formatLocalTime(e.expiresAt),
  e.remainingMs === null ? '-' : formatSpan(e.remainingMs),
  e.detail,
];

/** A plain-text table of the report, one row per profile, then a one-line summary. */
export function renderTable(report: Report, options: { colour: boolean }): string {
  const rows = report.evaluations.map(cellsOf);
  // Widths in UTF-16 units, as padEnd counts them.
  const widths = headers.map((header, column) => rows.reduce((width, cells) => Math.max(width, cells[column]!.length), header.length));
  const line = (cells: readonly string[], status?: Status) =>
    cells
      .map((cell, column) => {
        if (column === cells.length - 1) return cell;
        const padded = cell.padEnd(widths[column]!);
        // The colour spans the padding, not the gap.
        return column === statusColumn && status !== undefined && options.colour ? `${statusColour[status]}${padded}${reset}` : padded;
      })
      .join(gap)
      .replace(/ +$/, '');
  const counts = new Map<Status, number>();
  for (const { status } of report.evaluations) counts.set(status, (counts.get(status) ?? 0) + 1);
  const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
  const failedSources = report.visits.filter((visit) => !visit.ok).length;
  return [
    line(headers),
    ...rows.map((cells, row) => line(cells, report.evaluations[row]!.status)),
    '',
    `${summary}${failedSources ? `; ${failedSources} source(s) unreadable` : ''} — status ${report.status}, exit ${report.exitCode}`,
    '',
  ].join('\n');
}
