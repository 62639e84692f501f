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
  // Plain loops and string concatenation: this runs for every row of hosts with thousands
  // of profiles, where map/join per cell and Math.max(...spread) were most of the time.
  const widths: number[] = headers.map((header) => header.length);
  for (const row of rows) for (let column = 0; column < row.length; column++) widths[column] = Math.max(widths[column]!, row[column]!.length);
  const last = headers.length - 1;
  const line = (cells: readonly string[], status?: Status) => {
    let text = '';
    for (let column = 0; column < last; column++) {
      const padded = cells[column]!.padEnd(widths[column]!);
      text += (status && column === 4 && options.colour ? `${statusColour[status]}${padded}${reset}` : padded) + '  ';
    }
    return (text + cells[last]!).trimEnd();
  };

  const counts = new Map<Status, number>();
  for (const e of report.evaluations) counts.set(e.status, (counts.get(e.status) ?? 0) + 1);
  const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
  const failedSources = report.visits.filter((visit) => !visit.ok).length;
  let text = `${line(headers)}\n`;
  for (let index = 0; index < rows.length; index++) text += `${line(rows[index]!, report.evaluations[index]!.status)}\n`;
  return `${text}\n${summary}${failedSources ? `; ${failedSources} source(s) unreadable` : ''} — status ${report.status}, exit ${report.exitCode}\n`;
}
